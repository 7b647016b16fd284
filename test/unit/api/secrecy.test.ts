/**
 * The Admin key must not appear in any error message, stack, cause chain,
 * inspected error or log line, on every error path, even when a hostile
 * server echoes it back in bodies and headers.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import util from 'node:util';
import {
  AuditLogApiError,
  AuditLogClient,
  type AuditLogClientEvent,
  type AuditLogClientOptions,
  CancelledError,
  InvalidBaseUrlError,
  ProxyConfigError,
  createDispatcher,
  redactSecrets,
} from '../../../src/core/api';
import { SECRET_KEY, closedPort, openAiError, recordingSleep, rejectionOf, sendJson, startServer, startSilentServer } from './loopback';

function allText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const e = current as { message?: unknown; stack?: unknown; cause?: unknown; errors?: unknown };
    parts.push(String(e.message), String(e.stack));
    if (Array.isArray(e.errors)) parts.push(...e.errors.map((x) => util.inspect(x, { depth: 10, showHidden: true })));
    current = e.cause;
  }
  parts.push(util.inspect(error, { depth: Infinity, showHidden: true }));
  parts.push(JSON.stringify(error));
  parts.push(String(error));
  return parts.join('\n');
}

/** Echoes the Authorization header everywhere it can. */
function hostile(status: number, extra: (res: http.ServerResponse, auth: string) => void = () => undefined): Parameters<typeof startServer>[0] {
  return (req, res) => {
    const auth = String(req.headers.authorization);
    const key = auth.replace(/^Bearer /, '');
    extra(res, auth);
    if (res.headersSent) return;
    sendJson(res, status, openAiError(`Bad key ${key} (${auth})`, 'invalid_request_error', key, key), {
      'x-request-id': `req_${key}`,
      location: `https://${key}@elsewhere.example/?k=${key}`,
    });
  };
}

