import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  AuditLogClient,
  type AuditLogClientEvent,
  type AuditLogClientOptions,
  BadRequestError,
  EndpointNotFoundError,
  InvalidBaseUrlError,
  InvalidKeyError,
  InvalidQueryError,
  InvalidResponseError,
  MissingKeyError,
  NetworkError,
  NotAdminKeyError,
  RateLimitError,
  RedirectError,
  SchemaMismatchError,
  ServerError,
  TimeoutError,
  TlsError,
  UnexpectedStatusError,
} from '../../../src/core/api';
import {
  type LoopbackServer,
  SECRET_KEY,
  closedPort,
  listHandler,
  makeEvent,
  openAiError,
  recordingSleep,
  rejectionOf,
  seededRandom,
  sendJson,
  sendPage,
  startServer,
  startSilentServer,
} from './loopback';
import { selfSignedCertificate } from './tlsFixture';

describe('api/auditLogClient', function () {
  let server: LoopbackServer | undefined;
  const clients: AuditLogClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  function client(options: Partial<AuditLogClientOptions> = {}): AuditLogClient {
    const c = new AuditLogClient({
      baseUrl: server?.baseUrl ?? 'http://127.0.0.1:9/v1',
      apiKey: SECRET_KEY,
      version: '1.2.3',
      ...options,
    });
    clients.push(c);
    return c;
  }

  describe('a successful request', () => {
    it('sends the path, query and headers the API expects and returns the parsed page', async () => {
      server = await startServer((_req, res) => sendPage(res, [makeEvent(2), makeEvent(1)], true));
      const page = await client().listPage({ limit: 2, eventTypes: ['project.updated'] });
      const [request] = server.requests;
      assert.equal(request?.method, 'GET');
      assert.equal(request?.url, '/v1/organization/audit_logs?event_types[]=project.updated&limit=2');
      assert.equal(request?.headers.authorization, `Bearer ${SECRET_KEY}`);
      assert.equal(request?.headers.accept, 'application/json');
      assert.equal(request?.headers['user-agent'], 'openai-audit-logs-vscode/1.2.3');
      assert.deepEqual(page.data.map((e) => e.event.id), ['audit_log-00002', 'audit_log-00001']);
      assert.equal(page.first_id, 'audit_log-00002');
      assert.equal(page.last_id, 'audit_log-00001');
      assert.equal(page.has_more, true);
      assert.equal(page.requestId, 'req_test');
      assert.equal(page.attempts, 1);
      assert.equal(page.data[0]?.raw, JSON.stringify(makeEvent(2)), 'the raw wire text of each event is kept');
    });

    it('takes a custom user agent and asks a key provider for the key', async () => {
      server = await startServer((_req, res) => sendPage(res));
      let asked = 0;
      await client({ userAgent: 'custom/9', apiKey: async () => (asked++, `  ${SECRET_KEY}\n`) }).listPage();
      assert.equal(asked, 1);
      assert.equal(server.requests[0]?.headers['user-agent'], 'custom/9');
      assert.equal(server.requests[0]?.headers.authorization, `Bearer ${SECRET_KEY}`, 'the key is trimmed');
    });

    it('keeps a base URL path prefix (a gateway) and drops a trailing slash', async () => {
      server = await startServer((_req, res) => sendPage(res));
      await client({ baseUrl: `${server.origin}/gateway/openai/v1/` }).listPage();
      assert.equal(server.requests[0]?.url, '/gateway/openai/v1/organization/audit_logs');
    });

    it('reuses one keep-alive connection for many pages', async () => {
      const events = Array.from({ length: 50 }, (_, i) => makeEvent(50 - i));
      server = await startServer(listHandler(events));
      const pages = [];
      for await (const page of client().pages({ limit: 5 })) pages.push(page);
      assert.equal(pages.length, 10);
      assert.equal(server.requests.length, 10);
      assert.equal(server.connections(), 1, 'all ten requests went over a single connection');
    });
  });

  describe('retries', () => {
    function failThenSucceed(failures: number, fail: Parameters<typeof startServer>[0]): Parameters<typeof startServer>[0] {
      return (req, res, index) => (index < failures ? fail(req, res, index) : sendPage(res));
    }

    it('retries 429 after the retry-after seconds', async () => {
      server = await startServer(
        failThenSucceed(1, (_q, res) => sendJson(res, 429, openAiError('Rate limit reached', 'requests'), { 'retry-after': '2' })),
      );
      const { delays, sleep } = recordingSleep();
      const page = await client({ sleep }).listPage();
      assert.deepEqual(delays, [2000]);
      assert.equal(page.attempts, 2);
      assert.equal(server.requests.length, 2);
    });

    it('retries 429 after retry-after-ms, preferred over retry-after', async () => {
      server = await startServer(
        failThenSucceed(1, (_q, res) => sendJson(res, 429, '{}', { 'retry-after-ms': '120', 'retry-after': '5' })),
      );
      const { delays, sleep } = recordingSleep();
      await client({ sleep }).listPage();
      assert.deepEqual(delays, [120]);
    });

    it('retries 429 after an HTTP-date retry-after', async () => {
      const now = Date.parse('2025-03-01T12:00:00Z');
      server = await startServer(
        failThenSucceed(1, (_q, res) => sendJson(res, 429, '{}', { 'retry-after': 'Sat, 01 Mar 2025 12:00:03 GMT' })),
      );
      const { delays, sleep } = recordingSleep();
      await client({ sleep, now: () => now }).listPage();
      assert.deepEqual(delays, [3000]);
    });

    it('retries 429 after the longer x-ratelimit-reset-* duration', async () => {
      server = await startServer(
        failThenSucceed(2, (_q, res, i) =>
          sendJson(res, 429, '{}', i === 0
            ? { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '20ms' }
            : { 'x-ratelimit-reset-requests': '6m0s' }),
        ),
      );
      const { delays, sleep } = recordingSleep();
      await client({ sleep, maxRetryDelayMs: 10_000 }).listPage();
      assert.deepEqual(delays, [1000, 10_000], 'the 6 minute reset is capped by maxRetryDelayMs');
    });

    it('retries 500, 502, 503 and 504 with seeded exponential backoff and full jitter', async () => {
      const statuses = [500, 502, 503, 504];
      server = await startServer(failThenSucceed(4, (_q, res, i) => sendJson(res, statuses[i]!, openAiError('oops', 'server_error'))));
      const { delays, sleep } = recordingSleep();
      const page = await client({ sleep, random: seededRandom(7), retryBaseDelayMs: 100, maxRetryDelayMs: 500 }).listPage();
      const replay = seededRandom(7);
      const expected = [100, 200, 400, 500].map((ceiling) => Math.floor(replay() * ceiling));
      assert.deepEqual(delays, expected);
      assert.equal(page.attempts, 5);
    });

    it('retries a connection reset in the middle of the body', async () => {
      server = await startServer(
        failThenSucceed(1, (req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
          res.write('{"object":"list","data":[');
          setTimeout(() => req.socket.destroy(), 10);
        }),
      );
      const { delays, sleep } = recordingSleep();
      const log: AuditLogClientEvent[] = [];
      const page = await client({ sleep, random: () => 0.5, log: (e) => log.push(e) }).listPage();
      assert.equal(page.attempts, 2);
      assert.deepEqual(delays, [250]);
      const retry = log.find((e) => e.type === 'retry');
      assert.equal(retry?.type === 'retry' && retry.reason, 'network (closed)');
    });

    it('retries an abrupt TCP reset (ECONNRESET)', async () => {
      server = await startServer(failThenSucceed(1, (req) => req.socket.resetAndDestroy()));
      const { sleep } = recordingSleep();
      const page = await client({ sleep }).listPage();
      assert.equal(page.attempts, 2);
    });

    it('times out a request that never answers, then retries it', async () => {
      server = await startServer(failThenSucceed(1, () => undefined));
      const { delays, sleep } = recordingSleep();
      const log: AuditLogClientEvent[] = [];
      const started = Date.now();
      const page = await client({ sleep, timeouts: { headersMs: 200 }, log: (e) => log.push(e) }).listPage();
      assert.equal(page.attempts, 2);
      assert.equal(delays.length, 1);
      assert.ok(Date.now() - started < 5000);
      assert.ok(log.some((e) => e.type === 'retry' && e.reason === 'timeout (headers)'));
    });

    it('times out a body that stalls, then retries it', async () => {
      server = await startServer(
        failThenSucceed(1, (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
          res.write('{"object"');
        }),
      );
      const { sleep } = recordingSleep();
      const page = await client({ sleep, timeouts: { bodyMs: 200 } }).listPage();
      assert.equal(page.attempts, 2);
    });

    it('gives up after maxRetries with RateLimitError saying how long the API asked to wait', async () => {
      server = await startServer((_q, res) => sendJson(res, 429, openAiError('Rate limit reached', 'requests'), { 'retry-after': '7', 'x-request-id': 'req_429' }));
      const { delays, sleep } = recordingSleep();
      const error = await rejectionOf(client({ sleep, maxRetries: 2 }).listPage());
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.attempts, 3);
      assert.equal(error.retryAfterMs, 7000);
      assert.equal(error.status, 429);
      assert.equal(error.retryable, true);
      assert.equal(error.requestId, 'req_429');
      assert.match(error.message, /Still rate limited by the API \(429\) after 3 attempts\. The API asks to wait 7 s\./);
      assert.deepEqual(delays, [7000, 7000]);
      assert.equal(server.requests.length, 3);
    });

    it('gives up after maxRetries with ServerError', async () => {
      server = await startServer((_q, res) => sendJson(res, 503, openAiError('The engine is overloaded', 'server_error')));
      const { sleep } = recordingSleep();
      const error = await rejectionOf(client({ sleep, maxRetries: 1 }).listPage());
      assert.ok(error instanceof ServerError);
      assert.equal(error.status, 503);
      assert.equal(error.attempts, 2);
      assert.match(error.message, /server error \(503\) after 2 attempts.*overloaded/);
    });

    it('does not retry with maxRetries 0', async () => {
      server = await startServer((_q, res) => sendJson(res, 500, 'Internal error'));
      const error = await rejectionOf(client({ maxRetries: 0 }).listPage());
      assert.ok(error instanceof ServerError);
      assert.equal(server.requests.length, 1);
    });
  });

  describe('errors that are not retried', () => {
    async function failOnce(status: number, body: string, headers: Record<string, string> = {}): Promise<unknown> {
      server = await startServer((_q, res) => sendJson(res, status, body, { 'x-request-id': 'req_abc', ...headers }));
      const { delays, sleep } = recordingSleep();
      const error = await rejectionOf(client({ sleep }).listPage());
      assert.equal(server.requests.length, 1, `${status} must not be retried`);
      assert.deepEqual(delays, []);
      return error;
    }

    it('400: BadRequestError with the API message and parameter', async () => {
      const error = await failOnce(400, openAiError("Invalid value for 'limit': must be at most 100.", 'invalid_request_error', 'limit', 'invalid_value'));
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.kind, 'badRequest');
      assert.equal(error.param, 'limit');
      assert.equal(error.code, 'invalid_value');
      assert.equal(error.requestId, 'req_abc');
      assert.equal(error.message, "The API rejected the request (400): Invalid value for 'limit': must be at most 100. (parameter: limit)");
    });

    it('401: InvalidKeyError', async () => {
      const error = await failOnce(401, openAiError('Incorrect API key provided: sk-admin-****c123.', 'invalid_request_error', null, 'invalid_api_key'));
      assert.ok(error instanceof InvalidKeyError);
      assert.equal(error.status, 401);
      assert.equal(error.retryable, false);
      assert.match(error.message, /^The Admin API key was rejected \(401\)/);
    });

    it('403: NotAdminKeyError naming sk-admin-', async () => {
      const error = await failOnce(403, openAiError('You have insufficient permissions for this operation.', 'invalid_request_error'));
      assert.ok(error instanceof NotAdminKeyError);
      assert.match(error.message, /needs an Admin API key, sk-admin-…/);
      assert.match(error.message, /insufficient permissions/);
    });

    it('404: EndpointNotFoundError naming the base URL', async () => {
      const error = await failOnce(404, openAiError('Invalid URL (GET /v1/organization/audit_logs)', 'invalid_request_error'));
      assert.ok(error instanceof EndpointNotFoundError);
      assert.equal(error.baseUrl, server!.baseUrl);
      assert.ok(error.message.includes(`${server!.baseUrl}/organization/audit_logs (404)`));
      assert.match(error.message, /wrong|right/);
    });

    it('3xx: RedirectError, never following the redirect to another host', async () => {
      const elsewhere = await startServer((_q, res) => sendPage(res));
      try {
        const error = await failOnce(302, '', { location: `${elsewhere.origin}/v1/organization/audit_logs?x=1` });
        assert.ok(error instanceof RedirectError);
        assert.equal(error.status, 302);
        assert.equal(error.location, elsewhere.origin);
        assert.equal(elsewhere.requests.length, 0, 'the key went nowhere else');
      } finally {
        await elsewhere.close();
      }
    });

    it('other statuses: UnexpectedStatusError', async () => {
      const error = await failOnce(422, openAiError('Unprocessable', 'invalid_request_error'));
      assert.ok(error instanceof UnexpectedStatusError);
      assert.equal(error.status, 422);
    });

    it('a body that is not JSON: InvalidResponseError', async () => {
      const html = '<html><body>Please log in to the proxy</body></html>';
      server = await startServer((_q, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(html);
      });
      const error = await rejectionOf(client().listPage());
      assert.ok(error instanceof InvalidResponseError);
      assert.ok(error.message.includes(`not JSON (text/html, ${html.length} characters), status 200`), error.message);
      assert.equal(server.requests.length, 1);
    });

    it('an empty 200 body: InvalidResponseError', async () => {
      server = await startServer((_q, res) => res.end());
      const error = await rejectionOf(client().listPage());
      assert.ok(error instanceof InvalidResponseError);
      assert.match(error.message, /the body is empty/);
    });

    it('a page with one malformed event: the page is kept, that event as an unreadable one', async () => {
      const bad = { ...makeEvent(1), effective_at: '2024-01-01' };
      server = await startServer((_q, res) => sendJson(res, 200, JSON.stringify({ object: 'list', data: [makeEvent(2), bad], first_id: null, last_id: null, has_more: false })));
      const page = await client().listPage();
      assert.equal(page.data.length, 2);
      assert.equal(page.data[0]!.unreadable, undefined);
      assert.equal(page.data[1]!.unreadable, 'effective_at: expected number, got string');
      assert.equal(page.data[1]!.event.id, bad.id);
      assert.deepEqual(JSON.parse(page.data[1]!.raw), bad);
      assert.equal(server.requests.length, 1);
    });

    it('a missing has_more: SchemaMismatchError naming has_more', async () => {
      server = await startServer((_q, res) => sendJson(res, 200, JSON.stringify({ object: 'list', data: [] })));
      const error = await rejectionOf(client().listPage());
      assert.ok(error instanceof SchemaMismatchError);
      assert.equal(error.field, 'has_more');
    });
  });

  describe('network failures', () => {
    it('DNS failure: NetworkError(dns) naming the host, not retried', async () => {
      const log: AuditLogClientEvent[] = [];
      const { delays, sleep } = recordingSleep();
      const error = await rejectionOf(client({ baseUrl: 'https://nonexistent.invalid/v1', sleep, log: (e) => log.push(e) }).listPage());
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.reason, 'dns');
      assert.equal(error.host, 'nonexistent.invalid');
      assert.match(error.message, /Could not find the host nonexistent\.invalid: the DNS lookup failed/);
      assert.deepEqual(delays, []);
      assert.equal((error.cause as { code?: string }).code, 'ENOTFOUND');
    });

    it('connection refused: NetworkError(refused) after the retries', async () => {
      const port = await closedPort();
      const { delays, sleep } = recordingSleep();
      const error = await rejectionOf(client({ baseUrl: `http://127.0.0.1:${port}/v1`, sleep, maxRetries: 2 }).listPage());
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.reason, 'refused');
      assert.equal(error.retryable, true);
      assert.match(error.message, new RegExp(`The connection to 127\\.0\\.0\\.1:${port} was refused`));
      assert.equal(delays.length, 2);
    });

    it('TLS to a server that does not speak TLS: TlsError', async () => {
      server = await startServer((_q, res) => sendPage(res));
      const error = await rejectionOf(client({ baseUrl: `https://127.0.0.1:${server.port}/v1` }).listPage());
      assert.ok(error instanceof TlsError, String(error));
      assert.match(error.message, /secure connection to 127\.0\.0\.1:\d+ failed/);
    });

    it('an untrusted certificate: TlsError naming it, not retried', async function () {
      const certificate = selfSignedCertificate();
      if (!certificate) this.skip();
      const tlsServer = https.createServer(certificate!, (_q, res) => sendPage(res));
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = tlsServer.address() as AddressInfo;
        const { delays, sleep } = recordingSleep();
        const error = await rejectionOf(client({ baseUrl: `https://127.0.0.1:${port}/v1`, sleep }).listPage());
        assert.ok(error instanceof TlsError, String(error));
        assert.match(error.code ?? '', /SELF_SIGNED|UNABLE_TO_VERIFY/);
        assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
        assert.deepEqual(delays, []);
      } finally {
        tlsServer.closeAllConnections();
        await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
      }
    });

    it('a TLS handshake that never completes: TimeoutError(connect)', async () => {
      const silent = await startSilentServer();
      try {
        const { sleep } = recordingSleep();
        const error = await rejectionOf(
          client({ baseUrl: `https://127.0.0.1:${silent.port}/v1`, sleep, maxRetries: 1, timeouts: { connectMs: 150 } }).listPage(),
        );
        assert.ok(error instanceof TimeoutError, String(error));
        assert.equal(error.phase, 'connect');
        assert.equal(error.timeoutMs, 150);
        assert.match(error.message, /Could not connect to 127\.0\.0\.1:\d+ within 150 ms/);
      } finally {
        await silent.close();
      }
    });

    it('headers that never come, every time: TimeoutError(headers) after the retries', async () => {
      server = await startServer(() => undefined);
      const { sleep } = recordingSleep();
      const error = await rejectionOf(client({ sleep, maxRetries: 1, timeouts: { headersMs: 100 } }).listPage());
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.phase, 'headers');
      assert.equal(server.requests.length, 2);
    });
  });

  describe('configuration', () => {
    it('refuses a base URL that would leak the key', () => {
      assert.throws(() => client({ baseUrl: 'http://api.example.com/v1' }), InvalidBaseUrlError);
      assert.throws(() => client({ baseUrl: 'https://user:pw@api.example.com/v1' }), InvalidBaseUrlError);
      assert.throws(() => client({ baseUrl: 'ftp://api.example.com' }), InvalidBaseUrlError);
    });

    it('rejects an invalid query before sending anything', async () => {
      server = await startServer((_q, res) => sendPage(res));
      await assert.rejects(client().listPage({ limit: 101 }), InvalidQueryError);
      assert.equal(server.requests.length, 0);
    });

    it('reports a missing key without a request', async () => {
      server = await startServer((_q, res) => sendPage(res));
      await assert.rejects(client({ apiKey: async () => undefined }).listPage(), MissingKeyError);
      await assert.rejects(client({ apiKey: '   ' }).listPage(), MissingKeyError);
      assert.equal(server.requests.length, 0);
    });

    it('refuses a key with characters that cannot be sent, without echoing it', async () => {
      server = await startServer((_q, res) => sendPage(res));
      const error = await rejectionOf(client({ apiKey: `${SECRET_KEY}\nX-Evil: 1` }).listPage());
      assert.ok(error instanceof InvalidKeyError);
      assert.ok(!error.message.includes(SECRET_KEY));
      assert.equal(server.requests.length, 0);
    });

    it('logs requests, responses and retries through the hook', async () => {
      server = await startServer((_q, res, i) => (i === 0 ? sendJson(res, 503, '{}') : sendPage(res)));
      const log: AuditLogClientEvent[] = [];
      const { sleep } = recordingSleep();
      await client({ sleep, random: () => 0, log: (e) => log.push(e) }).listPage({ limit: 1 });
      assert.deepEqual(
        log.map((e) => e.type),
        ['request', 'response', 'retry', 'request', 'response'],
      );
      const retry = log[2];
      assert.ok(retry?.type === 'retry');
      assert.equal(retry.status, 503);
      assert.equal(retry.delayMs, 0);
      assert.equal(log[0]?.url, `${server.baseUrl}/organization/audit_logs?limit=1`);
    });

    it('survives a log hook that throws', async () => {
      server = await startServer((_q, res) => sendPage(res));
      const page = await client({
        log: () => {
          throw new Error('hook broke');
        },
      }).listPage();
      assert.equal(page.data.length, 1);
    });
  });
});
