import { strict as assert } from 'node:assert';
import { changeGist, GIST_MAX_LENGTH } from '../../../src/core/analysis/changeGist';
import type { AuditEvent } from '../../../src/core/model';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';
import { allTypesEvents, realisticEvent } from '../model/fixtures';
import { AUDIT_LOG_EVENT_TYPES } from '../../../src/core/model/generated';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BIDI_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

const ev = (type: string, detail?: unknown, extra: Record<string, unknown> = {}): AuditEvent =>
  ({ id: 'audit_log-1', type, effective_at: 1_720_000_000, ...(detail !== undefined ? { [type]: detail } : {}), ...extra }) as AuditEvent;

function assertSafe(gist: string | undefined, what: string): void {
  if (gist === undefined) return;
  assert.equal(typeof gist, 'string', what);
  assert.ok(gist.length > 0, `${what}: empty gist`);
  assert.ok([...gist].length <= GIST_MAX_LENGTH, `${what}: ${gist.length} characters`);
  assert.doesNotMatch(gist, BIDI_OR_CONTROL, what);
  assert.doesNotMatch(gist, /[\r\n\t\u2028\u2029]/, what);
  assert.doesNotMatch(gist, /undefined|\[object Object\]/, `${what}: ${gist}`);
}

describe('changeGist: what an event changed, for its row', () => {
  it('says what happened in the words an admin looks for', () => {
    const cases: Array<[AuditEvent, string | undefined]> = [
      [ev('user.updated', { id: 'user_1', changes_requested: { role: 'owner' } }), 'role → owner'],
      [ev('user.added', { id: 'user_1', data: { role: 'owner' } }), 'added as owner'],
      [ev('service_account.created', { id: 'svc_1', data: { role: 'member' } }), 'created as member'],
      [ev('invite.sent', { id: 'inv_1', data: { email: 'new@b.com', role: 'owner' } }), 'new@b.com as owner'],
      [
        ev('api_key.created', { id: 'key_1', data: { scopes: ['api.model.read', 'api.files.read', 'api.batch.write', 'api.evals.read'] } }),
        'scopes: api.model.read, api.files.read, api.batch.write (+1)',
      ],
      [ev('api_key.created', { id: 'key_1', data: { scopes: [] } }), 'no scopes'],
      [ev('ip_allowlist.config.deactivated', { configs: [{ id: 'ipal_1', name: 'Office networks' }] }), 'deactivated: Office networks'],
      [ev('certificates.activated', { certificates: [{ id: 'c1', name: 'Root' }, { id: 'c2' }] }), 'activated: Root, c2'],
      [ev('ip_allowlist.created', { id: 'ipal_1', name: 'VPN egress', allowed_ips: ['192.0.2.10/32'] }), "'VPN egress'; IPs: 192.0.2.10/32"],
      [ev('role.updated', { id: 'role_1', changes_requested: { permissions_added: ['p1'], permissions_removed: ['p2'] } }), 'permissions +p1 −p2'],
      [ev('role.created', { id: 'role_1', role_name: 'Readers', permissions: ['api.files.read'] }), "'Readers'; permissions: api.files.read"],
      [ev('role.assignment.created', { id: 'ra_1', principal_id: 'user_7', principal_type: 'user', resource_id: 'proj_1' }), 'for user user_7'],
      [ev('project.created', { id: 'proj_1', data: { name: 'n', title: 'Shiny' } }), "'Shiny'"],
      [ev('login.failed', { error_code: 'invalid_credentials', error_message: 'Wrong password' }), 'invalid_credentials'],
      [ev('tenant.user.looked_up', { id: 'user_1', data: { lookup: 'email' } }), 'lookup: email'],
      [ev('tenant.api_organization_invite.upserted', { id: 'oi_1', data: { email: 'a@b.com', role: 'member' } }), 'a@b.com as member'],
      [ev('ip_allowlist.updated', { id: 'ipal_1', allowed_ips: ['10.0.0.1/32', '10.0.0.2/32', '10.0.0.3/32', '10.0.0.4/32'] }), 'allowed_ips → 10.0.0.1/32, 10.0.0.2/32, 10.0.0.3/32 (+1)'],
      // A few short fields with their values; more than fit, their names (nested ones by path).
      [ev('tenant.user.updated', { id: 'u', changes_requested: { role: 'member', display_name: 'Victor Huang' } }), 'role → member, display_name → Victor Huang'],
      [
        ev('organization.updated', {
          id: 'org_1',
          changes_requested: { name: 'acme-research-labs-with-a-long-name', settings: { threads_ui_visibility: 'OWNERS', usage_dashboard_visibility: 'OWNERS' } },
        }),
        'name, settings.threads_ui_visibility, settings.usage_dashboard_visibility',
      ],
      // Nothing to add to the type and resource id the row shows already.
      [ev('api_key.deleted', { id: 'key_1' }), undefined],
      [ev('login.succeeded', {}), undefined],
      [ev('login.succeeded'), undefined],
      [ev('project.updated', { id: 'p', changes_requested: {} }), undefined],
      [ev('quantum.entangled', { id: 'q_1' }), undefined],
    ];
    for (const [event, expected] of cases) assert.equal(changeGist(event), expected, event.type);
  });

  it('every one of the 145 types yields a gist or nothing: one safe bounded line, never a throw', () => {
    const events = [...allTypesEvents(), ...AUDIT_LOG_EVENT_TYPES.map((_, i) => realisticEvent(i))] as AuditEvent[];
    for (const e of events) {
      const gist = changeGist(e);
      assertSafe(gist, e.type);
      // Whatever carries a payload says something about it.
      const detail = (e as Record<string, unknown>)[e.type] as Record<string, unknown> | undefined;
      const payload = (detail?.['changes_requested'] ?? detail?.['data']) as Record<string, unknown> | undefined;
      if (payload && Object.keys(payload).length > 0) assert.notEqual(gist, undefined, `${e.type}: ${JSON.stringify(detail)}`);
    }
  });

  it('every event of the sample organization, hostile strings included', () => {
    const { events } = generateSampleOrganization({ eventCount: 400 });
    const gists = events.map((e) => changeGist(e as unknown as AuditEvent));
    gists.forEach((g, i) => assertSafe(g, events[i]!.type));
    // The bidi override in a group name is gone, its text kept.
    const renamed = events.findIndex((e) => e.type === 'group.updated' && JSON.stringify(e).includes('\u202E'));
    assert.ok(renamed >= 0, 'the sample renames a group with a bidi override');
    assert.equal(gists[renamed], 'group_name → Research Team txt.exe');
  });

  it('hostile values: bidi, line breaks, huge strings and lists, odd keys, wrong types', () => {
    const long = 'A'.repeat(5_000);
    const hostile: AuditEvent[] = [
      ev('group.updated', { id: 'g', changes_requested: { group_name: 'Research Team \u202Etxt.exe\n<b>x</b>' } }),
      ev('project.updated', { id: 'p', changes_requested: { [`ti\u2067tle\n${long}`]: `\u2067${long}\u2069` } }),
      ev('api_key.created', { id: 'k', data: { scopes: Array.from({ length: 10_000 }, (_, i) => `scope_${i}\u202E`) } }),
      ev('user.added', { id: 'u', data: { role: { nested: ['owner'] }, email: 42 } }),
      ev('user.updated', { id: 'u', changes_requested: JSON.parse('{"__proto__": {"role": "owner"}, "constructor": "x"}') }),
      ev('role.updated', { id: 'r', changes_requested: { permissions_added: 'not a list', permissions_removed: [null, {}, []] } }),
      ev('ip_allowlist.config.activated', { configs: [null, 7, 'x', { name: ['no'] }] }),
      ev('login.failed', { error_code: '\u0000\u0007\u001b[31m' }),
      ev('project.created', { id: 'p', data: null }),
      ev('project.created', []),
      ev('project.updated', 'just a string'),
      ev('tenant.user.updated', { id: 'u', changes_requested: { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: 1 } } } } } } } } } } }),
      { id: 'x', type: 7, effective_at: 1 } as unknown as AuditEvent,
      null as unknown as AuditEvent,
      'event' as unknown as AuditEvent,
    ];
    for (const e of hostile) {
      let gist: string | undefined;
      assert.doesNotThrow(() => (gist = changeGist(e)));
      assertSafe(gist, JSON.stringify(e)?.slice(0, 80) ?? String(e));
    }
    assert.equal(changeGist(hostile[0]!), 'group_name → Research Team txt.exe <b>x</b>');
    assert.equal(changeGist(hostile[7]!), '[31m', 'control characters dropped, the rest kept');
  });
});
