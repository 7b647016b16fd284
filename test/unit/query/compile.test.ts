import * as assert from 'node:assert/strict';
import type { AuditArchive } from '../../../src/core/archive';
import { ALL, craftedArchive, find } from './fixtures';

describe('query compiler over a real archive', () => {
  let archive: AuditArchive;
  before(async () => (archive = await craftedArchive()));
  after(() => archive.close());

  const expect = (q: string, ids: string[]) => it(`${q} → ${ids.length} events`, () => assert.deepEqual(find(archive, q), ids));

  describe('fields', () => {
    expect('type:api_key.created', ['evt_key_created']);
    expect('type:api_key.*', ['evt_key_created', 'evt_key_deleted']);
    expect('type:API_KEY.CREATED', ['evt_key_created']);
    expect('actor:ada@acme.example', ['evt_key_created', 'evt_project_updated']);
    expect('actor:eve@evil.example', ['evt_login_failed']);
    expect('actor:user-bob', ['evt_key_deleted']);
    expect('actor:key_abc', ['evt_key_deleted']);
    expect('actor:svc_acct_bot', ['evt_sso_updated']);
    expect('actor.type:api_key', ['evt_key_deleted', 'evt_sso_updated']);
    expect('actor.type:session', ['evt_key_created', 'evt_login_failed', 'evt_project_updated', 'evt_role_bound']);
    expect('project:proj_atlas', ['evt_key_created', 'evt_project_updated']);
    expect('project:"Atlas Core"', ['evt_key_created', 'evt_project_updated']);
    expect('project:atlas*', ['evt_key_created', 'evt_project_updated']);
    expect('resource:key_new1', ['evt_key_created', 'evt_key_deleted']);
    expect('resource:sso_*', ['evt_sso_updated']);
    expect('ip:198.51.100.23', ['evt_key_created']);
    expect('ip:198.51.*', ['evt_key_created', 'evt_project_updated']);
    expect('ip:2001:db8::1', ['evt_login_failed']);
    expect('country:GB', ['evt_key_created', 'evt_project_updated']);
    expect('country:us', ['evt_login_failed', 'evt_role_bound']);
    expect('ua:firefox', ['evt_key_created', 'evt_project_updated']);
    expect('ua:curl', ['evt_login_failed']);
    expect('key:key_new1', ['evt_key_created', 'evt_key_deleted']);
    expect('key:key_abc', ['evt_key_deleted']);
    expect('tenant:true', ['evt_sso_updated', 'evt_role_bound']);
    expect('tenant:false', ['evt_key_created', 'evt_key_deleted', 'evt_login_failed', 'evt_project_updated']);
    expect('tenant:sso_1', ['evt_sso_updated']);
    expect('id:evt_login_failed', ['evt_login_failed']);
    expect('ID:evt_login_failed', ['evt_login_failed']);
  });

  describe('time', () => {
    expect('last:3h', ['evt_key_created', 'evt_key_deleted']);
    expect('last:90m', ['evt_key_created']);
    expect('last:3d', ['evt_key_created', 'evt_key_deleted', 'evt_login_failed']);
    expect('last:2w', ALL.slice(0, 4));
    expect('after:2026-11-08 before:2026-11-15', ['evt_project_updated']);
    expect('after:2026-11-08 before:2026-11-17', ['evt_login_failed', 'evt_project_updated']);
    expect('before:2026-10-20', ['evt_role_bound']);
    expect(`after:${1_795_000_000 - 7_200}`, ['evt_key_created', 'evt_key_deleted']);
    expect('after:2026-11-18T07:13:20Z', ['evt_key_created', 'evt_key_deleted']);
    expect('after:2026-11-18T09:13:20+02:00', ['evt_key_created', 'evt_key_deleted']);
  });

  describe('JSON paths', () => {
    expect('actor.session.user.email:carol@acme.example', ['evt_role_bound']);
    expect('changes_requested.enforced:true', ['evt_sso_updated']);
    expect('data.scopes:api.model.read', ['evt_key_created']);
    expect('data.scopes:api.files.*', ['evt_key_created']);
    expect('changes_requested.title:o*', ['evt_project_updated']);
    expect('actor.session.ip_address_details.city:x', ['evt_key_created', 'evt_login_failed', 'evt_project_updated', 'evt_role_bound']);
    expect('no.such.path:x', []);
    expect('payload.error_message:bad*', ['evt_login_failed']);
    expect('payload.resource_id:tenant_1', ['evt_role_bound']);
  });

  describe('text, negation, OR, parentheses', () => {
    expect('password', ['evt_login_failed']);
    expect('passw*', ['evt_login_failed']);
    expect('"bad password"', ['evt_login_failed']);
    expect('"password bad"', []);
    expect('tomato', []);
    expect('-type:api_key.*', ALL.slice(2));
    expect('NOT type:api_key.* NOT tenant:true', ['evt_login_failed', 'evt_project_updated']);
    expect('-project:proj_atlas', ['evt_key_deleted', 'evt_login_failed', 'evt_sso_updated', 'evt_role_bound']);
    expect('type:login.failed OR type:project.updated', ['evt_login_failed', 'evt_project_updated']);
    expect('type:api_key.* -actor:bob@acme.example', ['evt_key_created']);
    expect('(type:login.failed OR ip:198.51.*) country:GB', ['evt_key_created', 'evt_project_updated']);
    expect('type:login.failed OR ip:198.51.* country:GB', ['evt_key_created', 'evt_login_failed', 'evt_project_updated']);
    expect('-(type:api_key.* OR tenant:true)', ['evt_login_failed', 'evt_project_updated']);
    expect('ada AND atlas', ['evt_key_created', 'evt_project_updated']);
    expect('', ALL);
  });
});

describe('query compiler: names from the directory (issue 15)', () => {
  it('actor:"<name>" and project:<name> match by the directory\'s names once it is read, and nothing extra before', async () => {
    const archive = await craftedArchive();
    try {
      assert.deepEqual(find(archive, 'actor:"Grace Hopper"'), [], 'no directory yet: the name is unknown');
      assert.deepEqual(find(archive, 'project:Borealis'), []);
      archive.writeSql((sql) => {
        const add = (kind: string, id: string, name: string, email: string | null) =>
          sql.run('INSERT INTO directory_entries (kind, scope, id, name, email, data) VALUES (?, ?, ?, ?, ?, ?)', [kind, '', id, name, email, '{}']);
        add('user', 'user-ada', 'Grace Hopper', 'ada@acme.example');
        add('serviceAccount', 'svc_acct_bot', "Bot'); DROP TABLE events; --", null);
        add('project', 'proj_atlas', 'Borealis', null);
      });
      assert.deepEqual(find(archive, 'actor:"Grace Hopper"'), ['evt_key_created', 'evt_project_updated']);
      assert.deepEqual(find(archive, 'actor:grace*'), ['evt_key_created', 'evt_project_updated']);
      assert.deepEqual(find(archive, `actor:"Bot'); DROP TABLE events; --"`), ['evt_sso_updated'], 'a hostile name is a value');
      assert.deepEqual(find(archive, 'project:Borealis'), ['evt_key_created', 'evt_project_updated'], 'the project as the directory names it now');
      assert.deepEqual(find(archive, '-actor:"Grace Hopper" type:project.*'), []);
      assert.equal(find(archive, '').length, ALL.length, 'the events are all still there');
    } finally {
      archive.close();
    }
  });
});
