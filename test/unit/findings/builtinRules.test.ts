import * as assert from 'node:assert/strict';
import { byRule, ev, findingsOf, inProject, session, T } from './helpers';

const admin = session('admin@acme.example');
const fails = (email: string, n: number, at: number, step = 30, ips = true) =>
  Array.from({ length: n }, (_, i) => ev('login.failed', at + i * step, { error_code: 'invalid_credentials' }, session(email, ips ? `203.0.113.${i + 1}` : '203.0.113.1')));

describe('findings: the built-in rules, each positive and negative', () => {
  describe('admin-role-granted', () => {
    it('is critical for an organization owner (user.updated, invite.sent), high for a project owner (user.added, service_account.created)', async () => {
      const org = ev('user.updated', T, { id: 'user_1', changes_requested: { role: 'owner' } }, admin);
      const invite = ev('invite.sent', T + 1, { id: 'invite_1', data: { email: 'x@y.example', role: 'owner' } }, admin);
      const proj = ev('user.added', T + 2, { id: 'user_2', data: { role: 'owner' } }, { ...admin, ...inProject() });
      const sa = ev('service_account.created', T + 3, { id: 'svc_1', data: { role: 'owner' } }, { ...admin, ...inProject() });
      const found = byRule(await findingsOf([[org, invite, proj, sa]]), 'admin-role-granted');
      const sev = Object.fromEntries(found.map((f) => [f.eventIds[0], f.severity]));
      assert.deepEqual(sev, { [(org as { id: string }).id]: 'critical', [(invite as { id: string }).id]: 'critical', [(proj as { id: string }).id]: 'high', [(sa as { id: string }).id]: 'high' });
    });

    it('says "role unknown" at medium when a role assignment names no role, and resolves a role id through role.created / role.updated', async () => {
      const unknown = ev('role.assignment.created', T, { id: 'ra_1', principal_id: 'user_1', principal_type: 'user', resource_id: 'proj_1', resource_type: 'api.project' }, admin);
      const created = ev('role.created', T - 100, { id: 'role_abc', role_name: 'Billing viewer', permissions: [] }, admin);
      const renamed = ev('role.updated', T - 50, { id: 'role_abc', changes_requested: { role_name: 'Project Admin' } }, admin);
      const viaId = ev('role.assignment.created', T + 1, { id: 'ra_2', role_id: 'role_abc', principal_id: 'group_1', principal_type: 'group', resource_id: 'proj_1', resource_type: 'api.project' }, { ...admin, ...inProject() });
      const plain = ev('role.assignment.created', T + 2, { id: 'ra_3', role_name: 'Reader', principal_id: 'user_2', principal_type: 'user' }, admin);
      const found = byRule(await findingsOf([[created, renamed, unknown, viaId, plain]]), 'admin-role-granted');
      assert.equal(found.length, 2, 'the Reader assignment is not a finding');
      const u = found.find((f) => f.eventIds[0] === (unknown as { id: string }).id)!;
      assert.equal(u.severity, 'medium');
      assert.match(u.title, /role unknown \(user user_1\)/);
      const r = found.find((f) => f.eventIds[0] === (viaId as { id: string }).id)!;
      assert.equal(r.severity, 'high');
      assert.match(r.title, /"Project Admin"/, 'the newest name from the role history');
    });

    it('ignores non-admin roles', async () => {
      const found = await findingsOf([[ev('user.updated', T, { id: 'u', changes_requested: { role: 'reader' } }, admin), ev('invite.sent', T, { id: 'i', data: { role: 'member' } }, admin)]]);
      assert.deepEqual(byRule(found, 'admin-role-granted'), []);
    });
  });

  describe('api-key-elevated-scopes', () => {
    it('is medium for write scopes and high for all or admin scopes, from data.scopes and changes_requested.scopes', async () => {
      const w = ev('api_key.created', T, { id: 'key_w', data: { scopes: ['api.model.request', 'api.files.write'] } }, { ...admin, ...inProject() });
      const all = ev('api_key.updated', T + 1, { id: 'key_a', changes_requested: { scopes: ['api.all'] } }, { ...admin, ...inProject() });
      const found = byRule(await findingsOf([[w, all]]), 'api-key-elevated-scopes');
      assert.deepEqual(found.map((f) => [f.eventIds[0], f.severity]).sort(), [[(w as { id: string }).id, 'medium'], [(all as { id: string }).id, 'high']].sort());
    });
    it('ignores read and request scopes', async () => {
      const r = ev('api_key.created', T, { id: 'key_r', data: { scopes: ['api.model.read', 'api.model.request'] } }, { ...admin, ...inProject() });
      assert.deepEqual(byRule(await findingsOf([[r]]), 'api-key-elevated-scopes'), []);
    });
  });

  describe('admin-api-key-created', () => {
    it('is high for a key created outside any project', async () => {
      const k = ev('api_key.created', T, { id: 'key_admin', data: { scopes: ['api.management.read'] } }, admin);
      const found = byRule(await findingsOf([[k]]), 'admin-api-key-created');
      assert.deepEqual(found.map((f) => [f.eventIds, f.severity]), [[[(k as { id: string }).id], 'high']]);
    });
    it('ignores a project key', async () => {
      const k = ev('api_key.created', T, { id: 'key_p', data: { scopes: ['api.model.request'] } }, { ...admin, ...inProject() });
      assert.deepEqual(byRule(await findingsOf([[k]]), 'admin-api-key-created'), []);
    });
  });

  describe('credential-stuffing', () => {
    it('is medium for 5 distinct IPs within 30 minutes, with exactly those events', async () => {
      const f = fails('victim@acme.example', 5, T, 60);
      const found = byRule(await findingsOf([f]), 'credential-stuffing');
      assert.equal(found.length, 1);
      assert.equal(found[0]!.severity, 'medium');
      assert.deepEqual(found[0]!.eventIds, f.map((e) => (e as { id: string }).id));
    });
    it('ignores 4 IPs, one IP many times, and 5 IPs spread over more than 30 minutes', async () => {
      const found = await findingsOf([[...fails('a@acme.example', 4, T), ...fails('b@acme.example', 9, T, 10, false), ...fails('c@acme.example', 5, T, 500)]]);
      assert.deepEqual(byRule(found, 'credential-stuffing'), []);
    });
  });

  describe('brute-force-success', () => {
    it('is high for 3 failures then a success within the window', async () => {
      const f = fails('v@acme.example', 3, T, 60, false);
      const ok = ev('login.succeeded', T + 300, {}, session('v@acme.example'));
      const found = byRule(await findingsOf([[...f, ok]]), 'brute-force-success');
      assert.deepEqual(found.map((x) => [x.severity, x.eventIds]), [['high', [...f, ok].map((e) => (e as { id: string }).id)]]);
    });
    it('ignores a success with too few failures, another email, or after the window', async () => {
      const found = await findingsOf([[
        ...fails('a@acme.example', 2, T, 60, false), ev('login.succeeded', T + 200, {}, session('a@acme.example')),
        ...fails('b@acme.example', 3, T, 60, false), ev('login.succeeded', T + 200, {}, session('someone-else@acme.example')),
        ...fails('c@acme.example', 3, T, 60, false), ev('login.succeeded', T + 4000, {}, session('c@acme.example')),
      ]]);
      assert.deepEqual(byRule(found, 'brute-force-success'), []);
    });
  });

  describe('ip-allowlist-changed', () => {
    it('is critical when deleted or deactivated, high when updated, medium when created or activated', async () => {
      const evs = [
        ev('ip_allowlist.deleted', T, { id: 'ipl_1' }, admin),
        ev('ip_allowlist.config.deactivated', T, { configs: [{ id: 'ipl_1' }] }, admin),
        ev('ip_allowlist.updated', T, { id: 'ipl_1', allowed_ips: ['1.2.3.4/32'] }, admin),
        ev('ip_allowlist.created', T, { id: 'ipl_2', allowed_ips: [] }, admin),
        ev('ip_allowlist.config.activated', T, { configs: [] }, admin),
      ];
      const found = byRule(await findingsOf([evs]), 'ip-allowlist-changed');
      const sev = Object.fromEntries(found.map((f) => [f.eventIds[0], f.severity]));
      assert.deepEqual(evs.map((e) => sev[(e as { id: string }).id]), ['critical', 'critical', 'high', 'medium', 'medium']);
    });
    it('ignores other types', async () => {
      assert.deepEqual(byRule(await findingsOf([[ev('project.updated', T, { id: 'p' }, admin)]]), 'ip-allowlist-changed'), []);
    });
  });

  describe('scim-disabled and scim-enabled', () => {
    it('are high and low', async () => {
      const found = await findingsOf([[ev('scim.disabled', T, { id: 'org' }, admin), ev('scim.enabled', T + 1, { id: 'org' }, admin), ev('group.created', T, { id: 'g' }, admin)]]);
      assert.deepEqual(found.map((f) => [f.rule, f.severity]).sort(), [['scim-disabled', 'high'], ['scim-enabled', 'low']]);
    });
  });

  describe('security-settings-off', () => {
    it('is high for SSO or MFA turned off in organization.updated (also under settings) and for a *.config.* deactivation', async () => {
      const sso = ev('organization.updated', T, { id: 'org', changes_requested: { sso_enforced: false } }, admin);
      const mfa = ev('organization.updated', T + 1, { id: 'org', changes_requested: { settings: { mfa_required: 'optional' } } }, admin);
      const cfg = ev('sso.config.deactivated', T + 2, { id: 'cfg' }, admin);
      const found = byRule(await findingsOf([[sso, mfa, cfg]]), 'security-settings-off');
      assert.deepEqual(found.map((f) => f.eventIds[0]).sort(), [sso, mfa, cfg].map((e) => (e as { id: string }).id).sort());
      assert.ok(found.every((f) => f.severity === 'high'));
    });
    it('ignores a security setting turned on, other settings turned off, and an ip_allowlist config (its own rule)', async () => {
      const on = ev('organization.updated', T, { id: 'org', changes_requested: { mfa_required: true } }, admin);
      const other = ev('organization.updated', T, { id: 'org', changes_requested: { threads_ui_visibility: 'NONE' } }, admin);
      const ipl = ev('ip_allowlist.config.deactivated', T, { configs: [] }, admin);
      assert.deepEqual(byRule(await findingsOf([[on, other, ipl]]), 'security-settings-off'), []);
    });
  });

  describe('new-country-for-actor', () => {
    it('is medium for a login from a country not seen for the actor before, whatever the order the events arrive in', async () => {
      const us1 = ev('login.succeeded', T, {}, session('a@acme.example', '198.51.100.1', 'US'));
      const us2 = ev('login.succeeded', T + 100, {}, session('a@acme.example', '198.51.100.2', 'US'));
      const ru = ev('login.succeeded', T + 200, {}, session('a@acme.example', '203.0.113.9', 'RU'));
      const inOrder = byRule(await findingsOf([[us1], [us2], [ru]]), 'new-country-for-actor');
      const reversed = byRule(await findingsOf([[ru], [us2], [us1]]), 'new-country-for-actor');
      for (const found of [inOrder, reversed]) {
        assert.deepEqual(found.map((f) => [f.severity, f.eventIds]), [['medium', [(ru as { id: string }).id]]]);
        assert.match(found[0]!.title, /\(RU\)/);
      }
    });
    it('ignores the first country of an actor and a country another actor used', async () => {
      const found = await findingsOf([[ev('login.succeeded', T, {}, session('a@acme.example', '1.1.1.1', 'US')), ev('login.succeeded', T, {}, session('b@acme.example', '2.2.2.2', 'DE'))]]);
      assert.deepEqual(byRule(found, 'new-country-for-actor'), []);
    });
    const network = (email: string, details: object) => ({ actor: { type: 'session', session: { user: { id: `user-${email}`, email }, ip_address: '192.0.2.1', ip_address_details: details } } });
    it('is medium for a login from a network (ASN) not seen for the actor before, when the details name no country', async () => {
      const first = ev('login.succeeded', T, {}, network('a@acme.example', { asn: '7922' }));
      const again = ev('login.succeeded', T + 50, {}, network('a@acme.example', { asn: 7922 }));
      const other = ev('login.succeeded', T + 100, {}, network('a@acme.example', { asn: '64512', city: 'X' }));
      for (const batches of [[[first], [again], [other]], [[other, again], [first]]]) {
        const found = byRule(await findingsOf(batches), 'new-country-for-actor');
        assert.deepEqual(found.map((f) => [f.severity, f.eventIds]), [['medium', [(other as { id: string }).id]]]);
        assert.equal(found[0]!.title, 'Login for a@acme.example from a new network (ASN 64512)');
      }
    });
    it('ignores a new ASN in a known country, the first ASN of an actor, and details with neither', async () => {
      const found = await findingsOf([
        [
          ev('login.succeeded', T, {}, network('a@acme.example', { country: 'US', asn: '7922' })),
          ev('login.succeeded', T + 10, {}, network('a@acme.example', { country: 'US', asn: '701' })),
          ev('login.succeeded', T + 20, {}, network('b@acme.example', { asn: '3320' })),
          ev('login.succeeded', T + 30, {}, network('b@acme.example', { city: 'Berlin' })),
          ev('login.succeeded', T + 40, {}, network('b@acme.example', { asn: '' })),
        ],
      ]);
      assert.deepEqual(byRule(found, 'new-country-for-actor'), []);
    });
  });

  describe('mass-deletion', () => {
    it('is high for 10 deletions by one actor within 10 minutes', async () => {
      const dels = Array.from({ length: 10 }, (_, i) => ev(['project.deleted', 'api_key.deleted', 'user.deleted', 'service_account.deleted'][i % 4]!, T + i * 30, { id: `r${i}` }, admin));
      const found = byRule(await findingsOf([dels]), 'mass-deletion');
      assert.deepEqual(found.map((f) => [f.severity, f.eventIds.length]), [['high', 10]]);
    });
    it('ignores 9 deletions, and 10 spread over more than 10 minutes', async () => {
      const nine = Array.from({ length: 9 }, (_, i) => ev('api_key.deleted', T + i, { id: `k${i}` }, admin));
      const slow = Array.from({ length: 10 }, (_, i) => ev('api_key.deleted', T + 10_000 + i * 120, { id: `s${i}` }, session('other@acme.example')));
      assert.deepEqual(byRule(await findingsOf([[...nine, ...slow]]), 'mass-deletion'), []);
    });
  });
});
