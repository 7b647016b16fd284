import assert from 'node:assert/strict';
import { AuditLogClient, type AuditLogClientOptions, CancelledError } from '../../../src/core/api';
import { type LoopbackServer, SECRET_KEY, listHandler, makeEvent, rejectionOf, sendJson, sendPage, startServer } from './loopback';

describe('api/auditLogClient: cancellation', () => {
  let server: LoopbackServer;
  let client: AuditLogClient | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await server.close();
  });

  function make(options: Partial<AuditLogClientOptions> = {}): AuditLogClient {
    client = new AuditLogClient({ baseUrl: server.baseUrl, apiKey: SECRET_KEY, ...options });
    return client;
  }

  /** Aborts after `ms` and returns how long the call took to reject. */
  async function timeToCancel(run: (signal: AbortSignal) => Promise<unknown>, ms = 50): Promise<{ error: unknown; elapsed: number }> {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), ms);
    const started = Date.now();
    const error = await rejectionOf(run(controller.signal));
    return { error, elapsed: Date.now() - started };
  }

  it('does not send anything when the signal is already aborted', async () => {
    server = await startServer((_q, res) => sendPage(res));
    const error = await rejectionOf(make().listPage({}, { signal: AbortSignal.abort() }));
    assert.ok(error instanceof CancelledError);
    assert.equal(error.kind, 'cancelled');
    assert.equal(server.requests.length, 0);
  });

  it('cancels a request waiting for its response', async () => {
    server = await startServer(() => undefined);
    const { error, elapsed } = await timeToCancel((signal) => make().listPage({}, { signal }));
    assert.ok(error instanceof CancelledError, String(error));
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });

  it('cancels while the body is arriving', async () => {
    server = await startServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
      res.write('{"object":"list","data":[');
    });
    const { error, elapsed } = await timeToCancel((signal) => make().listPage({}, { signal }), 100);
    assert.ok(error instanceof CancelledError, String(error));
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });

  it('cancels during the backoff sleep (real timer, 20 s retry-after)', async () => {
    server = await startServer((_q, res) => sendJson(res, 429, '{}', { 'retry-after': '20' }));
    const { error, elapsed } = await timeToCancel((signal) => make().listPage({}, { signal }), 100);
    assert.ok(error instanceof CancelledError, String(error));
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    assert.equal(server.requests.length, 1);
  });

  it('cancels during the backoff even with a sleep seam that ignores the signal', async () => {
    server = await startServer((_q, res) => sendJson(res, 503, '{}'));
    const neverEnding = (): Promise<void> => new Promise(() => undefined);
    const { error, elapsed } = await timeToCancel((signal) => make({ sleep: neverEnding }).listPage({}, { signal }));
    assert.ok(error instanceof CancelledError, String(error));
    assert.ok(elapsed < 1000);
  });

  it('cancels while waiting for the key provider', async () => {
    server = await startServer((_q, res) => sendPage(res));
    const slowKey = (): Promise<string> => new Promise((resolve) => setTimeout(() => resolve(SECRET_KEY), 5000).unref());
    const { error, elapsed } = await timeToCancel((signal) => make({ apiKey: slowKey }).listPage({}, { signal }));
    assert.ok(error instanceof CancelledError);
    assert.ok(elapsed < 1000);
    assert.equal(server.requests.length, 0);
  });

  it('cancels a paging loop between pages and in flight', async () => {
    const events = Array.from({ length: 30 }, (_, i) => makeEvent(30 - i));
    const serve = listHandler(events);
    server = await startServer((req, res, i) => (i < 2 ? serve(req, res, i) : undefined));
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await rejectionOf((async () => {
      for await (const page of make().pages({ limit: 5 }, { signal: controller.signal })) {
        seen.push(...page.data.map((e) => e.event.id));
        if (seen.length === 10) setTimeout(() => controller.abort(), 50);
      }
    })());
    assert.ok(error instanceof CancelledError);
    assert.equal(seen.length, 10);
    assert.equal(server.requests.length, 3, 'the third page was in flight when cancelled');
  });

  it('fails requests after close() with CancelledError', async () => {
    server = await startServer((_q, res) => sendPage(res));
    const c = make();
    await c.listPage();
    await c.close();
    await assert.rejects(c.listPage(), CancelledError);
  });

  it('fails a request in flight with CancelledError when the client is closed', async () => {
    server = await startServer(() => undefined);
    const c = make();
    const pending = rejectionOf(c.listPage());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await c.close();
    const error = await pending;
    assert.ok(error instanceof CancelledError, String(error));
    assert.ok(Date.now() - started < 1000);
  });

  it('leaves the connection usable after a cancelled request', async () => {
    server = await startServer((_q, res, i) => (i === 0 ? undefined : sendPage(res)));
    const c = make();
    await timeToCancel((signal) => c.listPage({}, { signal }));
    const page = await c.listPage();
    assert.equal(page.data.length, 1);
  });
});
