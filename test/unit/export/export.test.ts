import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditLogClient, CancelledError } from '../../../src/core/api';
import {
  CSV_COLUMNS,
  csvCell,
  exportAuditLog,
  formatFromFileName,
  singleLineJson,
  writeEventsFile,
} from '../../../src/core/export';
import { parseAuditEvent, parseAuditLogPage, type ParsedEvent } from '../../../src/core/model';
import { MAX_DISPLAY_DEPTH } from '../../../src/core/text/valueDepth';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';

const KEY = 'sk-admin-export-test-0123456789';
const T0 = 1_700_000_000;

function sampleEvents(count: number): object[] {
  const out: object[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      id: `audit_log-${String(i).padStart(6, '0')}`,
      type: i % 3 === 0 ? 'project.updated' : 'api_key.created',
      effective_at: T0 + Math.floor(i / 7),
      project: { id: `proj_${i % 4}`, name: i % 4 === 0 ? '=HYPERLINK("http://evil")' : `Project "${i % 4}", north` },
      actor: { type: 'session', session: { user: { id: 'user_1', email: 'ada@example.com' }, ip_address: '10.0.0.1' } },
      ...(i % 3 === 0
        ? { 'project.updated': { id: `proj_${i % 4}`, changes_requested: { title: 'line one\nline two' } } }
        : { 'api_key.created': { id: `key_${i}`, data: { scopes: ['api.audit_logs.read'] } } }),
    });
  }
  return out;
}

async function* batchesOf(events: readonly ParsedEvent[], size = 100): AsyncGenerator<ParsedEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

function parsed(events: readonly unknown[], pretty = false): ParsedEvent[] {
  const body = JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false }, null, pretty ? 2 : 0);
  return parseAuditLogPage(body).data;
}

