/**
 * The Parquet export read back by an engine nobody here wrote (DuckDB):
 * every id, type, timestamp and raw against the source events, the typed
 * columns, several row groups with statistics, Snappy, 0600, and a
 * cancelled export leaving nothing behind.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CancelledError } from '../../../src/core/api';
import { parquetRow, writeEventsFile } from '../../../src/core/export';
import { parseAuditLogPage, type ParsedEvent } from '../../../src/core/model';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';

async function* batchesOf(events: readonly ParsedEvent[], size = 500): AsyncGenerator<ParsedEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

function sampleParsed(count: number): ParsedEvent[] {
  const events = generateSampleOrganization({ seed: 16, eventCount: count }).events;
  return parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data;
}

async function rows(db: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

describe('export: Parquet read back by DuckDB', function () {
  this.timeout(120_000);
  let dir: string;
  let db: DuckDBConnection;
  const events = sampleParsed(5000);
  const quoted = (file: string) => `'${file.replace(/'/g, "''")}'`;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-parquet-'));
    db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run("SET TimeZone = 'UTC'");
  });
  after(async () => {
    db?.closeSync();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('holds every event: id, type, effective_at as a UTC TIMESTAMP, raw exactly as sent, in order', async () => {
    const file = path.join(dir, 'all.parquet');
    const result = await writeEventsFile(batchesOf(events), file, 'parquet', { rowGroupRows: 1024 });
    assert.deepEqual(result, { count: events.length, file });
    const got = await rows(db, `SELECT id, type, epoch_ms(effective_at) AS ms, raw FROM read_parquet(${quoted(file)})`);
    assert.equal(got.length, events.length);
    got.forEach((r, i) => {
      const e = events[i]!;
      assert.equal(r.id, e.event.id);
      assert.equal(r.type, e.event.type);
      assert.equal(Number(r.ms), e.event.effective_at * 1000);
      assert.equal(r.raw, e.raw, `raw of ${e.event.id}`);
    });
  });

  it('has typed columns (TIMESTAMP WITH TIME ZONE, VARCHAR) that match the source', async () => {
    const file = path.join(dir, 'typed.parquet');
    await writeEventsFile(batchesOf(events), file, 'parquet');
    const schema = await rows(db, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${quoted(file)}))`);
    const types = Object.fromEntries(schema.map((r) => [r.column_name, r.column_type]));
    assert.equal(types.effective_at, 'TIMESTAMP WITH TIME ZONE');
    for (const c of ['id', 'type', 'actor_type', 'actor_id', 'actor_email', 'actor_ip', 'actor_country', 'user_agent', 'api_key_id', 'project_id', 'project_name', 'resource_id', 'tenant_id', 'raw']) {
      assert.equal(types[c], 'VARCHAR', c);
    }
    const got = await rows(db, `SELECT * EXCLUDE (effective_at) FROM read_parquet(${quoted(file)})`);
    got.forEach((r, i) => {
      const expected = parquetRow(events[i]!);
      for (const [k, v] of Object.entries(r)) assert.equal(v, expected[k as keyof typeof expected], `${k} of ${expected.id}`);
    });
    const countries = await rows(db, `SELECT count(*) AS n FROM read_parquet(${quoted(file)}) WHERE actor_country IS NOT NULL AND actor_ip IS NOT NULL`);
    assert.ok(Number(countries[0]!.n) > 100, 'the sample has actors with a country');
  });

  it("counts by type as the source does (SELECT type, count(*) ... GROUP BY type)", async () => {
    const file = path.join(dir, 'bytype.parquet');
    await writeEventsFile(batchesOf(events), file, 'parquet');
    const got = await rows(db, `SELECT type, count(*) AS n FROM read_parquet(${quoted(file)}) GROUP BY type ORDER BY type`);
    const expected = new Map<string, number>();
    for (const e of events) expected.set(e.event.type, (expected.get(e.event.type) ?? 0) + 1);
    assert.deepEqual(
      got.map((r) => [r.type, Number(r.n)]),
      [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    assert.ok(got.length > 100, 'many types');
  });

  it('cuts row groups of the asked size, Snappy-compressed, with min/max statistics on effective_at', async () => {
    const file = path.join(dir, 'groups.parquet');
    await writeEventsFile(batchesOf(events, 333), file, 'parquet', { rowGroupRows: 1000 });
    const meta = await rows(
      db,
      `SELECT row_group_id, row_group_num_rows AS n, compression, stats_min_value, stats_max_value FROM parquet_metadata(${quoted(file)}) WHERE path_in_schema = 'effective_at' ORDER BY row_group_id`,
    );
    assert.deepEqual(meta.map((m) => Number(m.n)), [1000, 1000, 1000, 1000, 1000]);
    assert.ok(meta.every((m) => m.compression === 'SNAPPY'));
    assert.ok(meta.every((m) => m.stats_min_value !== null && m.stats_max_value !== null));
    // Newest first: each group's time range lies after the next one's, so a time filter skips groups.
    const stat = (s: unknown) => Date.parse(String(s).replace(' ', 'T').replace(/\+00$/, 'Z'));
    for (let i = 1; i < meta.length; i++) assert.ok(stat(meta[i - 1]!.stats_min_value) >= stat(meta[i]!.stats_max_value));
    assert.ok(!Number.isNaN(stat(meta[0]!.stats_min_value)), String(meta[0]!.stats_min_value));
    const mode = (await fs.stat(file)).mode & 0o777;
    assert.equal(mode, 0o600);
  });

  it('keeps an unreadable event as the API sent it, with no time when the wire had none', async () => {
    const page = JSON.stringify({ object: 'list', data: [{ type: 'project.created', note: 'no id, no time' }, events[0]!.event], first_id: null, last_id: null, has_more: false });
    const odd = parseAuditLogPage(page).data;
    assert.ok(odd[0]!.unreadable);
    const file = path.join(dir, 'odd.parquet');
    assert.deepEqual(await writeEventsFile(batchesOf(odd), file, 'parquet'), { count: 2, file, unreadable: 1 });
    const got = await rows(db, `SELECT id, effective_at IS NULL AS no_time, raw FROM read_parquet(${quoted(file)})`);
    assert.deepEqual(got.map((r) => [r.id, r.no_time, r.raw]), [
      [odd[0]!.event.id, true, odd[0]!.raw],
      [odd[1]!.event.id, false, odd[1]!.raw],
    ]);
  });

  it('writes an empty but valid file for no events', async () => {
    const file = path.join(dir, 'empty.parquet');
    assert.deepEqual(await writeEventsFile(batchesOf([]), file, 'parquet'), { count: 0, file });
    assert.equal(Number((await rows(db, `SELECT count(*) AS n FROM read_parquet(${quoted(file)})`))[0]!.n), 0);
  });

  it('leaves nothing (and keeps an existing file) when cancelled', async () => {
    const file = path.join(dir, 'cancel.parquet');
    await fs.writeFile(file, 'before');
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<ParsedEvent[]> {
      yield events.slice(0, 100);
      controller.abort();
      yield events.slice(100, 200);
    }
    await assert.rejects(writeEventsFile(slow(), file, 'parquet', { signal: controller.signal }), CancelledError);
    assert.equal(await fs.readFile(file, 'utf8'), 'before');
    assert.deepEqual((await fs.readdir(dir)).filter((f) => f.includes('cancel')), ['cancel.parquet']);
  });
});
