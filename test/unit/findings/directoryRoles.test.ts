import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { saveDirectory, EMPTY_DIRECTORY, type Directory } from '../../../src/core/directory';
import { FindingsEngine, listFindings, type Finding } from '../../../src/core/findings';
import { builtInRules, byRule, ev, parsed, session, T } from './helpers';

const admin = session('admin@acme.example');
const directory: Directory = {
  ...EMPTY_DIRECTORY,
  readAt: T,
  users: [
    { id: 'user-owner', name: 'Olga', email: 'olga@acme.example', role: 'owner' },
    { id: 'user-reader', name: 'Rui', email: 'rui@acme.example', role: 'reader' },
  ],
  projectUsers: [{ projectId: 'proj_1', userId: 'user-reader', name: 'Rui', email: 'rui@acme.example', role: 'Project admin' }],
  serviceAccounts: [{ id: 'svc_1', name: 'ci', projectId: 'proj_1', role: 'member' }],
  roles: [{ id: 'role-custom', name: 'Billing admin', permissions: [] }],
};

const assignment = (id: string, detail: object, extra: object = admin) => ev('role.assignment.created', T + Number(id.slice(-1)), { id, ...detail }, extra);

/** The admin-role-granted findings of `events`, with `dir` saved in the archive first. */
async function granted(events: object[], dir: Directory | undefined): Promise<Finding[]> {
  const archive = await AuditArchive.open(MEMORY);
  try {
    if (dir) saveDirectory(archive, dir);
    archive.commitWindow(parsed(events));
    new FindingsEngine(builtInRules()).evaluate(archive);
    return byRule(archive.readSql((s) => listFindings(s)), 'admin-role-granted');
  } finally {
    archive.close();
  }
}

describe('findings: admin-role-granted resolves roles through the directory', () => {
  it('names the role an assignment does not name from the principal in the directory: owner (critical), a project admin (high), a role id (high)', async () => {
    const events = [
      assignment('ra_1', { principal_type: 'user', principal_id: 'user-owner', resource_type: 'api.organization', resource_id: 'org-1' }),
      assignment('ra_2', { principal_type: 'user', principal_id: 'user-reader', resource_type: 'api.project', resource_id: 'proj_1' }, { ...admin, project: { id: 'proj_1' } }),
      assignment('ra_3', { principal_type: 'user', principal_id: 'user-reader', role_id: 'role-custom', resource_type: 'api.organization', resource_id: 'org-1' }),
    ];
    const found = await granted(events, directory);
    assert.deepEqual(
      found.map((f) => [f.severity, f.title]).sort(),
      [
        ['critical', 'Organization owner role granted to user-owner by admin@acme.example'],
        ['high', 'Admin role "Billing admin" granted to user-reader by admin@acme.example'],
        ['high', 'Admin role "Project admin" granted to user-reader by admin@acme.example'],
      ].sort(),
    );
  });

  it('stays quiet for a principal whose directory role is not an admin one, and says "role unknown" where the directory has nothing', async () => {
    const events = [
      assignment('ra_1', { principal_type: 'user', principal_id: 'user-reader', resource_type: 'api.organization', resource_id: 'org-1' }),
      assignment('ra_2', { principal_type: 'service_account', principal_id: 'svc_1', resource_type: 'api.project', resource_id: 'proj_1' }),
      assignment('ra_3', { principal_type: 'group', principal_id: 'group_1', resource_type: 'api.organization', resource_id: 'org-1' }),
      assignment('ra_4', { principal_type: 'user', principal_id: 'user-nobody', resource_type: 'api.organization', resource_id: 'org-1' }),
    ];
    const found = await granted(events, directory);
    assert.deepEqual(found.map((f) => [f.severity, f.title]).sort(), [
      ['medium', 'Role assigned, role unknown (group group_1)'],
      ['medium', 'Role assigned, role unknown (user user-nobody)'],
    ]);
    const without = await granted(events, undefined);
    assert.equal(without.length, 4, 'without a directory every assignment is "role unknown"');
    assert.ok(without.every((f) => f.severity === 'medium'));
  });
});
