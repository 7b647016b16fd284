/**
 * The directory joined to events and checked for flags, on hand-made directories: names for ids (and none
 * for ids that do not resolve), the event's own names winning, "now" marks, a renamed project, a deleted
 * user; each flag; and the cache in the archive, which keeps the redacted key only.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditArchive } from '../../../src/core/archive';
import {
  DirectoryNames,
  EMPTY_DIRECTORY,
  directoryFlags,
  joinEvent,
  loadDirectory,
  saveDirectory,
  seenInArchive,
  shownName,
  type Directory,
} from '../../../src/core/directory';
import { parseAuditEvent, type AuditEvent } from '../../../src/core/model';

const NOW = 1_800_000_000;
const DAY = 86_400;

const grace = { id: 'user-grace', name: 'Grace Hopper', email: 'grace@example.com', role: 'owner' };
const alan = { id: 'user-alan', name: 'Alan Turing', email: 'alan@example.com', role: 'reader' };
const dir: Directory = {
  ...EMPTY_DIRECTORY,
  readAt: NOW,
  users: [grace, alan],
  invites: [
    { id: 'invite-old', email: 'old@example.com', role: 'reader', status: 'pending', invitedAt: NOW - 10 * DAY },
    { id: 'invite-new', email: 'new@example.com', role: 'reader', status: 'pending', invitedAt: NOW - 2 * DAY },
    { id: 'invite-done', email: 'done@example.com', role: 'reader', status: 'accepted', invitedAt: NOW - 30 * DAY },
  ],
  groups: [{ id: 'group_ops', name: 'Ops <b>team</b>', memberIds: ['user-alan'] }],
  roles: [{ id: 'role_ft', name: 'Fine-tune admins', projectId: 'proj_atlas', permissions: [] }],
  projects: [
    { id: 'proj_atlas', name: 'Atlas v2', status: 'active' },
    { id: 'proj_old', name: 'Old', status: 'archived' },
  ],
  projectUsers: [
    { projectId: 'proj_atlas', userId: 'user-grace', name: 'Grace Hopper', email: 'grace@example.com', role: 'owner' },
    { projectId: 'proj_atlas', userId: 'user-alan', name: 'Alan Turing', email: 'alan@example.com', role: 'owner' },
  ],
  serviceAccounts: [
    { id: 'svc_acct_ci', name: 'ci-deployer', projectId: 'proj_atlas', role: 'member' },
    { id: 'svc_acct_idle', name: 'idle-bot', projectId: 'proj_atlas', role: 'member' },
  ],
  apiKeys: [
    { id: 'key_ci', name: 'ci key', redactedValue: 'sk-proj-****ab12', projectId: 'proj_atlas', owner: { type: 'service_account', id: 'svc_acct_ci', name: 'ci-deployer' }, lastUsedAt: NOW - DAY },
    { id: 'key_ghost', name: 'ghost key', redactedValue: 'sk-proj-****cd34', projectId: 'proj_atlas', owner: { type: 'user', id: 'user-gone', email: 'gone@example.com' }, lastUsedAt: NOW - 200 * DAY },
    { id: 'key_nouse', name: 'never used', redactedValue: 'sk-proj-****ef56', projectId: 'proj_atlas', owner: { type: 'user', id: 'user-alan' } },
  ],
  adminApiKeys: [{ id: 'key_admin', name: 'Audit exporter', redactedValue: 'sk-admin-****9z9z', owner: { type: 'user', id: 'user-grace', name: 'Grace Hopper' } }],
};

function ev(o: Record<string, unknown>): AuditEvent {
  return { id: 'audit_log-1', type: 'x', effective_at: NOW - 5 * DAY, ...o } as AuditEvent;
}

describe('directory: names and joins', () => {
  const names = new DirectoryNames(dir);

  it('resolves every kind of id; an id the directory does not know has no name (deleted user, other organization)', () => {
    assert.equal(names.nameOf('user-grace'), 'Grace Hopper');
    assert.equal(names.lookup('user-grace')?.detail, 'grace@example.com');
    assert.equal(names.nameOf('proj_atlas'), 'Atlas v2');
    assert.equal(names.lookup('proj_old')?.detail, 'archived');
    assert.equal(names.nameOf('key_admin'), 'Audit exporter');
    assert.equal(names.lookup('key_ci')?.detail, 'sk-proj-****ab12');
    assert.equal(names.nameOf('svc_acct_ci'), 'ci-deployer');
    assert.equal(names.nameOf('role_ft'), 'Fine-tune admins');
    assert.equal(names.nameOf('group_ops'), 'Ops <b>team</b>', 'a hostile name is kept as the text it is');
    assert.equal(names.nameOf('invite-old'), 'old@example.com');
    assert.equal(names.nameOf('user-gone'), undefined, 'a deleted user');
    assert.equal(names.nameOf('proj_unknown'), undefined);
    assert.equal(DirectoryNames.EMPTY.nameOf('user-grace'), undefined);
  });

  it('names map back to ids, ignoring case, by name or email or redacted value, optionally by kind', () => {
    assert.deepEqual(names.idsNamed('grace hopper'), ['user-grace']);
    assert.deepEqual(names.idsNamed('ALAN@example.com'), ['user-alan']);
    assert.deepEqual(names.idsNamed('atlas v2', ['project']), ['proj_atlas']);
    assert.deepEqual(names.idsNamed('atlas v2', ['user']), []);
    assert.deepEqual(names.idsNamed('  '), []);
  });

  it('joins the actor, the key, the project, the resource and ids in the detail; the event\'s own names win', () => {
    const e = ev({
      type: 'role.assignment.created',
      actor: { type: 'api_key', api_key: { id: 'key_ci', type: 'service_account', service_account: { id: 'svc_acct_ci' } } },
      project: { id: 'proj_atlas' },
      'role.assignment.created': { id: 'ra_1', principal_id: 'user-alan', principal_type: 'user', role_id: 'role_ft', resource_id: 'proj_atlas' },
    });
    const joined = joinEvent(e, names);
    assert.deepEqual(
      joined.map((j) => [j.role, j.id, j.name, j.now]),
      [
        ['apiKey', 'key_ci', 'ci key', true],
        ['serviceAccount', 'svc_acct_ci', 'ci-deployer', true],
        ['project', 'proj_atlas', 'Atlas v2', true],
        ['detail', 'user-alan', 'Alan Turing', true],
        ['detail', 'role_ft', 'Fine-tune admins', true],
      ],
    );
    // A renamed project: the event says "Atlas" (its name then); the directory's "Atlas v2" is not put over it.
    const named = joinEvent(ev({ project: { id: 'proj_atlas', name: 'Atlas' } }), names);
    assert.deepEqual(named, []);
  });

  it('a name the event itself carries is not marked now; ids that do not resolve are left alone', () => {
    const e = ev({ type: 'group.updated', 'group.updated': { id: 'group_ops', changes_requested: { group_name: 'Ops <b>team</b>' } } });
    assert.deepEqual(joinEvent(e, names).map((j) => [j.id, j.now]), [['group_ops', false]]);
    const gone = ev({ type: 'user.deleted', actor: { type: 'session', session: { user: { id: 'user-gone', email: 'gone@example.com' } } }, 'user.deleted': { id: 'user-gone' } });
    assert.deepEqual(joinEvent(gone, names), []);
    assert.equal(shownName('user-gone', names, gone), undefined);
    assert.deepEqual(shownName('user-grace', names), { text: 'Grace Hopper', now: true });
  });

  it('an empty directory joins nothing', () => {
    assert.deepEqual(joinEvent(ev({ project: { id: 'proj_atlas' } }), DirectoryNames.EMPTY), []);
  });
});

describe('directory: flags', () => {
  const seen = new Set(['key_ci', 'svc_acct_ci', 'key_admin']);
  const flags = directoryFlags(dir, { now: NOW, seen, unusedDays: 90 });
  const of = (kind: string) => flags.filter((f) => f.kind === kind).map((f) => f.id);

  it('keys and service accounts the archive never saw', () => {
    assert.deepEqual(of('keyNeverSeen'), ['key_ghost', 'key_nouse']);
    assert.deepEqual(of('serviceAccountNeverSeen'), ['svc_acct_idle']);
  });

  it('keys whose owner is no longer a member (a deleted user), not service-account keys', () => {
    assert.deepEqual(of('keyOwnerGone'), ['key_ghost']);
    assert.equal(flags.find((f) => f.kind === 'keyOwnerGone')?.detail, 'gone@example.com');
    // Without the users list (restricted key) nobody is called gone: unknown is not gone.
    const restricted = directoryFlags({ ...dir, users: [], unavailable: ['Users: not readable with this key'] }, { now: NOW, seen });
    assert.deepEqual(restricted.filter((f) => f.kind === 'keyOwnerGone'), []);
  });

  it('keys unused longer than the setting, only when the API reports last use', () => {
    assert.deepEqual(of('keyUnused'), ['key_ghost']);
    assert.equal(flags.find((f) => f.kind === 'keyUnused')?.detail, '200 days');
    assert.deepEqual(directoryFlags(dir, { now: NOW, seen, unusedDays: 300 }).filter((f) => f.kind === 'keyUnused'), []);
  });

  it('owners (organization, then project owners who are not organization owners) and invites pending over 7 days', () => {
    assert.deepEqual(of('ownerOrAdmin'), ['user-grace', 'user-alan']);
    assert.equal(flags.find((f) => f.kind === 'ownerOrAdmin' && f.id === 'user-alan')?.detail, 'owner of Atlas v2');
    assert.deepEqual(of('staleInvite'), ['invite-old']);
  });
});

describe('directory: the cache in the archive', () => {
  let dirPath: string;
  before(() => (dirPath = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-directory-'))));
  after(() => fs.rmSync(dirPath, { recursive: true, force: true }));

  it('saves and loads the whole directory with the time read, in the archive file (0600), replacing the previous one', async () => {
    const file = path.join(dirPath, 'org.sqlite');
    const a = await AuditArchive.open(file);
    assert.equal(loadDirectory(a), undefined, 'nothing read yet');
    saveDirectory(a, { ...dir, users: [alan], readAt: NOW - 100 });
    saveDirectory(a, { ...dir, unavailable: ['Admin API keys: not readable with this key'] });
    a.close();
    const b = await AuditArchive.open(file);
    const loaded = loadDirectory(b);
    assert.deepEqual(loaded, { ...dir, unavailable: ['Admin API keys: not readable with this key'] });
    b.close();
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
  });

  it('which ids the archive\'s events mention, as actor key, service account or resource', async () => {
    const a = await AuditArchive.open(':memory:');
    const raw = (o: object) => parseAuditEvent(JSON.stringify(o));
    a.commitWindow([
      raw({ id: 'audit_log-a', type: 'api_key.created', effective_at: NOW - 10, 'api_key.created': { id: 'key_nouse' } }),
      raw({ id: 'audit_log-b', type: 'project.updated', effective_at: NOW - 9, actor: { type: 'api_key', api_key: { id: 'key_ci', type: 'service_account', service_account: { id: 'svc_acct_ci' } } }, 'project.updated': { id: 'proj_atlas' } }),
    ]);
    assert.deepEqual([...seenInArchive(a, ['key_ci', 'svc_acct_ci', 'key_nouse', 'key_ghost'])].sort(), ['key_ci', 'key_nouse', 'svc_acct_ci']);
    a.close();
  });
});
