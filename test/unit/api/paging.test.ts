import assert from 'node:assert/strict';
import { AuditLogClient, InvalidQueryError, InvalidResponseError } from '../../../src/core/api';
import { type LoopbackServer, SECRET_KEY, listHandler, makeEvent, pageBody, rejectionOf, sendJson, startServer } from './loopback';

describe('api/auditLogClient: paging', () => {
  // 23 events, newest first: audit_log-00023 … audit_log-00001
  const events = Array.from({ length: 23 }, (_, i) => makeEvent(23 - i));
  const ids = events.map((e) => e.id);
  let server: LoopbackServer;
  let client: AuditLogClient;

  beforeEach(async () => {
    server = await startServer(listHandler(events));
    client = new AuditLogClient({ baseUrl: server.baseUrl, apiKey: SECRET_KEY });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  function cursorsSent(): (string | null)[] {
    return server.requests.map((r) => {
      const params = new URL(r.url, 'http://x').searchParams;
      return params.get('after') ?? params.get('before');
    });
  }

  it('pages towards older events with after=last_id until has_more is false', async () => {
    const pages = [];
    for await (const page of client.pages({ limit: 10, eventTypes: ['project.updated'] })) pages.push(page);
    assert.deepEqual(pages.map((p) => p.data.length), [10, 10, 3]);
    assert.deepEqual(pages.flatMap((p) => p.data.map((e) => e.event.id)), ids);
    assert.deepEqual(cursorsSent(), [null, 'audit_log-00014', 'audit_log-00004']);
    for (const request of server.requests) {
      assert.match(request.url, /event_types\[\]=project\.updated&limit=10/, 'filters are kept on every page');
    }
  });

  it('iterates events newest first, each exactly once', async () => {
    const seen: string[] = [];
    for await (const event of client.events({ limit: 7 })) seen.push(event.event.id);
    assert.deepEqual(seen, ids);
    assert.equal(server.requests.length, 4);
  });

  it('continues from a given after cursor', async () => {
    const seen: string[] = [];
    for await (const event of client.events({ limit: 5, after: 'audit_log-00010' })) seen.push(event.event.id);
    assert.deepEqual(seen, ids.slice(ids.indexOf('audit_log-00010') + 1));
  });

  it('pages towards newer events with before=first_id', async () => {
    const pages = [];
    for await (const page of client.pages({ limit: 5, before: 'audit_log-00008' }, { direction: 'newer' })) pages.push(page);
    // events newer than 00008: 00009 … 00023 (15 events), 5 per page, nearest first
    assert.deepEqual(pages.map((p) => p.data.map((e) => e.event.id)), [
      ['audit_log-00013', 'audit_log-00012', 'audit_log-00011', 'audit_log-00010', 'audit_log-00009'],
      ['audit_log-00018', 'audit_log-00017', 'audit_log-00016', 'audit_log-00015', 'audit_log-00014'],
      ['audit_log-00023', 'audit_log-00022', 'audit_log-00021', 'audit_log-00020', 'audit_log-00019'],
    ]);
    assert.deepEqual(cursorsSent(), ['audit_log-00008', 'audit_log-00013', 'audit_log-00018']);
  });

  it('iterates events towards newer ones oldest first', async () => {
    const seen: string[] = [];
    for await (const event of client.events({ limit: 4, before: 'audit_log-00015' }, { direction: 'newer' })) seen.push(event.event.id);
    assert.deepEqual(seen, Array.from({ length: 8 }, (_, i) => `audit_log-${String(16 + i).padStart(5, '0')}`));
  });

  it('pages towards newer events by default when the query has a before cursor', async () => {
    const seen: string[] = [];
    for await (const event of client.events({ limit: 10, before: 'audit_log-00020' })) seen.push(event.event.id);
    assert.deepEqual(seen, ['audit_log-00021', 'audit_log-00022', 'audit_log-00023']);
  });

  it('needs a before cursor to page towards newer events', async () => {
    const error = await rejectionOf(client.pages({}, { direction: 'newer' }).next());
    assert.ok(error instanceof InvalidQueryError);
    assert.equal(server.requests.length, 0);
  });

  it('stops after maxPages', async () => {
    const pages = [];
    for await (const page of client.pages({ limit: 2 }, { maxPages: 3 })) pages.push(page);
    assert.equal(pages.length, 3);
    assert.equal(server.requests.length, 3);
  });

  it('stops when the consumer breaks out, without fetching more', async () => {
    for await (const event of client.events({ limit: 5 })) {
      if (event.event.id === 'audit_log-00020') break;
    }
    assert.equal(server.requests.length, 1);
  });

  it('handles an empty result', async () => {
    await server.close();
    server = await startServer((_q, res) => sendJson(res, 200, pageBody([], false)));
    await client.close();
    client = new AuditLogClient({ baseUrl: server.baseUrl, apiKey: SECRET_KEY });
    const pages = [];
    for await (const page of client.pages()) pages.push(page);
    assert.equal(pages.length, 1);
    assert.equal(pages[0]?.data.length, 0);
  });

  it('fails instead of looping when the server repeats a cursor', async () => {
    await server.close();
    server = await startServer((_q, res) => sendJson(res, 200, pageBody([makeEvent(1)], true)));
    await client.close();
    client = new AuditLogClient({ baseUrl: server.baseUrl, apiKey: SECRET_KEY });
    const error = await rejectionOf((async () => {
      for await (const page of client.pages()) void page;
    })());
    assert.ok(error instanceof InvalidResponseError);
    assert.match(error.message, /cursor audit_log-00001 came back twice/);
    assert.equal(server.requests.length, 2);
  });
});
