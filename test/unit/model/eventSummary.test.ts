import { strict as assert } from 'node:assert';
import { type AuditEvent, parseAuditLogPage, summarizeEvent } from '../../../src/core/model';
import { SUMMARY_MAX_LENGTH } from '../../../src/core/model/eventSummary';
import { allTypesEvents, exampleResponseText } from './fixtures';

const ev = (type: string, extra: Record<string, unknown> = {}): AuditEvent =>
  ({ id: 'audit_log-1', type, effective_at: 1720000000, ...extra }) as AuditEvent;

describe('summarizeEvent', () => {
  it('summarizes the main families', () => {
    const cases: Array<[AuditEvent, string]> = [
      [ev('api_key.created', { 'api_key.created': { id: 'key_abc', data: { scopes: ['a', 'b'] } } }), 'API key key_abc created with scopes a, b'],
      [ev('api_key.deleted', { 'api_key.deleted': { id: 'key_abc' } }), 'API key key_abc deleted'],
      [ev('project.updated', { 'project.updated': { id: 'proj_1', changes_requested: { title: 'X' } } }), "Project proj_1 renamed to 'X'"],
      [ev('project.created', { 'project.created': { id: 'proj_1', data: { name: 'n', title: 'Shiny' } } }), "Project proj_1 created as 'Shiny'"],
      [ev('project.archived', { 'project.archived': { id: 'proj_1' } }), 'Project proj_1 archived'],
      [
        ev('login.failed', {
          actor: { type: 'session', session: { user: { email: 'a@b.com' } } },
          'login.failed': { error_code: 'invalid_password', error_message: 'Wrong password' },
        }),
        'Login failed for a@b.com: invalid_password',
      ],
      [ev('login.succeeded', { actor: { type: 'session', session: { user: { email: 'a@b.com' } } } }), 'Login succeeded for a@b.com'],
      [
        ev('rate_limit.updated', { 'rate_limit.updated': { id: 'rl_1', changes_requested: { max_requests_per_1_minute: 500 } } }),
        'Rate limit rl_1 updated: max_requests_per_1_minute → 500',
      ],
      [ev('invite.sent', { 'invite.sent': { id: 'inv_1', data: { email: 'new@b.com', role: 'owner' } } }), 'Invite inv_1 sent to new@b.com as owner'],
      [ev('user.updated', { 'user.updated': { id: 'user_1', changes_requested: { role: 'owner' } } }), 'User user_1 updated: role → owner'],
      [
        ev('role.updated', { 'role.updated': { id: 'role_1', changes_requested: { permissions_added: ['p1', 'p2'], permissions_removed: ['p3'] } } }),
        'Role role_1 updated: added p1, p2; removed p3',
      ],
      [
        ev('role.assignment.created', {
          'role.assignment.created': { id: 'ra_1', principal_id: 'user_7', principal_type: 'user', resource_id: 'proj_1', resource_type: 'project' },
        }),
        'Role assignment ra_1 created for user user_7 on project proj_1',
      ],
      [ev('certificates.activated', { 'certificates.activated': { certificates: [{ id: 'c1', name: 'Root' }, { id: 'c2' }] } }), 'Certificates activated: Root, c2'],
      [ev('tenant.sso_connection.created'), 'Tenant SSO connection created'],
      [ev('quantum.entangled', { 'quantum.entangled': { id: 'q_1' } }), 'quantum.entangled on q_1'],
      [ev('quantum.entangled'), 'quantum.entangled'],
    ];
    for (const [event, expected] of cases) assert.equal(summarizeEvent(event), expected);
  });

  it('summarizes the example response and every known type without throwing', () => {
    const page = parseAuditLogPage(exampleResponseText());
    assert.deepEqual(page.data.map((p) => summarizeEvent(p.event)), [
      'Project proj_abc archived',
      'API key key_xxxx updated with scopes resource_2.operation_2',
    ]);
    for (const e of allTypesEvents()) {
      const s = summarizeEvent(e as AuditEvent);
      assert.ok(s.length > 0 && s.length <= SUMMARY_MAX_LENGTH, s);
      assert.doesNotMatch(s, /undefined|\[object Object\]/, s);
    }
  });

  it('never throws on odd input and stays one bounded line', () => {
    const huge = 'x'.repeat(100_000);
    const odd: unknown[] = [
      null,
      undefined,
      42,
      [],
      {},
      { type: 5 },
      ev('project.updated', { 'project.updated': null }),
      ev('project.updated', { 'project.updated': [] }),
      ev('project.updated', { 'project.updated': { id: { nested: true }, changes_requested: { title: null } } }),
      ev('api_key.created', { 'api_key.created': { id: huge, data: { scopes: Array(1000).fill(huge) } } }),
      ev('rate_limit.updated', { 'rate_limit.updated': { changes_requested: { a: [[1]], b: { c: 1n }, c: null, d: true, e: 1 } } }),
      ev('role.bound_to_resource', { 'role.bound_to_resource': 'nope' }),
      ev('login.failed', { actor: [], 'login.failed': { error_code: 7 } }),
      ev('certificates.activated', { 'certificates.activated': { certificates: [null, 5, 'x'] } }),
      ev(huge),
    ];
    for (const e of odd) {
      const s = summarizeEvent(e as AuditEvent);
      assert.equal(typeof s, 'string');
      assert.ok(s.length > 0 && s.length <= SUMMARY_MAX_LENGTH, `${s.length}: ${s.slice(0, 50)}`);
      assert.doesNotMatch(s, /[\n\r]/);
    }
  });

  it('replaces line breaks and bidi overrides in hostile values', () => {
    const s = summarizeEvent(ev('project.updated', { 'project.updated': { id: 'p', changes_requested: { title: 'a\nb\u202Egnp.exe' } } }));
    assert.equal(s, "Project p renamed to 'a b\uFFFDgnp.exe'");
    const long = summarizeEvent(ev('project.updated', { 'project.updated': { id: 'p', changes_requested: { title: 'é'.repeat(500) } } }));
    assert.ok(long.endsWith("…'"));
  });
});
