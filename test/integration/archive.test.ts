/**
 * The archive as the extension uses it (issue 11), inside the real extension host against the loopback
 * API: Sync Archive and Delete Archive, Refresh as a sync, resuming a failed sync, offline browsing and
 * export, the archive disabled or unusable, the details history served from it, and auto refresh as an
 * incremental sync. Every test starts from an empty archive file, the key set, no filters and no faults.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { CoveredRange } from '../../src/core/archive';
import type { ExportResult } from '../../src/core/export';
import { parseAuditEvent, prettyRawJson, type AuditEvent } from '../../src/core/model';
import { compareEventsNewestFirst, generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer, type RecordedRequest } from '../../src/core/sample/loopbackServer';
import type { TestApi } from '../../src/extension';
import type { SyncSummary } from '../../src/store/eventStore';
import { untilWithin } from '../harness/until';
import { restoreArchiveSettings, startCleanWithKey } from './freshArchive';
import { setting } from './settings';

const KEY = 'sk-admin-archive-integration-0123456789abcdef';
const until = untilWithin(60_000);

type AnyNode = { id: string; group?: { kind: string; key: string; label: string; count: number } };
type Plain = AuditEvent & { id: string; type: string; effective_at: number };

const BAD_REQUEST = { kind: 'status', status: 400, body: '{"error":{"message":"refused by the test","type":"invalid_request_error","param":null,"code":null}}' } as const;

/** A project created then renamed, inside the sample's time range, so its update has a history to diff. */
function historyEvents(at: number): Plain[] {
  const actor = { type: 'session', session: { user: { id: 'user_hist', email: 'hist@example.com' } } };
  return [
    { id: 'audit_log-hist-1', type: 'project.created', effective_at: at, actor, 'project.created': { id: 'proj_hist', data: { name: 'hist', title: 'Before' } } },
    { id: 'audit_log-hist-2', type: 'project.updated', effective_at: at + 60, actor, 'project.updated': { id: 'proj_hist', changes_requested: { title: 'After' } } },
  ] as Plain[];
}

