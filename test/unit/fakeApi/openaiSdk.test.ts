/**
 * The fake server checked against the official `openai` npm package: its
 * `client.admin.organization.auditLogs.list()` auto-pagination (cursor
 * `after=<last_id>` while `has_more`) must see every event exactly once, in
 * order, with the Admin key sent as a bearer token.
 */
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { generateSampleOrganization, type SampleEvent } from '../../../src/core/sample/sampleOrganization';
import { FakeAuditLogServer, startFakeAuditLogServer } from '../../../src/core/sample/loopbackServer';

const ADMIN_KEY = 'sk-admin-sdk-test-key';

describe('fake audit-log server with the official openai SDK', () => {
  let server: FakeAuditLogServer;
  let events: SampleEvent[];

  before(async () => {
    events = generateSampleOrganization({ eventCount: 1000, seed: 11 }).events;
    server = await startFakeAuditLogServer({ events, apiKey: ADMIN_KEY });
  });
  afterEach(() => server.reset());
  after(() => server.close());

  function client(options: { maxRetries?: number } = {}): OpenAI {
    // apiKey: null keeps a stray OPENAI_API_KEY out of it; the audit-log endpoint uses the admin scheme only.
    return new OpenAI({ apiKey: null, adminAPIKey: ADMIN_KEY, baseURL: server.url, maxRetries: options.maxRetries ?? 0, organization: null, project: null });
  }

  it('pages through 1,000 events with `for await`, each exactly once and in order (default limit 20)', async () => {
    const seen: string[] = [];
    for await (const event of client().admin.organization.auditLogs.list()) seen.push(event.id);
    assert.equal(seen.length, 1000);
    assert.deepEqual(seen, events.map((e) => e.id));
    assert.equal(server.requests.length, 50);
    for (const r of server.requests) {
      assert.equal(r.auth, 'ok');
      assert.equal(r.status, 200);
    }
    assert.deepEqual(server.requests[1]!.query, { after: [events[19]!.id] });
  });

  it('returns events equal to what the server holds, at limit 100', async () => {
    const seen: unknown[] = [];
    for await (const event of client().admin.organization.auditLogs.list({ limit: 100 })) seen.push(event);
    assert.deepEqual(seen, JSON.parse(JSON.stringify(events)));
    assert.equal(server.requests.length, 10);
  });

  it('sends filters in the bracketed form the server parses', async () => {
    const types = ['login.succeeded', 'api_key.created'] as const;
    const gte = events[700]!.effective_at;
    const lt = events[100]!.effective_at;
    const expected = events.filter((e) => (types as readonly string[]).includes(e.type) && e.effective_at >= gte && e.effective_at < lt).map((e) => e.id);
    const seen: string[] = [];
    for await (const e of client().admin.organization.auditLogs.list({ event_types: [...types], effective_at: { gte, lt }, limit: 25 })) seen.push(e.id);
    assert.ok(expected.length > 25);
    assert.deepEqual(seen, expected);
    assert.deepEqual(server.requests[0]!.query, { 'event_types[]': [...types], 'effective_at[gte]': [String(gte)], 'effective_at[lt]': [String(lt)], limit: ['25'] });
  });

  it('still gets every event once when every 5th request is a 429 the SDK retries', async () => {
    server.setFaults({ every: 5, fault: { kind: '429', retryAfterMs: 1 } });
    const seen: string[] = [];
    for await (const e of client({ maxRetries: 2 }).admin.organization.auditLogs.list({ limit: 100 })) seen.push(e.id);
    assert.deepEqual(seen, events.map((e) => e.id));
    assert.equal(server.requests.filter((r) => r.status === 429).length, 2);
  });

  it('surfaces a wrong Admin key as the SDK\'s AuthenticationError', async () => {
    const wrong = new OpenAI({ apiKey: null, adminAPIKey: 'sk-admin-wrong', baseURL: server.url, maxRetries: 0 });
    await assert.rejects(wrong.admin.organization.auditLogs.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key');
  });
});