describe('api: the Admin key never leaks', () => {
  const events: AuditLogClientEvent[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    events.length = 0;
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });

  async function failureFrom(
    handler: Parameters<typeof startServer>[0] | null,
    options: Partial<AuditLogClientOptions> = {},
    signal?: AbortSignal,
  ): Promise<AuditLogApiError> {
    let baseUrl = options.baseUrl;
    if (handler) {
      const server = await startServer(handler);
      cleanups.push(() => server.close());
      baseUrl ??= server.baseUrl;
    }
    const client = new AuditLogClient({
      apiKey: SECRET_KEY,
      sleep: recordingSleep().sleep,
      maxRetries: 1,
      log: (e) => events.push(e),
      ...options,
      baseUrl: baseUrl ?? 'http://127.0.0.1:9/v1',
    });
    cleanups.push(() => client.close());
    const error = await rejectionOf(client.listPage({}, signal ? { signal } : {}));
    assert.ok(error instanceof AuditLogApiError, `expected an AuditLogApiError, got ${String(error)}`);
    return error;
  }

  function assertClean(error: unknown, label: string): void {
    const text = allText(error);
    assert.ok(!text.includes(SECRET_KEY), `${label}: the key leaked into the error:\n${text}`);
    assert.ok(!text.includes('SECRET-abc123'), `${label}: part of the key leaked`);
    const logText = JSON.stringify(events);
    assert.ok(!logText.includes(SECRET_KEY), `${label}: the key leaked into the log:\n${logText}`);
  }

  const statusCases: [string, number][] = [
    ['400 bad request', 400],
    ['401 invalid key', 401],
    ['403 not an admin key', 403],
    ['404 wrong base URL', 404],
    ['302 redirect', 302],
    ['422 unexpected', 422],
    ['429 rate limited', 429],
    ['500 server error', 500],
    ['503 unavailable', 503],
  ];
  for (const [label, status] of statusCases) {
    it(`${label}, with the key echoed in body, param, request id and location`, async () => {
      const error = await failureFrom(hostile(status));
      assert.equal(error.status, status);
      assertClean(error, label);
      assert.ok(events.length > 0, 'the log hook saw the request');
    });
  }

  it('a non-JSON body that contains the key', async () => {
    const error = await failureFrom((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`your header was ${req.headers.authorization}`);
    });
    assert.equal(error.kind, 'invalidResponse');
    assertClean(error, 'non-JSON');
  });

  it('a page with a schema mismatch', async () => {
    const error = await failureFrom((req, res) => sendJson(res, 200, JSON.stringify({ object: 'list', data: [{ id: req.headers.authorization }] })));
    assert.equal(error.kind, 'schemaMismatch');
    assertClean(error, 'schema');
  });

  it('a connection reset mid-body', async () => {
    const error = await failureFrom((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(String(req.headers.authorization));
      setTimeout(() => req.socket.destroy(), 5);
    });
    assert.equal(error.kind, 'network');
    assertClean(error, 'reset');
  });

  it('a headers timeout', async () => {
    const error = await failureFrom(() => undefined, { timeouts: { headersMs: 50 }, maxRetries: 0 });
    assert.equal(error.kind, 'timeout');
    assertClean(error, 'timeout');
  });

  it('a DNS failure', async () => {
    const error = await failureFrom(null, { baseUrl: 'https://nonexistent.invalid/v1' });
    assert.equal(error.kind, 'network');
    assertClean(error, 'dns');
  });

  it('a refused connection', async () => {
    const error = await failureFrom(null, { baseUrl: `http://127.0.0.1:${await closedPort()}/v1` });
    assert.equal(error.kind, 'network');
    assertClean(error, 'refused');
  });

  it('a TLS failure and a connect timeout', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const timeout = await failureFrom(null, { baseUrl: `https://127.0.0.1:${silent.port}/v1`, timeouts: { connectMs: 50 }, maxRetries: 0 });
    assert.equal(timeout.kind, 'timeout');
    assertClean(timeout, 'connect timeout');
    const server = await startServer(() => undefined);
    cleanups.push(() => server.close());
    const tls = await failureFrom(null, { baseUrl: `https://127.0.0.1:${server.port}/v1` });
    assert.equal(tls.kind, 'tls');
    assertClean(tls, 'tls');
  });

  it('cancellation', async () => {
    const error = await failureFrom(() => undefined, {}, AbortSignal.timeout(50));
    assert.ok(error instanceof CancelledError);
    assertClean(error, 'cancelled');
  });

  it('a key provider that fails with the key in its message', async () => {
    const error = await failureFrom(() => undefined, {
      apiKey: async () => {
        throw new Error(`vault said no to ${SECRET_KEY}`);
      },
    });
    assert.equal(error.kind, 'missingKey');
    assertClean(error, 'provider');
  });

  it('a key that cannot be sent', async () => {
    const error = await failureFrom(() => undefined, { apiKey: `${SECRET_KEY}\r\n` + 'é' });
    assert.equal(error.kind, 'invalidKey');
    assertClean(error, 'invalid characters');
  });

  it('a bad base URL or proxy that carries the key', () => {
    const badBase = (() => {
      try {
        new AuditLogClient({ apiKey: SECRET_KEY, baseUrl: `https://u:${SECRET_KEY}@api.example.com/v1` });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    assert.ok(badBase instanceof InvalidBaseUrlError);
    assertClean(badBase, 'base URL');
    assert.throws(
      () => createDispatcher({ targetUrl: 'https://api.openai.com/v1', proxyUrl: `http://u:${SECRET_KEY}@[bad` }),
      (e: unknown) => e instanceof ProxyConfigError && !allText(e).includes(SECRET_KEY),
    );
  });
});

describe('api/errors: redactSecrets', () => {
  it('removes every occurrence of each secret, its trimmed and URL-encoded forms', () => {
    assert.equal(redactSecrets('a sk-x-1234 b sk-x-1234', ['sk-x-1234']), 'a [REDACTED] b [REDACTED]');
    assert.equal(redactSecrets('k=p%40ss%2Fword', ['p@ss/word']), 'k=[REDACTED]');
    assert.equal(redactSecrets('x abcd y', [' abcd\n']), 'x [REDACTED] y');
  });

  it('removes bearer tokens and key-shaped strings even when not told the secret', () => {
    assert.equal(redactSecrets('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer [REDACTED]');
    assert.equal(redactSecrets('key sk-proj-AAAAAAAAAAAAAAAAAAAA end'), 'key sk-[REDACTED] end');
    assert.equal(redactSecrets('needs an Admin API key, sk-admin-…'), 'needs an Admin API key, sk-admin-…', 'the hint survives');
  });

  it('redacts regex metacharacters literally and ignores tiny or missing secrets', () => {
    assert.equal(redactSecrets('a.b*c+d(e) and aXb', ['a.b*c+d(e)']), '[REDACTED] and aXb');
    assert.equal(redactSecrets('abc', ['ab', undefined, '']), 'abc');
  });
});
