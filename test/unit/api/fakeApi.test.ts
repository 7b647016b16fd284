/**
 * The client against the shared loopback API server (src/core/sample/loopbackServer.ts) with faults
 * injected: the same paths as the purpose-built loopback tests, now against
 * the server the integration tests and benchmarks use.
 */
import assert from 'node:assert/strict';
import {
  AuditLogClient,
  type AuditLogClientOptions,
  BadRequestError,
  InvalidKeyError,
  InvalidResponseError,
  NotAdminKeyError,
  RateLimitError,
} from '../../../src/core/api';
import { type Fault, FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';
import { SECRET_KEY, recordingSleep, rejectionOf } from './loopback';

function eventsFor(count: number): object[] {
  // Five events per second, so many share a timestamp and order falls back to the id.
  return Array.from({ length: count }, (_, i) => ({
    id: `audit_log-${String(i).padStart(6, '0')}`,
    type: i % 3 === 0 ? 'project.created' : i % 3 === 1 ? 'api_key.updated' : 'some.future_event',
    effective_at: 1_700_000_000 + Math.floor(i / 5),
    project: { id: `proj_${i % 4}`, name: `Project ${i % 4}` },
    actor: { type: 'session', session: { user: { id: `user-${i % 7}`, email: `u${i % 7}@example.com` }, ip_address: '127.0.0.1' } },
  }));
}

describe('api/auditLogClient against the fake API server', function () {
  this.timeout(60_000);
  let server: FakeAuditLogServer;
  const clients: AuditLogClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  function client(options: Partial<AuditLogClientOptions> = {}): AuditLogClient {
    const c = new AuditLogClient({ baseUrl: server.url, apiKey: SECRET_KEY, sleep: recordingSleep().sleep, ...options });
    clients.push(c);
    return c;
  }

  it('fetches 10,000 events exactly once with a fault on every fifth request', async () => {
    server = await FakeAuditLogServer.start({ events: eventsFor(10_000), apiKey: SECRET_KEY });
    const faults: Fault[] = [
      { kind: '429', retryAfterMs: 5 },
      { kind: '500' },
      { kind: 'reset' },
      { kind: '503' },
      { kind: '502' },
      { kind: '429', retryAfterSeconds: 1 },
      { kind: '504' },
    ];
    server.setFaults((n) => (n % 5 === 0 ? faults[(n / 5) % faults.length] : undefined));
    const { delays, sleep } = recordingSleep();
    const ids: string[] = [];
    for await (const event of client({ sleep }).events({ limit: 100 })) ids.push(event.event.id);
    assert.equal(ids.length, 10_000);
    assert.equal(new Set(ids).size, 10_000, 'no duplicates');
    assert.deepEqual(ids, server.eventIds(), 'every event, in the server order');
    const faulted = server.requests.filter((r) => r.fault !== undefined).length;
    assert.equal(server.requestCount, 100 + faulted);
    assert.equal(delays.length, faulted);
    assert.ok(delays.includes(5) && delays.includes(1000), 'server-requested waits were honoured');
  });

  it('sends every filter as the parameters the server understands', async () => {
    server = await FakeAuditLogServer.start({ events: eventsFor(200), apiKey: SECRET_KEY });
    const query = {
      effectiveAt: { gte: 1_700_000_005, lt: 1_700_000_030 },
      projectIds: ['proj_1', 'proj_2'],
      eventTypes: ['project.created', 'api_key.updated'],
      actorIds: ['user-1', 'user-2', 'user-3'],
      actorEmails: ['u1@example.com', 'u2@example.com'],
      limit: 3,
    };
    const ids: string[] = [];
    for await (const event of client().events(query)) ids.push(event.event.id);
    const expected = eventsFor(200)
      .map((e) => e as { id: string; type: string; effective_at: number; project: { id: string }; actor: { session: { user: { id: string; email: string } } } })
      .filter(
        (e) =>
          e.effective_at >= 1_700_000_005 &&
          e.effective_at < 1_700_000_030 &&
          ['proj_1', 'proj_2'].includes(e.project.id) &&
          ['project.created', 'api_key.updated'].includes(e.type) &&
          ['user-1', 'user-2', 'user-3'].includes(e.actor.session.user.id) &&
          ['u1@example.com', 'u2@example.com'].includes(e.actor.session.user.email),
      )
      .map((e) => e.id);
    assert.ok(expected.length > 3, 'the filter leaves several pages');
    assert.deepEqual([...ids].sort(), [...expected].sort());
    assert.deepEqual(server.requests[0]?.query, {
      'effective_at[gte]': ['1700000005'],
      'effective_at[lt]': ['1700000030'],
      'project_ids[]': ['proj_1', 'proj_2'],
      'event_types[]': ['project.created', 'api_key.updated'],
      'actor_ids[]': ['user-1', 'user-2', 'user-3'],
      'actor_emails[]': ['u1@example.com', 'u2@example.com'],
      limit: ['3'],
    });
    assert.equal(server.requests[0]?.headers['user-agent'], 'openai-audit-logs-vscode/0.0.0');
  });

  it('pages towards newer events from a cursor', async () => {
    server = await FakeAuditLogServer.start({ events: eventsFor(50), apiKey: SECRET_KEY });
    const all = server.eventIds();
    const from = all[30]!;
    const ids: string[] = [];
    for await (const event of client().events({ limit: 7, before: from }, { direction: 'newer' })) ids.push(event.event.id);
    assert.deepEqual(ids, all.slice(0, 30).reverse());
  });

  it('maps the server answers to the right errors', async () => {
    server = await FakeAuditLogServer.start({ events: eventsFor(5), apiKey: SECRET_KEY, nonAdminKeys: ['sk-proj-not-admin-key-123456'] });
    assert.ok((await rejectionOf(client({ apiKey: 'sk-admin-wrong-key-0000000000' }).listPage())) instanceof InvalidKeyError);
    assert.ok((await rejectionOf(client({ apiKey: 'sk-proj-not-admin-key-123456' }).listPage())) instanceof NotAdminKeyError);
    const badCursor = await rejectionOf(client().listPage({ after: 'audit_log-nope' }));
    assert.ok(badCursor instanceof BadRequestError, String(badCursor));
    assert.equal(badCursor.param, 'after');
    server.reset();
    server.setFaults({ 1: { kind: 'html' } });
    assert.ok((await rejectionOf(client().listPage())) instanceof InvalidResponseError);
    server.reset();
    server.setFaults(() => ({ kind: '429', retryAfterSeconds: 2 }));
    const limited = await rejectionOf(client({ maxRetries: 2 }).listPage());
    assert.ok(limited instanceof RateLimitError);
    assert.equal(limited.attempts, 3);
    assert.equal(server.requestCount, 3);
  });

  it('times out a request the server never answers and gets the page on retry', async () => {
    server = await FakeAuditLogServer.start({ events: eventsFor(5), apiKey: SECRET_KEY, faults: { 1: { kind: 'hang' } } });
    const page = await client({ timeouts: { headersMs: 150 } }).listPage();
    assert.equal(page.attempts, 2);
    assert.equal(page.data.length, 5);
  });
});