describe('export', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-export-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes JSON Lines: one line per event, exactly the text the API sent', async () => {
    const events = parsed(sampleEvents(250));
    const file = path.join(dir, 'out.jsonl');
    const result = await writeEventsFile(batchesOf(events), file, 'jsonl', { chunkBytes: 4096 });
    assert.deepEqual(result, { count: 250, file });
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines, events.map((e) => e.raw));
  });

  it('puts pretty-printed events on one line without touching their strings', async () => {
    const events = parsed(sampleEvents(5), true);
    assert.ok(events[0]!.raw.includes('\n'));
    const file = path.join(dir, 'out.jsonl');
    await writeEventsFile(batchesOf(events), file, 'jsonl');
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 5);
    lines.forEach((line, i) => assert.deepEqual(JSON.parse(line), events[i]!.event));
    assert.equal(singleLineJson('{\n  "a b": "x \\" \\n y",\r\n  "c": [1, 2]\n}'), '{"a b":"x \\" \\n y","c":[1,2]}');
    assert.equal(singleLineJson('{"a": 1}'), '{"a": 1}');
  });

  it('writes JSON: one array of the events as sent, also when empty', async () => {
    const events = parsed(sampleEvents(30), true);
    const file = path.join(dir, 'out.json');
    await writeEventsFile(batchesOf(events, 7), file, 'json');
    assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')), events.map((e) => e.event));
    const empty = path.join(dir, 'empty.json');
    assert.equal((await writeEventsFile(batchesOf([]), empty, 'json')).count, 0);
    assert.deepEqual(JSON.parse(await fs.readFile(empty, 'utf8')), []);
  });

  it('writes CSV: one quoted, formula-safe row per event with ISO and Unix time', async () => {
    const events = parsed(sampleEvents(8));
    const file = path.join(dir, 'out.csv');
    await writeEventsFile(batchesOf(events), file, 'csv');
    const text = await fs.readFile(file, 'utf8');
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 9);
    const first = rows[1]!;
    assert.equal(first[0], 'audit_log-000000');
    assert.equal(first[1], 'project.updated');
    assert.equal(first[2], new Date(T0 * 1000).toISOString());
    assert.equal(first[3], String(T0));
    assert.equal(first[4], 'ada@example.com');
    assert.equal(first[6], 'proj_0');
    assert.equal(first[7], `'=HYPERLINK("http://evil")`, 'a formula must be defused');
    assert.equal(first[8], 'proj_0');
    assert.deepEqual(JSON.parse(first[9]!), { id: 'proj_0', changes_requested: { title: 'line one\nline two' } });
    assert.equal(rows[2]![7], 'Project "1", north');
    assert.equal(csvCell('@SUM(A1)'), `'@SUM(A1)`);
    assert.equal(csvCell('-1+2'), `'-1+2`);
    assert.equal(csvCell('plain'), 'plain');
  });

  it('reads the format from a file name', () => {
    assert.equal(formatFromFileName('a.JSONL'), 'jsonl');
    assert.equal(formatFromFileName('a.ndjson'), 'jsonl');
    assert.equal(formatFromFileName('a.json'), 'json');
    assert.equal(formatFromFileName('a.csv'), 'csv');
    assert.equal(formatFromFileName('a.txt'), undefined);
  });

  it('leaves no file under the destination name when cancelled, and keeps an existing one as it was', async () => {
    const events = parsed(sampleEvents(500));
    const file = path.join(dir, 'keep.jsonl');
    await fs.writeFile(file, 'previous export\n');
    const controller = new AbortController();
    await assert.rejects(
      writeEventsFile(batchesOf(events, 50), file, 'jsonl', {
        signal: controller.signal,
        chunkBytes: 1000,
        onProgress: (n) => {
          if (n >= 200) controller.abort();
        },
      }),
      CancelledError,
    );
    assert.equal(await fs.readFile(file, 'utf8'), 'previous export\n');
    assert.deepEqual(await fs.readdir(dir), ['keep.jsonl']);
  });

  it('leaves no file when the source fails midway', async () => {
    const events = parsed(sampleEvents(300));
    async function* failing(): AsyncGenerator<ParsedEvent[]> {
      yield events.slice(0, 100);
      throw new Error('network gone');
    }
    const file = path.join(dir, 'broken.csv');
    await assert.rejects(writeEventsFile(failing(), file, 'csv', { chunkBytes: 10 }), /network gone/);
    assert.deepEqual(await fs.readdir(dir), []);
  });

  describe('a page with unreadable events', () => {
    const good = sampleEvents(4) as Record<string, unknown>[];
    const { id: _id, ...noId } = good[1]!;
    const page = [good[0]!, noId, { ...good[2]!, type: null, effective_at: 'yesterday' }, 'not an event', good[3]!];
    const events = (): ParsedEvent[] => parsed(page);

    it('writes and counts them, exactly as sent, in JSON Lines and JSON', async () => {
      const jsonl = path.join(dir, 'out.jsonl');
      const result = await writeEventsFile(batchesOf(events()), jsonl, 'jsonl');
      assert.deepEqual(result, { count: 5, unreadable: 3, file: jsonl });
      const lines = (await fs.readFile(jsonl, 'utf8')).trimEnd().split('\n');
      assert.deepEqual(lines.map((l) => JSON.parse(l) as unknown), page);
      assert.deepEqual(
        lines.map((l) => parseAuditEvent(l).unreadable),
        [undefined, 'id: expected string, but the field is missing', 'type: expected string, got null; effective_at: expected number, got string', 'expected an object, got string', undefined],
        'an export reads back with the same verdicts',
      );
      const json = path.join(dir, 'out.json');
      assert.equal((await writeEventsFile(batchesOf(events()), json, 'json')).unreadable, 3);
      assert.deepEqual(JSON.parse(await fs.readFile(json, 'utf8')), page);
    });

    it('writes a CSV row for each: stand-in id and type, no made-up time, the wire text as detail and the reason', async () => {
      const file = path.join(dir, 'out.csv');
      assert.equal((await writeEventsFile(batchesOf(events()), file, 'csv')).unreadable, 3);
      const rows = parseCsv(await fs.readFile(file, 'utf8'));
      assert.equal(rows.length, 6);
      const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
      const [readable, missingId, nullType, notObject] = [rows[1]!, rows[2]!, rows[3]!, rows[4]!];
      assert.equal(readable[col('unreadable')], '');
      assert.match(missingId[col('id')]!, /^unreadable:[0-9a-f]{16}$/);
      assert.equal(missingId[col('type')], 'api_key.created');
      assert.equal(missingId[col('effective_at_unix')], String(T0), 'a usable wire time is kept');
      assert.deepEqual(JSON.parse(missingId[col('detail')]!), noId);
      assert.equal(missingId[col('unreadable')], 'id: expected string, but the field is missing');
      assert.equal(nullType[col('id')], good[2]!['id']);
      assert.equal(nullType[col('type')], '(unreadable)');
      assert.deepEqual([nullType[col('effective_at')], nullType[col('effective_at_unix')]], ['', ''], 'no stand-in 1970 time');
      assert.equal(notObject[col('detail')], '"not an event"');
    });
  });

  describe('deeply nested values', () => {
    for (const levels of [3_000, 10_000, 100_000]) {
      it(`exports a detail nested ${levels.toLocaleString('en-US')} levels: JSON Lines exactly, CSV with the deep part spelled out`, async () => {
        const deep = '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
        const raw = `{"id":"deep","type":"project.updated","effective_at":${T0},"project.updated":{"id":"p","changes_requested":{"x":${deep}}}}`;
        const events = [...parsed(sampleEvents(2)), parseAuditEvent(raw), ...parsed(sampleEvents(1))];
        const jsonl = path.join(dir, 'deep.jsonl');
        assert.equal((await writeEventsFile(batchesOf(events), jsonl, 'jsonl')).count, 4);
        assert.equal((await fs.readFile(jsonl, 'utf8')).split('\n')[2], raw);
        const csv = path.join(dir, 'deep.csv');
        assert.equal((await writeEventsFile(batchesOf(events), csv, 'csv')).count, 4);
        const rows = parseCsv(await fs.readFile(csv, 'utf8'));
        assert.equal(rows.length, 5);
        const detail = rows[3]![CSV_COLUMNS.indexOf('detail')]!;
        assert.ok(detail.endsWith('"(too deep to display)"' + '}'.repeat(MAX_DISPLAY_DEPTH)), detail.slice(-80));
        assert.equal(detail.split('"a":').length - 1, MAX_DISPLAY_DEPTH - 2, 'the detail and changes_requested levels hold no "a"');
      });
    }
  });

  describe('from the API, through the parallel fetcher', () => {
    let server: FakeAuditLogServer;
    let api: AuditLogClient;
    afterEach(async () => {
      await api?.close();
      await server?.close();
    });

    it('exports every event of the range exactly once, newest first', async () => {
      const events = sampleEvents(5000);
      server = await startFakeAuditLogServer({ events, apiKey: KEY, faults: { every: 5, fault: { kind: '500' } } });
      api = new AuditLogClient({ baseUrl: server.url, apiKey: KEY, retryBaseDelayMs: 1 });
      const file = path.join(dir, 'all.jsonl');
      let lastWritten = 0;
      const result = await exportAuditLog(api, { effectiveAt: { gte: T0 } }, file, 'jsonl', {
        concurrency: 6,
        onProgress: (written) => (lastWritten = written),
      });
      assert.equal(result.count, 5000);
      assert.equal(lastWritten, 5000);
      const ids = (await fs.readFile(file, 'utf8')).trimEnd().split('\n').map((line) => parseAuditEvent(line).event.id);
      assert.deepEqual(ids, server.eventIds());
    });

    it('writes nothing when the key is refused', async () => {
      server = await startFakeAuditLogServer({ events: sampleEvents(10), apiKey: KEY });
      api = new AuditLogClient({ baseUrl: server.url, apiKey: 'sk-admin-wrong-key-000000000', retryBaseDelayMs: 1 });
      const file = path.join(dir, 'denied.jsonl');
      await assert.rejects(exportAuditLog(api, {}, file, 'jsonl'), (e: unknown) => (e as { kind?: string }).kind === 'invalidKey');
      assert.deepEqual(await fs.readdir(dir), []);
    });
  });
});

/** A small RFC 4180 reader for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
