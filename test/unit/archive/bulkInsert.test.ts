/**
 * The write path stores events in multi-row statements and binds long texts
 * as UTF-8 bytes (repository.ts): these pin what it must keep exactly as the
 * one-row path did, across statement boundaries (128 rows, then powers of
 * two) and for every kind of text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuditArchive, StreamOrder } from '../../../src/core/archive';
import { parseAuditLogPage } from '../../../src/core/model';
import { ids, parsed, tempDir } from './helpers';

const T = 1_790_000_000;
const ev = (id: string, at: number, extra: object = {}): object => ({ id, type: 'api_key.created', effective_at: at, ...extra });

describe('archive: bulk insert', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores 301 events of one commit (several statement sizes) exactly: texts, order, search, counts', async () => {
    const a = await AuditArchive.open(path.join(dir, 'a.sqlite'));
    // 301 = 128 + 128 + 32 + 8 + 4 + 1; three per second, so ords restart inside statements.
    const objects = Array.from({ length: 301 }, (_, i) => ev(`e${i}`, T - Math.floor(i / 3), { note: `word${i}`, n: i }));
    const events = parsed(objects);
    const result = a.commitWindow(events, { gte: T - 200, lt: T + 1 }, { ords: new StreamOrder().assign(events) });
    assert.deepEqual([result.added, result.duplicates, result.conflicts], [301, 0, []]);
    assert.deepEqual(a.allIds(), ids(events), 'the API order, from effective_at and ord');
    for (const i of [0, 127, 128, 255, 256, 287, 295, 299, 300]) {
      assert.equal(a.getEvent(`e${i}`)?.raw, JSON.stringify(objects[i]), `e${i}`);
      assert.deepEqual(ids(a.search(`word${i}`)), [`e${i}`], `word${i} is searchable`);
    }
    a.close();
    const b = await AuditArchive.open(path.join(dir, 'a.sqlite'));
    assert.equal(b.count(), 301);
    assert.equal(b.integrityCheck(), 'ok');
    b.close();
  });

  it('an id repeated in one commit is stored once, with its first text; a different later text is a variant', async () => {
    const a = await AuditArchive.open(':memory:');
    const objects = Array.from({ length: 200 }, (_, i) => ev(`e${i}`, T - i));
    // Repeats: inside the first statement, across statements, and one with another text.
    objects.splice(5, 0, ev('e2', T - 2));
    objects.splice(150, 0, ev('e3', T - 3));
    objects.splice(170, 0, ev('e4', T - 4, { note: 'edited' }));
    const events = parsed(objects);
    const result = a.commitWindow(events);
    assert.deepEqual([result.added, result.duplicates, result.conflicts], [200, 3, ['e4']]);
    assert.equal(a.count(), 200);
    assert.equal(a.getEvent('e4')?.raw, JSON.stringify(ev('e4', T - 4)), 'the first text is the event');
    assert.deepEqual(a.variants('e4'), [JSON.stringify(ev('e4', T - 4, { note: 'edited' }))]);
    assert.deepEqual(a.variants('e2'), []);
    // A later commit mixing known and new ids adds only the new ones.
    const again = a.commitWindow(parsed([ev('e0', T), ev('x1', T - 500), ev('e199', T - 199), ev('x2', T - 501)]));
    assert.deepEqual([again.added, again.duplicates], [2, 2]);
    assert.equal(a.count(), 202);
    a.close();
  });

  it('keeps every kind of text byte for byte (accents, emoji, escapes, a lone surrogate), searches and deletes it', async () => {
    const a = await AuditArchive.open(path.join(dir, 'b.sqlite'));
    const wires = [
      '{"id":"u1","type":"x.y","effective_at":1790000003,"note":"Zoë café naïve résumé"}',
      '{"id":"u2","type":"x.y","effective_at":1790000002,"note":"rocket 🚀 launch 日本語"}',
      '{"id":"u3","type":"x.y","effective_at":1790000001,"note":"lone \\ud800 surrogate","quote":"a\\"b\\\\c\\u0000d"}',
      '{"id":"u4","type":"x.y","effective_at":1790000000,"note":"emoji \\ud83d\\ude80 escaped"}',
    ];
    const page = `{"object":"list","data":[${wires.join(',')}],"first_id":null,"last_id":null,"has_more":false}`;
    a.commitWindow(parseAuditLogPage(page).data);
    assert.equal(parseAuditLogPage(page).data[2]!.event['note' as 'id'], 'lone \ud800 surrogate', 'the parsed value holds a lone surrogate');
    for (const [i, wire] of wires.entries()) assert.equal(a.getEvent(`u${i + 1}`)?.raw, wire);
    assert.deepEqual(ids(a.search('cafe')), ['u1'], 'accents folded as before');
    assert.deepEqual(ids(a.search('launch')), ['u2']);
    assert.deepEqual(ids(a.search('surrogate')), ['u3']);
    assert.deepEqual(ids(a.search('escaped')), ['u4']);
    // Retention deletes the search entries with the text bound the same way: nothing is left behind.
    assert.equal(a.deleteOlderThan(1_790_000_004), 4);
    for (const word of ['cafe', 'launch', 'surrogate', 'escaped', 'x']) assert.equal(a.searchCount(word), 0, word);
    assert.equal(a.integrityCheck(), 'ok');
    a.close();
  });

  it('lets the write-ahead log grow past 32 MB between checkpoints (fewer fsyncs in a sync), and a reopen has it all', async () => {
    const file = path.join(dir, 'wal.sqlite');
    const a = await AuditArchive.open(file);
    const pad = 'p'.repeat(3000);
    for (let w = 0; w < 40; w++) {
      a.commitWindow(parsed(Array.from({ length: 300 }, (_, i) => ev(`w${w}-${i}`, T - w * 300 - i, { pad }))));
    }
    // Nothing checkpointed yet: the events are all in the log, the file itself still holds the schema only.
    const [db, wal] = [fs.statSync(file).size, fs.statSync(`${file}-wal`).size];
    assert.ok(wal > 40 * 2 ** 20 && db < 2 ** 20, `file ${db} bytes, log ${wal} bytes`);
    a.close();
    assert.ok(!fs.existsSync(`${file}-wal`) || fs.statSync(`${file}-wal`).size === 0, 'close checkpoints the log into the file');
    const b = await AuditArchive.open(file);
    assert.equal(b.count(), 12_000);
    assert.equal(b.integrityCheck(), 'ok');
    b.close();
  });

  it('checkpoints while views read between commits: no read leaves its statement open on a row', async () => {
    const file = path.join(dir, 'ckpt.sqlite');
    const a = await AuditArchive.open(file, { checkpointPages: 64 });
    const pad = 'q'.repeat(1000);
    for (let w = 0; w < 20; w++) {
      // Every single-row read the views and the sync make, then a commit that appends to a stored second (nextOrd).
      a.stats();
      a.count({ eventTypes: ['api_key.created'] });
      a.newestSecond();
      a.getEvent(`c${w - 1}-0`);
      a.searchCount('pad');
      a.commitWindow(parsed(Array.from({ length: 300 }, (_, i) => ev(`c${w}-${i}`, T - w, { pad }))));
    }
    const [db, wal] = [fs.statSync(file).size, fs.statSync(`${file}-wal`).size];
    assert.ok(db > 4 * 2 ** 20, `the log was checkpointed into the file: file ${db} bytes, log ${wal} bytes`);
    assert.equal(a.count(), 6000);
    a.close();
  });

  it('isEmpty and oldestSecond answer from one row', async () => {
    const a = await AuditArchive.open(':memory:');
    assert.deepEqual([a.isEmpty(), a.oldestSecond()], [true, null]);
    a.commitWindow(parsed([ev('e1', T), ev('e2', T - 7)]));
    assert.deepEqual([a.isEmpty(), a.oldestSecond()], [false, T - 7]);
    a.close();
  });
});
