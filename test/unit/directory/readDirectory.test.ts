/**
 * The directory reader against the loopback fake API: every list paged to its end by `after` cursors, the
 * sample organization's directory consistent with its events, a restricted key's 403s skipped with a note
 * while the rest is read, and nothing secret kept.
 */
import assert from 'node:assert/strict';
import { AuditLogClient } from '../../../src/core/api';
import { readDirectory } from '../../../src/core/directory/readDirectory';
import { sampleDirectory } from '../../../src/core/sample/loopbackDirectory';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';

const KEY = 'sk-admin-directory-unit-0123456789abcdef';
const org = generateSampleOrganization({ seed: 7, eventCount: 400 });

describe('directory: reading the Admin API', function () {
  this.timeout(60_000);
  let server: FakeAuditLogServer;
  let client: AuditLogClient;

  before(async () => {
    server = await startFakeAuditLogServer({ events: org.events, apiKey: KEY, directory: sampleDirectory(org) });
    client = new AuditLogClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 });
  });
  beforeEach(() => {
    server.reset();
    server.directory!.setDenied([]);
    server.directory!.setData(sampleDirectory(org));
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('reads every list, page by page with after=<last id>, and the sample directory matches the roster and events', async () => {
    const d = await readDirectory(client, { pageSize: 2, now: () => 1_800_000_000 });
    assert.equal(d.readAt, 1_800_000_000);
    assert.deepEqual(d.unavailable, []);
    const current = org.users.filter((u) => u.removedAt === undefined);
    assert.deepEqual(d.users.map((u) => u.id).sort(), current.map((u) => u.id).sort(), 'current members only');
    const leaving = org.users.find((u) => u.removedAt !== undefined)!;
    assert.ok(!d.users.some((u) => u.id === leaving.id), 'the removed user is not listed');
    assert.ok(d.projects.some((p) => p.status === 'archived'), 'archived projects are read (include_archived)');
    assert.ok(!d.projects.some((p) => org.projects.find((q) => q.id === p.id)?.status === 'deleted'), 'a deleted project is not listed');
    const liveKeys = org.apiKeys.filter((k) => k.deletedAt === undefined);
    assert.equal(d.adminApiKeys.length, liveKeys.filter((k) => k.kind === 'admin').length);
    assert.equal(d.apiKeys.length + d.adminApiKeys.length, liveKeys.filter((k) => k.kind === 'admin' || d.projects.some((p) => p.id === k.projectId)).length);
    assert.ok(d.apiKeys.every((k) => /^sk-proj-\*{4}.{4}$/.test(k.redactedValue)));
    const groupNames = d.groups.map((g) => g.name);
    assert.ok(groupNames.includes('Platform Engineering'), 'a group created in the events');
    assert.ok(d.groups.every((g) => g.memberIds.length > 0), 'members read per group');
    assert.ok(d.roles.some((r) => r.projectId !== undefined), 'project roles are read');
    assert.ok(d.serviceAccounts.length > 0 && d.projectUsers.length > 0);
    // Paging: the users list with limit=2 took ceil(n/2) requests, each after the previous page's last id.
    const userPages = server.requests.filter((r) => r.path === '/v1/organization/users');
    assert.equal(userPages.length, Math.ceil(current.length / 2));
    assert.equal(userPages[0]!.query.after, undefined);
    assert.equal(userPages[1]!.query.after?.[0], d.users[1]!.id);
    assert.ok(userPages.every((r) => r.query.limit?.[0] === '2'));
  });

  it('a restricted key: the 403 lists are skipped with a note each, everything else is read', async () => {
    server.directory!.setDenied(['apiKeys', 'adminApiKeys', 'groupMembers']);
    const d = await readDirectory(client);
    assert.deepEqual(d.unavailable, [
      'Members of groups: not readable with this key',
      'API keys of projects: not readable with this key',
      'Admin API keys: not readable with this key',
    ]);
    assert.equal(d.apiKeys.length, 0);
    assert.equal(d.adminApiKeys.length, 0);
    assert.ok(d.users.length > 0 && d.projects.length > 0 && d.serviceAccounts.length > 0 && d.groups.length > 0);
    assert.ok(d.groups.every((g) => g.memberIds.length === 0));
    // A refused list is asked once, not once per project or group.
    assert.equal(server.requests.filter((r) => r.path.endsWith('/api_keys')).length, 1);
    assert.equal(server.requests.filter((r) => /\/groups\/[^/]+\/users$/.test(r.path)).length, 1);
  });

  it('a key that can read none of the lists (401 everywhere) fails the read with the key error', async () => {
    const wrong = new AuditLogClient({ baseUrl: server.url, apiKey: 'sk-admin-wrong', maxRetries: 0 });
    try {
      await assert.rejects(readDirectory(wrong), (e: Error) => e.name === 'InvalidKeyError' && !e.message.includes('sk-admin-wrong'));
    } finally {
      await wrong.close();
    }
  });

  it('keeps only the redacted value: a secret `value` in a response is never copied', async () => {
    const data = sampleDirectory(org);
    const first = data.adminApiKeys[0]!;
    first.value = 'sk-admin-THIS-IS-A-SECRET-VALUE';
    server.directory!.setData(data);
    const d = await readDirectory(client);
    assert.ok(!JSON.stringify(d).includes('THIS-IS-A-SECRET-VALUE'));
    assert.equal(d.adminApiKeys.find((k) => k.id === first.id)?.redactedValue, first.redacted_value);
  });

  it('the fake pages as the Admin API does: limit 1..100, after=<an id of the list> (else 400), archived projects only when asked', async () => {
    const get = async (path: string, params: Record<string, string | number | boolean> = {}) => {
      try {
        return (await client.getJson(path, params)).body as { data: { id: string; status?: string }[]; has_more: boolean; last_id: string | null };
      } catch (e) {
        return e as Error;
      }
    };
    const first = (await get('/organization/users', { limit: 3 })) as Exclude<Awaited<ReturnType<typeof get>>, Error>;
    assert.equal(first.data.length, 3);
    assert.equal(first.has_more, true);
    const next = (await get('/organization/users', { limit: 3, after: first.last_id! })) as typeof first;
    assert.ok(!next.data.some((u) => first.data.some((f) => f.id === u.id)), 'the next page starts after the cursor');
    assert.match(String(await get('/organization/users', { after: 'user-unknown' })), /BadRequestError|400/);
    assert.match(String(await get('/organization/users', { limit: 101 })), /BadRequestError|400/);
    assert.match(String(await get('/organization/projects/proj_unknown/api_keys')), /EndpointNotFoundError|404/);
    const active = (await get('/organization/projects', { limit: 100 })) as typeof first;
    const all = (await get('/organization/projects', { limit: 100, include_archived: true })) as typeof first;
    assert.ok(active.data.every((p) => p.status !== 'archived') && all.data.some((p) => p.status === 'archived'));
  });

  it('a server failure that is not about the key fails the read (5xx after retries)', async () => {
    server.setFaults({ 3: { kind: '500' } });
    await assert.rejects(readDirectory(client), /ServerError|500/);
  });
});
