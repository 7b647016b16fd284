/** Filter summaries name projects and users from a real (in-memory) archive: one newest event per id. */
import * as assert from 'node:assert/strict';
import { archiveFilterNames } from '../../../src/core/analysis/filterNames';
import { describeFilterParts } from '../../../src/core/analysis/filters';
import { AuditArchive } from '../../../src/core/archive';
import { parsed } from '../archive/helpers';

const T = 1_750_000_000;
const ev = (id: string, at: number, project: unknown, actor: unknown) => ({ id, object: 'organization.audit_log', type: 'project.updated', effective_at: at, project, actor });
const user = (id: string, email: string) => ({ type: 'session', session: { user: { id, email } } });

describe('archiveFilterNames', () => {
  let archive: AuditArchive;
  before(async () => {
    archive = await AuditArchive.open(':memory:');
    archive.commitWindow(
      parsed([
        ev('e3', T + 2, { id: 'proj_1', name: 'Atlas Core' }, user('user_1', 'ada@acme.example')),
        ev('e2', T + 1, { id: 'proj_1', name: 'Atlas' }, { type: 'api_key', api_key: { id: 'key_1', type: 'service_account', service_account: { id: 'svc_1' } } }),
        ev('e1', T, { id: 'proj_evil', name: 'Research \u202Etxt.exe\nline two' }, user('user_2', `${'x'.repeat(500)}@acme.example`)),
      ]),
    );
  });
  after(() => archive.close());

  it('names a project by its newest name and a user by email; keys, service accounts and unknown ids stay ids', () => {
    const names = archiveFilterNames(archive)!;
    assert.equal(names.project!('proj_1'), 'Atlas Core');
    assert.equal(names.actor!('user_1'), 'ada@acme.example');
    assert.equal(names.actor!('svc_1'), undefined);
    assert.equal(names.actor!('key_1'), undefined);
    assert.equal(names.project!('proj_unknown'), undefined);
    assert.deepEqual(describeFilterParts({ projectIds: ['proj_1'], actorIds: ['user_1'], resourceIds: ['r'] }, names), ['project Atlas Core', 'actor ada@acme.example', 'resource r']);
  });

  it('a hostile name is one safe, bounded line', () => {
    const names = archiveFilterNames(archive)!;
    assert.equal(names.project!('proj_evil'), 'Research txt.exe line two');
    assert.equal([...names.actor!('user_2')!].length, 60);
  });

  it('without an archive, or with one that fails (closed), the ids are shown', async () => {
    assert.equal(archiveFilterNames(undefined), undefined);
    const closed = await AuditArchive.open(':memory:');
    closed.commitWindow(parsed([ev('e9', T, { id: 'proj_9', name: 'Gone' }, user('user_9', 'g@acme.example'))]));
    closed.close();
    assert.equal(archiveFilterNames(closed)!.project!('proj_9'), undefined);
  });
});
