import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import {
  ArchiveUnavailableError,
  AuditArchive,
  MIGRATIONS,
  SCHEMA_VERSION,
  StreamOrder,
  ftsQuery,
} from '../../../src/core/archive';
import { parseAuditLogPage } from '../../../src/core/model';
import { ids, parsed, sampleEvents, tempDir } from './helpers';

const T = 1_790_000_000;
const ev = (id: string, at: number, extra: object = {}): object => ({ id, type: 'api_key.created', effective_at: at, ...extra });

describe('archive: open, schema, store', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the folder (0700) and the file (0600), and tightens an existing file to 0600', async () => {
    const file = path.join(dir, 'org', 'archive.sqlite');
    const a = await AuditArchive.open(file);
    a.commitWindow(parsed([ev('e1', T)]));
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(`${file}-wal`).mode & 0o777, 0o600, 'the write-ahead log holds event text too');
    a.close();
    fs.chmodSync(file, 0o644);
    const b = await AuditArchive.open(file);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(b.allIds(), ['e1']);
    b.close();
    assert.ok(!fs.existsSync(`${file}.owner`), 'the owner lock is released on close');
  });

  it('keeps the exact wire text and rebuilds events from it', async () => {
    const wire = '{"id":"e1","type":"x.y","effective_at":1790000000,"big":12345678901234567890,"n":1.0,"2":"a"}';
    const page = `{"object":"list","data":[${wire}],"first_id":null,"last_id":null,"has_more":false}`;
    const b = await AuditArchive.open(':memory:');
    b.commitWindow(parseAuditLogPage(page).data);
    assert.equal(b.getEvent('e1')?.raw, wire);
    assert.equal(b.getEvent('e1')?.event.type, 'x.y');
    assert.equal(b.getEvent('nope'), undefined);
    b.close();
  });

  it('stores an event fetched twice once, and keeps both texts when the same id comes back different', async () => {
    const logs: string[] = [];
    const a = await AuditArchive.open(':memory:', { log: (m) => logs.push(m) });
    const first = a.commitWindow(parsed([ev('e1', T), ev('e2', T - 1)]));
    assert.deepEqual([first.added, first.duplicates, first.conflicts], [2, 0, []]);
    const again = a.commitWindow(parsed([ev('e1', T), ev('e2', T - 1)]));
    assert.deepEqual([again.added, again.duplicates, again.conflicts], [0, 2, []]);
    const changed = a.commitWindow(parsed([ev('e1', T, { note: 'edited' })]));
    assert.deepEqual([changed.added, changed.conflicts], [0, ['e1']]);
    assert.equal(a.count(), 2);
    assert.equal(a.getEvent('e1')?.raw, JSON.stringify(ev('e1', T)), 'the first text stays the event');
    assert.deepEqual(a.variants('e1'), [JSON.stringify(ev('e1', T, { note: 'edited' }))]);
    assert.equal(a.commitWindow(parsed([ev('e1', T, { note: 'edited' })])).conflicts.length, 0, 'reported once');
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /e1.*different text/);
    a.close();
  });

  it('marks coverage in the same transaction as the events, merging touching intervals', async () => {
    const a = await AuditArchive.open(':memory:', { maxPageCount: 200 });
    a.commitWindow(parsed([ev('e1', T + 5)]), { gte: T + 5, lt: T + 10 });
    a.commitWindow(parsed([ev('e2', T)]), { gte: T, lt: T + 5 });
    a.commitWindow([], { gte: T + 20, lt: T + 30 });
    assert.deepEqual(a.coverage(), [
      { gte: T, lt: T + 10 },
      { gte: T + 20, lt: T + 30 },
    ]);
    assert.ok(a.covers(T + 1, T + 9));
    assert.ok(!a.covers(T + 1, T + 21));
    // A commit that fails (here: the file cap is reached) leaves neither its events nor its coverage.
    const big = parsed(Array.from({ length: 3000 }, (_, i) => ev(`big${i}`, T - 100 - i, { pad: 'x'.repeat(2000) })));
    assert.throws(() => a.commitWindow(big, { gte: T - 5000, lt: T }), (e: unknown) => e instanceof ArchiveUnavailableError && e.reason === 'full');
    assert.equal(a.count(), 2);
    assert.deepEqual(a.coverage()[0], { gte: T, lt: T + 10 });
    a.commitWindow(parsed([ev('e3', T - 1, { project: { id: 'proj_new' } })]));
    assert.equal(a.count({ projectIds: ['proj_new'] }), 1, 'the dictionaries survive a rolled-back commit');
    a.close();
  });

  it('a full disk is a clear ArchiveUnavailableError', async () => {
    const a = await AuditArchive.open(path.join(dir, 'full.sqlite'), { maxPageCount: 60 });
    const big = parsed(Array.from({ length: 500 }, (_, i) => ev(`e${i}`, T - i, { pad: 'y'.repeat(4000) })));
    assert.throws(
      () => a.commitWindow(big),
      (e: unknown) => e instanceof ArchiveUnavailableError && e.reason === 'full' && /disk is full/.test(e.message),
    );
    a.close();
  });

  it('migrates a version-1 file to the current schema, keeping its events', async () => {
    const file = path.join(dir, 'old.sqlite');
    const v1 = await AuditArchive.open(file, { migrations: MIGRATIONS.slice(0, 1) });
    assert.equal(v1.schemaVersion, 1);
    v1.commitWindow(parsed([ev('old1', T, { actor: { type: 'session', session: { user: { id: 'user_1', email: 'a@x.example' } } } })]), { gte: T, lt: T + 1 });
    v1.close();
    const raw = new Database(file);
    raw.get('PRAGMA locking_mode = EXCLUSIVE');
    assert.equal((raw.all("SELECT name FROM sqlite_master WHERE name = 'events_view'") as unknown[]).length, 0);
    raw.close();

    const now = await AuditArchive.open(file);
    assert.equal(now.schemaVersion, SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 2);
    assert.deepEqual(now.allIds(), ['old1']);
    assert.equal(now.count({ actorEmails: ['a@x.example'] }), 1, 'v2 indexes serve the old rows');
    assert.deepEqual(now.coverage(), [{ gte: T, lt: T + 1 }]);
    now.close();
    const check = new Database(file);
    check.get('PRAGMA locking_mode = EXCLUSIVE');
    const row = check.get('SELECT id, type, actor_email, raw FROM events_view') as Record<string, unknown>;
    assert.deepEqual([row.id, row.type, row.actor_email], ['old1', 'api_key.created', 'a@x.example']);
    check.close();
  });

  it('refuses a file that is not an archive with a clear error', async () => {
    const file = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(file, 'this is not a database at all, just text'.repeat(200));
    await assert.rejects(AuditArchive.open(file), (e: unknown) => e instanceof ArchiveUnavailableError && e.reason === 'corrupt');
    assert.ok(!fs.existsSync(`${file}.owner`), 'a failed open releases the lock');
  });

  it('reports stats, deletes what is older than a cutoff (with its search entries) and trims coverage', async () => {
    const a = await AuditArchive.open(':memory:');
    a.commitWindow(parsed([ev('new', T, { note: 'zebra' }), ev('old', T - 100, { note: 'zebra' })]), { gte: T - 200, lt: T + 1 });
    assert.deepEqual({ ...a.stats(), bytes: 0 }, { total: 2, oldest: T - 100, newest: T, bytes: 0 });
    assert.ok(a.stats().bytes > 0);
    assert.equal(a.deleteOlderThan(T - 50), 1);
    assert.deepEqual(ids(a.search('zebra')), ['new']);
    assert.deepEqual(a.coverage(), [{ gte: T - 50, lt: T + 1 }]);
    assert.equal(a.integrityCheck(), 'ok');
    a.close();
  });

  it('orders events of one second as the API listed them, whatever order windows were committed in', async () => {
    const a = await AuditArchive.open(':memory:');
    // The API's listing: [b3, b2, b1] in second T, then [a2, a1] in T - 1. The ids do not sort that way.
    const second = parsed([ev('b3', T), ev('b2', T), ev('b1', T)]);
    const older = parsed([ev('a2', T - 1), ev('a1', T - 1)]);
    a.commitWindow(older, undefined, { ords: new StreamOrder().assign(older) });
    const order = new StreamOrder();
    a.commitWindow(second.slice(0, 2), undefined, { ords: order.assign(second.slice(0, 2)) });
    a.commitWindow(second.slice(2), undefined, { ords: order.assign(second.slice(2)) });
    assert.deepEqual(a.allIds(), ['b3', 'b2', 'b1', 'a2', 'a1']);
    // A re-read of second T with a newcomer on top moves the known ones down.
    const reread = parsed([ev('b4', T), ev('b3', T), ev('b2', T), ev('b1', T)]);
    a.commitWindow(reread, undefined, { ords: new StreamOrder().assign(reread) });
    assert.deepEqual(ids(a.events()), ['b4', 'b3', 'b2', 'b1', 'a2', 'a1']);
    a.close();
  });

  it('streams every matching event in bounded batches, newest first', async () => {
    const events = sampleEvents(2500);
    const a = await AuditArchive.open(':memory:');
    a.commitWindow(events, undefined, { ords: new StreamOrder().assign(events) });
    const seen: string[] = [];
    let batches = 0;
    for (const batch of a.iterate({}, 300)) {
      assert.ok(batch.length <= 300);
      batches++;
      seen.push(...ids(batch));
    }
    assert.equal(batches, Math.ceil(2500 / 300));
    assert.deepEqual(seen, ids(events));
    // Filtered, both ways of walking (a rare type by its index, a frequent one along the time index).
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.event.type, (counts.get(e.event.type) ?? 0) + 1);
    const byCount = [...counts].sort((x, y) => x[1] - y[1]);
    for (const type of [byCount[0]![0], byCount.at(-1)![0]]) {
      const streamed = [...a.iterate({ eventTypes: [type] }, 7)].flat();
      assert.deepEqual(ids(streamed), ids(events.filter((e) => e.event.type === type)), type);
    }
    a.close();
  });

  it('builds safe FTS5 queries from free text', () => {
    assert.equal(ftsQuery('alice@example.com'), '"alice" AND "example" AND "com"');
    assert.equal(ftsQuery('proj* "NEAR(a b)" OR'), '"proj"* AND "NEAR" AND "a" AND "b" AND "OR"');
    assert.equal(ftsQuery('  ,;  '), undefined);
  });
});
