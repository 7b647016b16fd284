import assert from 'node:assert/strict';
import { compareEventsNewestFirst, generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';
import { FakeAuditLogServer, startFakeAuditLogServer } from '../../../src/core/sample/loopbackServer';
import { TEST_KEY, handMadeEvents, listPage, qs, rawGet, type Page, type TestEvent } from './rawClient';

const NEWEST_FIRST = ['e10', 'e09', 'e08', 'e07', 'e06', 'e05', 'e04', 'e03', 'e02', 'e01'];
const ids = (page: Page) => page.data.map((e) => e.id);

describe('fake audit-log server: endpoint', () => {
  let server: FakeAuditLogServer;
  let events: TestEvent[];

  beforeEach(async () => {
    events = handMadeEvents();
    // Shuffled on purpose: the server sorts.
    server = await startFakeAuditLogServer({ events: [...events].reverse().sort((a, b) => (a.id.charCodeAt(2) % 3) - (b.id.charCodeAt(2) % 3)), apiKey: TEST_KEY, nonAdminKeys: ['sk-proj-not-admin'] });
  });
  afterEach(() => server.close());

  it('listens on 127.0.0.1 with a /v1 base URL', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.ok(server.port > 0);
  });

  it('answers newest first, equal seconds by id descending, with OpenAI list fields and the exact event JSON', async () => {
    const res = await rawGet(`${server.url}/organization/audit_logs`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const page = JSON.parse(res.text) as Page;
    assert.equal(page.object, 'list');
    assert.deepEqual(ids(page), NEWEST_FIRST);
    assert.equal(page.first_id, 'e10');
    assert.equal(page.last_id, 'e01');
    assert.equal(page.has_more, false);
    for (const e of events) assert.ok(res.text.includes(JSON.stringify(e)), `raw text of ${e.id}`);
    assert.deepEqual(Object.keys(JSON.parse(res.text)), ['object', 'data', 'first_id', 'last_id', 'has_more']);
  });

  it('defaults to 20 per page and accepts limit 1..100', async () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `m${String(i).padStart(3, '0')}`, type: 'login.succeeded', effective_at: 5000 + i }));
    server.setEvents(many);
    assert.equal((await listPage(server.url, '')).data.length, 20);
    assert.equal((await listPage(server.url, 'limit=1')).data.length, 1);
    const hundred = await listPage(server.url, 'limit=100');
    assert.equal(hundred.data.length, 100);
    assert.equal(hundred.has_more, true);
  });

  for (const [value, code] of [
    ['0', 'integer_below_min_value'],
    ['-5', 'integer_below_min_value'],
    ['101', 'integer_above_max_value'],
    ['abc', 'invalid_type'],
    ['1.5', 'invalid_type'],
    ['', 'invalid_type'],
  ]) {
    it(`rejects limit=${value} with 400 naming 'limit'`, async () => {
      const res = await rawGet(`${server.url}/organization/audit_logs?limit=${value}`);
      assert.equal(res.status, 400);
      const body = JSON.parse(res.text);
      assert.deepEqual(Object.keys(body.error), ['message', 'type', 'param', 'code']);
      assert.equal(body.error.type, 'invalid_request_error');
      assert.equal(body.error.param, 'limit');
      assert.equal(body.error.code, code);
    });
  }

  it('rejects unknown, unbracketed and repeated parameters, naming them', async () => {
    for (const [query, param] of [
      ['foo=bar', 'foo'],
      ['project_ids=proj_one', 'project_ids'],
      ['effective_at=5', 'effective_at'],
      ['effective_at[between]=5', 'effective_at[between]'],
      ['limit=5&limit=6', 'limit'],
      ['effective_at[gt]=soon', 'effective_at[gt]'],
      ['tenant_only=yes', 'tenant_only'],
    ]) {
      const res = await rawGet(`${server.url}/organization/audit_logs?${query}`);
      assert.equal(res.status, 400, query);
      const { error } = JSON.parse(res.text);
      assert.equal(error.param, param, query);
      assert.ok(error.message.includes(param), error.message);
    }
  });

  it('answers other paths and methods with 404 and the error body', async () => {
    for (const [url, method] of [
      [`${server.origin}/organization/audit_logs`, 'GET'],
      [`${server.url}/organization/audit_log`, 'GET'],
      [`${server.url}/organization/audit_logs`, 'POST'],
    ] as const) {
      const res = await rawGet(url, { method });
      assert.equal(res.status, 404);
      const { error } = JSON.parse(res.text);
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /^Invalid URL \((GET|POST) \/.*\)$/);
    }
  });

  it('answers a missing or wrong key with 401 invalid_api_key, and a non-admin key with 403', async () => {
    for (const key of [null, 'sk-admin-wrong']) {
      const res = await rawGet(`${server.url}/organization/audit_logs`, { key });
      assert.equal(res.status, 401);
      const { error } = JSON.parse(res.text);
      assert.deepEqual({ type: error.type, param: error.param, code: error.code }, { type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
      assert.ok(!res.text.includes('sk-admin-wrong'));
    }
    const res = await rawGet(`${server.url}/organization/audit_logs`, { key: 'sk-proj-not-admin' });
    assert.equal(res.status, 403);
    assert.deepEqual(
      server.requests.map((r) => r.auth),
      ['missing', 'wrong', 'not-admin'],
    );
  });

  it('records each request: method, path, decoded query, headers without the authorization value, status', async () => {
    await listPage(server.url, qs({ 'project_ids[]': ['proj_one', 'proj_two'], limit: 3 }));
    const [r] = server.requests;
    assert.ok(r);
    assert.equal(r.number, 1);
    assert.equal(r.method, 'GET');
    assert.equal(r.path, '/v1/organization/audit_logs');
    assert.deepEqual(r.query, { 'project_ids[]': ['proj_one', 'proj_two'], limit: ['3'] });
    assert.equal(r.rawQuery, 'project_ids%5B%5D=proj_one&project_ids%5B%5D=proj_two&limit=3');
    assert.equal(r.headers.authorization, undefined);
    assert.ok(!JSON.stringify(server.requests).includes(TEST_KEY));
    assert.equal(r.auth, 'ok');
    assert.equal(r.status, 200);
    assert.equal(server.requestCount, 1);
    server.reset();
    assert.equal(server.requests.length, 0);
    await listPage(server.url, '');
    assert.equal(server.requests[0]!.number, 1);
  });

  it('accepts any key when none is configured', async () => {
    const open = await startFakeAuditLogServer({ events });
    try {
      assert.equal((await rawGet(`${open.url}/organization/audit_logs`, { key: null })).status, 200);
      assert.equal(open.requests[0]!.auth, 'unchecked');
    } finally {
      await open.close();
    }
  });

  describe('filters', () => {
    const cases: [string, Record<string, string | number | string[]>, string[]][] = [
      ['effective_at[gt]', { 'effective_at[gt]': 1030 }, ['e10', 'e09', 'e08', 'e07', 'e06']],
      ['effective_at[gte]', { 'effective_at[gte]': 1030 }, ['e10', 'e09', 'e08', 'e07', 'e06', 'e05', 'e04']],
      ['effective_at[lt]', { 'effective_at[lt]': 1030 }, ['e03', 'e02', 'e01']],
      ['effective_at[lte]', { 'effective_at[lte]': 1030 }, ['e05', 'e04', 'e03', 'e02', 'e01']],
      ['a closed range', { 'effective_at[gte]': 1010, 'effective_at[lt]': 1040 }, ['e05', 'e04', 'e03', 'e02']],
      ['an empty range', { 'effective_at[gt]': 1050, 'effective_at[lt]': 1051 }, []],
      ['project_ids[] (ORed)', { 'project_ids[]': ['proj_two', 'proj_none'] }, ['e10', 'e09', 'e06']],
      ['event_types[]', { 'event_types[]': ['login.failed', 'project.created'] }, ['e05', 'e04', 'e01']],
      ['event_types[] with an unknown type', { 'event_types[]': ['some.future_type'] }, ['e10']],
      ['actor_ids[] session user', { 'actor_ids[]': ['user-bo'] }, ['e09', 'e08', 'e02']],
      ['actor_ids[] API key user', { 'actor_ids[]': ['user-ada'] }, ['e07', 'e03', 'e01']],
      ['actor_ids[] API key id', { 'actor_ids[]': ['key_admin', 'key_sa'] }, ['e06', 'e03']],
      ['actor_ids[] service account', { 'actor_ids[]': ['svc_acct_1'] }, ['e06']],
      ['actor_emails[]', { 'actor_emails[]': ['ada@x.example'] }, ['e07', 'e03', 'e01']],
      ['resource_ids[]', { 'resource_ids[]': ['key_a', 'proj_two'] }, ['e09', 'e03', 'e02']],
      ['tenant_only=true', { tenant_only: 'true' }, ['e08', 'e07']],
      ['tenant_only=false', { tenant_only: 'false' }, NEWEST_FIRST],
      ['filters ANDed', { 'project_ids[]': ['proj_one'], 'actor_emails[]': ['ada@x.example'], 'effective_at[gt]': 1000 }, ['e03']],
    ];
    for (const [name, params, expected] of cases) {
      it(name, async () => {
        const page = await listPage(server.url, qs(params));
        assert.deepEqual(ids(page), expected);
        assert.equal(page.first_id, expected[0] ?? null);
        assert.equal(page.last_id, expected[expected.length - 1] ?? null);
        assert.equal(page.has_more, false);
      });
    }

    it('refuses tenant_only=true with a type that is not tenant-scoped', async () => {
      const res = await rawGet(`${server.url}/organization/audit_logs?${qs({ tenant_only: 'true', 'event_types[]': ['tenant.policy.created', 'project.created'] })}`);
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(res.text).error.param, 'event_types[]');
    });

    it('can hide tenant-scoped events unless tenant_only=true, as the contract describes', async () => {
      const strict = await startFakeAuditLogServer({ events, tenantEventsNeedTenantOnly: true });
      try {
        assert.deepEqual(ids(await listPage(strict.url, '')), ['e10', 'e09', 'e06', 'e05', 'e04', 'e03', 'e02', 'e01']);
        assert.deepEqual(ids(await listPage(strict.url, 'tenant_only=true')), ['e08', 'e07']);
      } finally {
        await strict.close();
      }
    });
  });

  describe('paging', () => {
    it('pages with after=<last_id> through every event exactly once, has_more false only at the end', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await listPage(server.url, qs({ limit: 3, after }));
        seen.push(...ids(page));
        assert.equal(page.first_id, page.data[0]?.id ?? null);
        assert.equal(page.last_id, page.data[page.data.length - 1]?.id ?? null);
        if (!page.has_more) break;
        after = page.last_id!;
      }
      assert.deepEqual(seen, NEWEST_FIRST);
    });

    it('pages with before=<first_id> back to the newest, each page newest first, has_more while newer events remain', async () => {
      let page = await listPage(server.url, qs({ limit: 3, after: 'e04' }));
      assert.deepEqual(ids(page), ['e03', 'e02', 'e01']);
      assert.equal(page.has_more, false);
      const pages: string[][] = [];
      let before = page.first_id!;
      for (;;) {
        page = await listPage(server.url, qs({ limit: 3, before }));
        pages.push(ids(page));
        if (!page.has_more) break;
        before = page.first_id!;
      }
      assert.deepEqual(pages, [
        ['e06', 'e05', 'e04'],
        ['e09', 'e08', 'e07'],
        ['e10'],
      ]);
      const newest = await listPage(server.url, qs({ before: 'e10' }));
      assert.deepEqual(newest, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    });

    it('applies filters around a cursor, including a cursor the filters exclude', async () => {
      const page = await listPage(server.url, qs({ 'project_ids[]': ['proj_one'], after: 'e06', limit: 2 }));
      assert.deepEqual(ids(page), ['e03', 'e02']);
      assert.equal(page.has_more, true);
      const back = await listPage(server.url, qs({ 'project_ids[]': ['proj_one'], before: 'e01', limit: 2 }));
      assert.deepEqual(ids(back), ['e03', 'e02']);
      assert.equal(back.has_more, false);
    });

    it('rejects an unknown cursor and after with before', async () => {
      for (const [query, param] of [
        ['after=nope', 'after'],
        ['before=nope', 'before'],
        ['after=e05&before=e02', 'before'],
      ]) {
        const res = await rawGet(`${server.url}/organization/audit_logs?${query}`);
        assert.equal(res.status, 400);
        assert.equal(JSON.parse(res.text).error.param, param);
      }
    });

    it('keeps events of one second in one stable order across pages, in both directions', async () => {
      const same = Array.from({ length: 53 }, (_, i) => ({ id: `audit_log-${(i * 7919) % 1000}`.padEnd(16, 'x'), type: 'user.added', effective_at: 1_700_000_000 }));
      server.setEvents([...same, { id: 'older', type: 'user.added', effective_at: 1_699_999_999 }, { id: 'newer', type: 'user.added', effective_at: 1_700_000_001 }]);
      const expected = server.eventIds();
      assert.equal(expected[0], 'newer');
      assert.equal(expected[expected.length - 1], 'older');
      assert.deepEqual(expected.slice(1, -1), same.map((e) => e.id).sort().reverse());
      const forward: string[] = [];
      let after: string | undefined;
      do {
        const page = await listPage(server.url, qs({ limit: 7, after }));
        forward.push(...ids(page));
        after = page.has_more ? page.last_id! : undefined;
      } while (after);
      assert.deepEqual(forward, expected);
      const backward: string[][] = [];
      let before: string | undefined = 'older';
      do {
        const page = await listPage(server.url, qs({ limit: 7, before }));
        backward.unshift(ids(page));
        before = page.has_more ? page.first_id! : undefined;
      } while (before);
      assert.deepEqual(backward.flat(), expected.slice(0, -1));
    });

    it('serves the sample organization in the sample order', async () => {
      const sample = generateSampleOrganization({ eventCount: 1200, seed: 3 });
      server.setEvents([...sample.events].reverse());
      assert.deepEqual(server.eventIds(), sample.events.map((e) => e.id));
      assert.deepEqual(server.eventIds(), [...sample.events].sort(compareEventsNewestFirst).map((e) => e.id));
      const page = await listPage(server.url, 'limit=100');
      assert.deepEqual(page.data, JSON.parse(JSON.stringify(sample.events.slice(0, 100))));
    });

    it('answers an empty log with an empty page', async () => {
      server.setEvents([]);
      assert.deepEqual(await listPage(server.url, ''), { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    });

    it('refuses events without id/type/effective_at and duplicate ids', () => {
      assert.throws(() => server.setEvents([{ id: 'a', type: 'x' }]), TypeError);
      assert.throws(() => server.setEvents([{ id: 'a', type: 'x', effective_at: 1 }, { id: 'a', type: 'y', effective_at: 2 }]), TypeError);
    });
  });
});