function countBy<K>(items: readonly K[]): Map<K, number> {
  const m = new Map<K, number>();
  for (const k of items) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** The whole-second window `[gte, lt)` a request asked for (open sides as ±Infinity). */
function windowOf(r: RecordedRequest): { gte: number; lt: number } {
  const q = (k: string) => (r.query[k]?.[0] !== undefined ? Number(r.query[k]![0]) : undefined);
  const gte = Math.max(q('effective_at[gte]') ?? -Infinity, q('effective_at[gt]') !== undefined ? q('effective_at[gt]')! + 1 : -Infinity);
  const lt = Math.min(q('effective_at[lt]') ?? Infinity, q('effective_at[lte]') !== undefined ? q('effective_at[lte]')! + 1 : Infinity);
  return { gte, lt };
}

function syncArchive(arg?: unknown): Promise<SyncSummary> {
  return Promise.resolve(vscode.commands.executeCommand<SyncSummary>(Commands.syncArchive, arg));
}

function exportEvents(args: unknown): Promise<ExportResult & { source: 'archive' | 'api' }> {
  return Promise.resolve(vscode.commands.executeCommand<ExportResult & { source: 'archive' | 'api' }>(Commands.exportEvents, args));
}

/** A URL on 127.0.0.1 where nothing listens any more. */
async function closedPortUrl(): Promise<string> {
  const s = await startFakeAuditLogServer({});
  const url = s.url;
  await s.close();
  return url;
}

describe('archive', function () {
  this.timeout(180_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: Plain[];
  let dir: string;

  const store = () => api.services.store;
  const roots = () => api.explorer.provider.getChildren() as unknown as AnyNode[];
  const auditRequests = () => server.requests.filter((r) => r.path.endsWith('/organization/audit_logs'));
  const serverOrder = (list: readonly Plain[]) => [...list].sort(compareEventsNewestFirst).map((e) => e.id);
  const coverageLabel = () => {
    const node = roots().find((n) => n.id === 'coverage');
    return node ? String(api.explorer.provider.getTreeItem(node as never).label) : undefined;
  };
  const typeCounts = () => new Map(roots().filter((n) => n.group).map((n) => [n.group!.key, n.group!.count]));

  before(async () => {
    const sample = generateSampleOrganization({ seed: 23, eventCount: 230 }).events as unknown as Plain[];
    const times = sample.map((e) => e.effective_at).sort((a, b) => a - b);
    events = [...sample, ...historyEvents(times[Math.floor(times.length / 2)]!)];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 100);
    await setting('maxRetries', 0);
    await setting('groupBy', undefined);
    await setting('timeDisplay', 'utc');
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await store().exitSample();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-archive-it-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const k of ['archive.enabled', 'autoRefreshSeconds', 'apiBaseUrl', 'pageSize', 'maxRetries', 'groupBy', 'timeDisplay']) await setting(k, undefined);
    await restoreArchiveSettings();
    await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    await api?.services.keyStore.delete();
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // Each test arranges its own state: the server's data, no faults, the key, no filters, an empty archive file.
  beforeEach(async () => {
    server.setEvents(events);
    server.setFaults(undefined);
    await setting('apiBaseUrl', server.url);
    await setting('archive.enabled', undefined);
    await setting('autoRefreshSeconds', undefined);
    await startCleanWithKey(api, KEY, { sync: true });
    await until('the archive file to be open', () => store().archiveMode === 'file');
    assert.equal(store().archive?.stats().total, 0);
    assert.equal(store().status, 'idle', 'nothing is loading');
  });

  /** Lets a load the store started on its own begin and end. */
  async function settled(): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    await until('the store to settle', () => store().status !== 'loading');
  }

  it('Sync Archive from empty resolves the server\'s totals, into a 0600 file in global storage that holds no key; the coverage row says complete', async () => {
    const result = await syncArchive();
    const times = events.map((e) => e.effective_at);
    assert.deepEqual(result, { added: events.length, total: events.length, oldest: Math.min(...times), newest: Math.max(...times) });
    assert.deepEqual(store().events.map((e) => e.event.id), serverOrder(events));

    const file = store().archivePath;
    assert.ok(fs.existsSync(file), `the archive ${file} exists`);
    assert.equal(path.basename(path.dirname(file)), 'archives');
    assert.ok(!file.startsWith(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '\u0000'), 'not in the workspace');
    for (const f of [file, `${file}-wal`].filter((f) => fs.existsSync(f))) {
      assert.equal((fs.statSync(f).mode & 0o777).toString(8), '600', `${path.basename(f)} is 0600`);
      const bytes = fs.readFileSync(f);
      assert.equal(bytes.indexOf(KEY), -1, `${path.basename(f)} holds no key`);
      assert.equal(bytes.indexOf(Buffer.from(KEY, 'utf16le')), -1);
    }
    // The events are really in the file (not only in memory): the wal or the database holds an event id.
    const onDisk = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    assert.notEqual(onDisk.indexOf(events[0]!.id), -1, 'an event id is on disk');

    assert.equal(coverageLabel(), `${events.length} events · complete`);
  });

  it('an unchanged log costs one request (effective_at[gte]=newest second); new events add exactly them; one fetched twice is stored once', async () => {
    const first = await syncArchive();
    let before = auditRequests().length;
    const again = await syncArchive();
    const asked = auditRequests().slice(before);
    assert.equal(asked.length, 1, 'one request for an unchanged log');
    assert.deepEqual(asked[0]!.query['effective_at[gte]'], [String(first.newest)]);
    assert.deepEqual(again, { ...first, added: 0 });

    const fresh = [1, 2, 3].map((i) => ({
      id: `audit_log-archive-new-${i}`,
      object: 'organization.audit_log',
      type: 'api_key.created',
      effective_at: first.newest! + i * 10,
    })) as Plain[];
    server.setEvents([...events, ...fresh]);
    before = auditRequests().length;
    const third = await syncArchive();
    assert.equal(third.added, 3);
    assert.equal(third.total, events.length + 3);
    assert.equal(third.newest, first.newest! + 30);
    assert.equal(auditRequests().length - before, 1, 'three new events fit the one top page');
    assert.deepEqual(store().events.slice(0, 3).map((e) => e.event.id), ['audit_log-archive-new-3', 'audit_log-archive-new-2', 'audit_log-archive-new-1']);

    // The first page again, through a Refresh that pages instead of syncing: every event on it is known.
    await setting('archive.syncOnOpen', false);
    before = auditRequests().length;
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'loaded');
    assert.ok(auditRequests().length > before, 'the page was fetched');
    assert.equal(store().archive!.stats().total, events.length + 3, 'stored once');
    assert.equal(new Set(store().events.map((e) => e.event.id)).size, events.length + 3);
  });

  it('the first Refresh (archive.syncOnOpen by default) syncs everything newest first: the tree\'s groups and counts are the server\'s without Load All', async () => {
    const before = auditRequests().length;
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'loaded');
    const asked = auditRequests().slice(before);
    assert.deepEqual(Object.keys(asked[0]!.query), ['limit'], 'the first request is the newest page, unbounded');
    const newest = Math.max(...events.map((e) => e.effective_at));
    assert.ok(asked.slice(1).every((r) => windowOf(r).lt <= newest + 1), 'then older windows only');
    assert.ok(asked.length > 1, 'more than the first page');

    assert.deepEqual(store().events.map((e) => e.event.id), serverOrder(events));
    assert.equal(store().hasMore, false, 'nothing left to page');
    assert.ok(!roots().some((n) => n.id === 'loadMore'));
    assert.deepEqual(typeCounts(), countBy(events.map((e) => e.type)));
    assert.equal(coverageLabel(), `${events.length} events · complete`);
  });

  it('a sync that fails midway keeps what it committed, and the next one completes the exact id set without fetching a covered range again', async () => {
    const big = generateSampleOrganization({ seed: 5, eventCount: 6_000 }).events as unknown as Plain[];
    server.setEvents(big);
    // A clean sync first, to learn how many requests a whole one takes here; then start again from empty.
    let start = server.requests.length;
    assert.equal((await syncArchive()).total, big.length);
    const whole = server.requests.length - start;
    assert.deepEqual(await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true }), { deleted: true });
    await store().ready();
    assert.equal(store().archive!.stats().total, 0);
    start = server.requests.length;
    // From 85% of that on, a permanent 400 (not retried): the sync stops with most windows done.
    const failFrom = start + Math.ceil(whole * 0.85);
    server.setFaults((n) => (n >= failFrom ? BAD_REQUEST : undefined));
    await assert.rejects(syncArchive(), /refused by the test/);
    assert.equal(store().status, 'error');
    const kept = store().archive!.stats().total;
    assert.ok(kept > 0 && kept < big.length, `kept ${kept} of ${big.length} (a whole sync is ${whole} requests, failing from ${failFrom - start + 1})`);
    const committed: CoveredRange[] = store().archive!.coverage();
    assert.ok(committed.length > 0, 'coverage was committed');
    assert.equal(coverageLabel(), `${kept.toLocaleString()} events loaded · not complete`);
    // What was kept is what the coverage claims: exactly the server's events there.
    const inCoverage = big.filter((e) => committed.some((c) => e.effective_at >= c.gte && e.effective_at < c.lt)).map((e) => e.id);
    const keptIds = new Set(store().events.map((e) => e.event.id));
    assert.ok(inCoverage.every((id) => keptIds.has(id)), 'every event of the committed coverage is kept');

    server.setFaults(undefined);
    const before = server.requests.length;
    const result = await syncArchive();
    assert.equal(result.total, big.length);
    assert.equal(result.added, big.length - kept);
    assert.deepEqual(store().events.map((e) => e.event.id), serverOrder(big));
    const refetched = server.requests.slice(before).filter((r) => {
      const w = windowOf(r);
      return committed.some((c) => w.gte >= c.gte && w.lt <= c.lt);
    });
    assert.deepEqual(refetched.map((r) => r.rawQuery), [], 'no request inside the committed coverage');
    assert.equal(coverageLabel(), `${big.length.toLocaleString()} events · complete`);
  });

  it('offline after a full sync: Refresh fails, the view says the archive is browsable, the tree, Open Event, Copy JSON and export still work without a request', async () => {
    await syncArchive();
    const counts = typeCounts();
    await setting('apiBaseUrl', await closedPortUrl());
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'error');
    const error = store().error!;
    const message = await until('the offline message', () => api.explorer.view.message?.includes('offline') && api.explorer.view.message);
    assert.ok(message.includes(error.message), `the message names the error: ${message}`);
    assert.match(message, /Archived through \d{4}-\d{2}-\d{2}.* · offline/);

    assert.deepEqual(typeCounts(), counts, 'the tree still shows the groups with their counts');
    assert.deepEqual(typeCounts(), countBy(events.map((e) => e.type)));
    const before = server.requests.length;
    const target = events[7]!;
    await vscode.commands.executeCommand(Commands.openEvent, target.id);
    const panel = await until('the details panel', () => api.eventDetails.activePanel?.event?.event.id === target.id && api.eventDetails.activePanel);
    assert.equal(panel.event?.event.type, target.type);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand(Commands.copyEventJson, target.id);
    const copied = await until('the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined);
    assert.equal(copied, prettyRawJson(JSON.stringify(target)));

    const destination = path.join(dir, 'offline.jsonl');
    const result = await exportEvents({ destination, filters: {} });
    assert.equal(result.source, 'archive');
    assert.equal(result.count, events.length);
    const lines = fs.readFileSync(destination, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => parseAuditEvent(l).event.id), serverOrder(events));
    assert.equal(server.requests.length, before, 'no request reached the API');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('export: an uncovered range asks the API; a covered one is served from the archive with the API\'s exact lines, newest first', async () => {
    const times = events.map((e) => e.effective_at).sort((a, b) => a - b);
    const mid = times[Math.floor(times.length / 2)]!;
    const newest = times[times.length - 1]!;
    // A sync that reaches back only to `mid`: [mid, newest] is covered, what is older is not.
    await syncArchive({ since: mid });
    assert.ok(store().archive!.stats().total < events.length);

    const older = { startTime: times[0]!, endTime: mid - 1 };
    const fromApi = await exportEvents({ destination: path.join(dir, 'older.jsonl'), filters: older });
    assert.equal(fromApi.source, 'api');
    assert.equal(fromApi.count, events.filter((e) => e.effective_at <= mid - 1).length);

    // After the newest archived second nothing was synced: the API is asked, not an empty archive range.
    const later = await exportEvents({ destination: path.join(dir, 'later.jsonl'), filters: { startTime: newest + 60 } });
    assert.equal(later.source, 'api');

    const covered = { startTime: mid, endTime: newest };
    const before = server.requests.length;
    const fromArchive = await exportEvents({ destination: path.join(dir, 'covered-archive.jsonl'), filters: covered });
    assert.equal(fromArchive.source, 'archive');
    assert.equal(server.requests.length, before, 'no request');
    const expected = serverOrder(events.filter((e) => e.effective_at >= mid));
    const archiveLines = fs.readFileSync(fromArchive.file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(archiveLines.map((l) => parseAuditEvent(l).event.id), expected);

    // The same range from the API (the archive deleted, so nothing covers it): the same lines, byte for byte.
    await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    const again = await exportEvents({ destination: path.join(dir, 'covered-api.jsonl'), filters: covered });
    assert.equal(again.source, 'api');
    assert.deepEqual(fs.readFileSync(again.file, 'utf8').trimEnd().split('\n'), archiveLines);
  });

  it('export of a range open to now from a synced archive first brings its top up to date: new events are in the file, one request, nothing older fetched', async () => {
    const first = await syncArchive();
    const fresh = [1, 2].map((i) => ({
      id: `audit_log-archive-export-new-${i}`,
      object: 'organization.audit_log',
      type: 'api_key.created',
      effective_at: first.newest! + i * 10,
    })) as Plain[];
    server.setEvents([...events, ...fresh]);
    try {
      const before = auditRequests().length;
      const result = await exportEvents({ destination: path.join(dir, 'open-range.jsonl'), filters: {} });
      assert.equal(result.source, 'archive');
      assert.equal(result.count, events.length + 2);
      const asked = auditRequests().slice(before);
      assert.equal(asked.length, 1, 'one request: the top');
      assert.ok(Number(asked[0]!.query['effective_at[gte]']?.[0]) >= first.newest!, 'nothing older than the last sync was asked for');
      const ids = fs.readFileSync(result.file, 'utf8').trimEnd().split('\n').map((l) => parseAuditEvent(l).event.id);
      assert.deepEqual(ids.slice(0, 2), ['audit_log-archive-export-new-2', 'audit_log-archive-export-new-1']);
    } finally {
      server.setEvents(events);
    }
  });

  it('Delete Archive { confirm: true } after a Refresh leaves an empty archive and fetches nothing', async () => {
    // The view's own path: Refresh syncs (archive.syncOnOpen), then the user deletes the archive.
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().archive!.stats().total, events.length);
    const file = store().archivePath;
    const onDisk = () => Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    assert.notEqual(onDisk().indexOf(events[0]!.id), -1, 'the synced events are on disk');
    const before = auditRequests().length;
    assert.deepEqual(await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true }), { deleted: true });
    await store().ready();
    await settled();
    // EventStore.deleteArchive's own contract: "starts an empty one (nothing is fetched)".
    assert.deepEqual(auditRequests().slice(before).map((r) => r.rawQuery), [], 'Delete Archive fetched nothing');
    // Either no file, or the new empty archive the store reopened: none of the synced events is on disk.
    assert.equal(onDisk().indexOf(events[0]!.id), -1, 'the synced file is gone');
    assert.equal(store().archive?.stats().total, 0);
    assert.equal(store().count(), 0);
    assert.deepEqual(roots().filter((n) => n.group), [], 'the tree is empty');
  });

  it('a second Delete Archive has nothing to delete: { deleted: false }', async () => {
    await syncArchive();
    assert.deepEqual(await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true }), { deleted: true });
    await store().ready();
    assert.equal(store().archive?.stats().total, 0);
    assert.deepEqual(await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true }), { deleted: false });
  });

  it('archive.enabled false: the store works in memory, a sync writes no file, and the views still work', async () => {
    await setting('archive.enabled', false);
    try {
      await until('the archive in memory', () => store().archiveMode === 'memory');
      await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
      await store().ready();
      const file = store().archivePath;
      assert.equal(fs.existsSync(file), false, 'no file after deleting it');
      const result = await syncArchive();
      assert.equal(result.total, events.length);
      assert.equal(store().archiveMode, 'memory');
      assert.equal(fs.existsSync(file), false, 'the sync wrote no file');
      assert.equal(fs.existsSync(`${file}-wal`), false);
      assert.deepEqual(typeCounts(), countBy(events.map((e) => e.type)));
      assert.match(coverageLabel() ?? '', /· complete$/);
      const desc = api.explorer.provider.getTreeItem(roots().find((n) => n.id === 'coverage') as never).description;
      assert.match(String(desc), /memory/);
    } finally {
      await setting('archive.enabled', undefined);
    }
    await until('the file archive again', () => store().archiveMode === 'file');
  });

  it('an unusable archive file (not a database) gives a plain message, and the view keeps working from memory', async () => {
    const file = store().archivePath;
    await setting('archive.enabled', false);
    await until('the file closed', () => store().archiveMode === 'memory');
    try {
      for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
      fs.writeFileSync(file, Buffer.from('this is not an SQLite database, only garbage bytes '.repeat(200)));
      await setting('archive.enabled', true);
      await until('the fallback', () => store().archiveMode === 'fallback');
      const problem = store().archiveProblem!;
      assert.match(problem, /^The audit-log archive [^\n]*\.$/, `a plain sentence: ${problem}`);
      assert.doesNotMatch(problem, /SQLITE_|Error:|at .*\(/);
      await vscode.commands.executeCommand(Commands.refresh);
      assert.equal(store().status, 'loaded');
      assert.equal(store().events.length, events.length, 'refresh still loads events');
      assert.deepEqual(typeCounts(), countBy(events.map((e) => e.type)));
      const message = await until('the message', () => api.explorer.view.message);
      assert.ok(message.includes(problem), `the view message mentions it: ${message}`);
      assert.match(message, /memory/);
      assert.match(fs.readFileSync(file, 'utf8'), /^this is not an SQLite database/, 'the file was left as it was');
    } finally {
      await setting('archive.enabled', undefined);
      // Delete Archive removes the broken file and opens a new one.
      await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    }
    await until('the file archive again', () => store().archiveMode === 'file');
  });

  it('the archive path taken by a directory gives a plain message and the view works from memory', async () => {
    const file = store().archivePath;
    await setting('archive.enabled', false);
    await until('the file closed', () => store().archiveMode === 'memory');
    try {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
      fs.mkdirSync(file);
      await setting('archive.enabled', true);
      await until('the fallback', () => store().archiveMode === 'fallback');
      assert.match(store().archiveProblem!, /^The audit-log archive [^\n]*\.$/);
      await vscode.commands.executeCommand(Commands.refresh);
      assert.equal(store().events.length, events.length);
      assert.match(api.explorer.view.message ?? '', /works from memory/);
    } finally {
      await setting('archive.enabled', false);
      await until('the file closed', () => store().archiveMode === 'memory');
      fs.rmSync(file, { recursive: true, force: true });
      await setting('archive.enabled', undefined);
    }
    await until('the file archive again', () => store().archiveMode === 'file');
  });

  it('the details history: with a synced archive the diff of an update asks no resource_ids[]; with an empty archive it asks the API', async () => {
    const update = events.find((e) => e.id === 'audit_log-hist-2')!;
    const locator = { eventId: update.id, effectiveAt: update.effective_at, type: update.type };
    const diff = async () => {
      await vscode.commands.executeCommand(Commands.showChanges, locator);
      const tab = await until('the diff editor', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff));
      const input = tab.input as vscode.TabInputTextDiff;
      const docs = {
        left: JSON.parse((await vscode.workspace.openTextDocument(input.original)).getText()) as unknown,
        right: JSON.parse((await vscode.workspace.openTextDocument(input.modified)).getText()) as unknown,
      };
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      return docs;
    };
    const historyRequests = (from: number) => auditRequests().slice(from).filter((r) => r.query['resource_ids[]']);

    let before = auditRequests().length;
    assert.deepEqual(await diff(), { left: { title: 'Before' }, right: { title: 'After' } });
    assert.deepEqual(historyRequests(before).map((r) => r.query['resource_ids[]']), [['proj_hist']], 'the empty archive: asked the API');

    await syncArchive();
    before = auditRequests().length;
    assert.deepEqual(await diff(), { left: { title: 'Before' }, right: { title: 'After' } });
    assert.deepEqual(historyRequests(before), [], 'served from the archive');
  });

  it('auto refresh is an incremental sync once the archive is synced, and the badge counts what it added', async () => {
    const first = await syncArchive();
    store().clearNewEvents();
    assert.equal(api.explorer.view.badge, undefined);
    const fresh = [1, 2, 3, 4].map((i) => ({
      id: `audit_log-archive-auto-${i}`,
      object: 'organization.audit_log',
      type: 'project.updated',
      effective_at: first.newest! + i * 5,
    })) as Plain[];
    server.setEvents([...events, ...fresh]);
    const before = auditRequests().length;
    await setting('autoRefreshSeconds', 10);
    try {
      await until('the new events', () => fresh.every((f) => store().getEvent(f.id)));
      const badge = await until('the badge', () => api.explorer.view.badge);
      assert.equal(badge.value, 4);
      const poll = auditRequests().slice(before);
      assert.deepEqual(poll[0]!.query['effective_at[gte]'], [String(first.newest)], 'the sync\'s top page, re-reading the newest second');
      assert.equal(poll[0]!.query['effective_at[gt]'], undefined);
      assert.equal(store().archive!.stats().total, events.length + 4);
      assert.deepEqual(store().archive!.coverage(), [{ gte: 0, lt: first.newest! + 21 }], 'the coverage grew with it');
    } finally {
      await setting('autoRefreshSeconds', undefined);
      store().clearNewEvents();
    }
  });
});
