import assert from 'node:assert/strict';
import * as http from 'node:http';
import { request } from 'undici';
import { FakeAuditLogServer, startFakeAuditLogServer, type RecordedRequest } from '../../../src/core/sample/loopbackServer';
import { TEST_KEY, handMadeEvents, rawGet } from './rawClient';

/** node:http GET that reports what a raw client sees, including a body cut short. */
function nodeGet(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; error?: Error }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${TEST_KEY}` }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', (error) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, error }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, error: new Error('aborted') }));
    });
    req.on('error', reject);
  });
}

describe('fake audit-log server: faults', () => {
  let server: FakeAuditLogServer;
  let endpoint: string;

  beforeEach(async () => {
    server = await startFakeAuditLogServer({ events: handMadeEvents(), apiKey: TEST_KEY });
    endpoint = `${server.url}/organization/audit_logs`;
  });
  afterEach(() => server.close());

  it('429 at a chosen request number, with retry-after and retry-after-ms, then normal service', async () => {
    server.setFaults({ 2: { kind: '429', retryAfterSeconds: 1, retryAfterMs: 250, headers: { 'x-ratelimit-reset-requests': '250ms' } } });
    assert.equal((await rawGet(endpoint)).status, 200);
    const limited = await rawGet(endpoint);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '1');
    assert.equal(limited.headers['retry-after-ms'], '250');
    assert.equal(limited.headers['x-ratelimit-reset-requests'], '250ms');
    const { error } = JSON.parse(limited.text);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal((await rawGet(endpoint)).status, 200);
    assert.deepEqual(
      server.requests.map((r) => [r.number, r.fault, r.status]),
      [
        [1, undefined, 200],
        [2, '429', 429],
        [3, undefined, 200],
      ],
    );
  });

  it('429 without retry headers when none are configured', async () => {
    server.setFaults({ 1: { kind: '429' } });
    const res = await rawGet(endpoint);
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], undefined);
    assert.equal(res.headers['retry-after-ms'], undefined);
  });

  for (const kind of ['500', '502', '503', '504'] as const) {
    it(`${kind} with OpenAI's error body`, async () => {
      server.setFaults({ 1: { kind } });
      const res = await rawGet(endpoint);
      assert.equal(res.status, Number(kind));
      const { error } = JSON.parse(res.text);
      assert.equal(error.type, 'server_error');
      assert.equal(typeof error.message, 'string');
    });
  }

  it('any status and body verbatim', async () => {
    server.setFaults({ 1: { kind: 'status', status: 418, body: 'teapot', contentType: 'text/plain' } });
    const res = await rawGet(endpoint);
    assert.equal(res.status, 418);
    assert.equal(res.text, 'teapot');
  });

  it('connection reset mid-body: full content-length, half the bytes, then the socket closes (node:http)', async () => {
    server.setFaults({ 1: { kind: 'reset' } });
    const res = await nodeGet(endpoint);
    assert.equal(res.status, 200);
    const declared = Number(res.headers['content-length']);
    assert.ok(declared > 100);
    assert.ok(res.error, 'the response ends in an error');
    assert.equal(Buffer.byteLength(res.body), Math.floor(declared / 2));
    assert.throws(() => JSON.parse(res.body), SyntaxError);
  });

  it('connection reset mid-body, seen by undici as a body error', async () => {
    server.setFaults({ 1: { kind: 'reset' } });
    const res = await request(endpoint, { headers: { authorization: `Bearer ${TEST_KEY}` } });
    assert.equal(res.statusCode, 200);
    await assert.rejects(res.body.text());
    assert.equal((await rawGet(endpoint)).status, 200, 'the next request is served');
  });

  it('non-JSON body: 200 with an HTML page', async () => {
    server.setFaults({ 1: { kind: 'html' } });
    const res = await rawGet(endpoint);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.throws(() => JSON.parse(res.text), SyntaxError);
  });

  it('a request that never answers: the client gives up, and close() still returns promptly with requests pending', async () => {
    server.setFaults((n) => (n <= 2 ? { kind: 'hang' } : undefined));
    const started = Date.now();
    await assert.rejects(rawGet(endpoint, { signal: AbortSignal.timeout(150) }), (e: Error) => e.name === 'TimeoutError' || e.name === 'AbortError');
    assert.ok(Date.now() - started >= 140);
    // A second hanging request that nobody aborts: close() must destroy it.
    const pending = rawGet(endpoint).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => server.requestCount === 2);
    const closing = Date.now();
    await server.close();
    assert.ok(Date.now() - closing < 1000);
    assert.equal(await pending, 'failed');
    assert.equal(server.requests[1]!.fault, 'hang');
    assert.equal(server.requests[1]!.status, undefined);
  });

  it('latency per request and as a fault', async () => {
    server.setLatency(80);
    let t = Date.now();
    assert.equal((await rawGet(endpoint)).status, 200);
    assert.ok(Date.now() - t >= 75);
    server.setLatency(0);
    server.setFaults({ 3: { kind: 'latency', ms: 120 } });
    t = Date.now();
    await rawGet(endpoint);
    assert.ok(Date.now() - t < 100);
    t = Date.now();
    assert.equal((await rawGet(endpoint)).status, 200);
    assert.ok(Date.now() - t >= 115);
  });

  it('a latency option at start, and close() while a delayed answer is pending', async () => {
    const slow = await startFakeAuditLogServer({ events: handMadeEvents(), latencyMs: 5_000 });
    const pending = rawGet(`${slow.url}/organization/audit_logs`).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => slow.requestCount === 1);
    await slow.close();
    assert.equal(await pending, 'failed');
  });

  it('every 5th request, and with an offset', async () => {
    server.setFaults({ every: 5, fault: { kind: '503' } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await rawGet(endpoint)).status);
    assert.deepEqual(
      statuses.map((s, i) => (s === 503 ? i + 1 : 0)).filter(Boolean),
      [5, 10],
    );
    server.reset();
    server.setFaults({ every: 4, offset: 1, fault: { kind: '500' } });
    const faulted: number[] = [];
    for (let i = 1; i <= 9; i++) if ((await rawGet(endpoint)).status === 500) faulted.push(i);
    assert.deepEqual(faulted, [1, 5, 9]);
  });

  it('a fault function sees the request number and the recorded request', async () => {
    const seen: [number, string][] = [];
    server.setFaults((n: number, req: RecordedRequest) => {
      seen.push([n, req.rawQuery]);
      return req.query.limit?.[0] === '2' ? { kind: '500' } : undefined;
    });
    assert.equal((await rawGet(`${endpoint}?limit=1`)).status, 200);
    assert.equal((await rawGet(`${endpoint}?limit=2`)).status, 500);
    assert.deepEqual(seen, [
      [1, 'limit=1'],
      [2, 'limit=2'],
    ]);
    server.setFaults(undefined);
    assert.equal((await rawGet(`${endpoint}?limit=2`)).status, 200);
  });

  it('reset() clears faults, records and numbering', async () => {
    server.setFaults({ 1: { kind: '500' } });
    server.reset();
    assert.equal((await rawGet(endpoint)).status, 200);
    assert.equal(server.requestCount, 1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
