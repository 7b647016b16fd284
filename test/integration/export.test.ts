/**
 * openaiAuditLogs.exportEvents inside the real extension host, against the
 * fake API server started here and the Admin key in SecretStorage: the
 * automation argument writes without prompting and resolves to
 * { count, file }, through the parallel fetcher.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import type { ExportResult } from '../../src/core/export';
import { parseAuditEvent } from '../../src/core/model';
import { generateSampleOrganization, type SampleEvent } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';

const KEY = 'sk-admin-export-integration-0123456789';
const EVENT_COUNT = 3000;

function exportEvents(args: unknown): Thenable<ExportResult> {
  return vscode.commands.executeCommand<ExportResult>(Commands.exportEvents, args);
}

describe('export', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: SampleEvent[];
  let dir: string;

  before(async () => {
    events = generateSampleOrganization({ seed: 11, eventCount: EVENT_COUNT }).events;
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('maxConcurrentRequests', 4);
    await setting('maxRetries', 2);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    api = (await ext.activate()) as TestApi;
    await freshArchive();
    await api.services.store.exitSample();
    await api.services.keyStore.set(KEY);
    await api.services.store.ready();
    await api.services.store.setFilters({});
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-export-it-'));
  });

  after(async () => {
    await restoreArchiveSettings();
    await api?.services.store.setFilters({});
    await api?.services.keyStore.delete();
    for (const k of ['apiBaseUrl', 'maxConcurrentRequests', 'maxRetries']) await setting(k, undefined);
    await server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.reset();
  });

  it('declares the command and the concurrency setting (default 6, 1-16)', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; category?: string }[]; configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number }> } };
    };
    const command = pkg.contributes.commands.find((c) => c.command === Commands.exportEvents);
    assert.equal(command?.category, 'OpenAI Audit Logs');
    const prop = pkg.contributes.configuration.properties['openaiAuditLogs.maxConcurrentRequests'];
    assert.deepEqual([prop?.default, prop?.minimum, prop?.maximum], [6, 1, 16]);
  });

  it('exports every event as JSON Lines, newest first, without prompting, through parallel time windows', async () => {
    const destination = path.join(dir, 'all.jsonl');
    const result = await exportEvents({ destination, filters: {} });
    assert.deepEqual(result, { count: EVENT_COUNT, file: destination, source: 'api' });
    const lines = (await fs.readFile(destination, 'utf8')).trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => parseAuditEvent(l).event.id), server.eventIds());
    // Time-sliced: several distinct windows were asked for, and requests overlapped.
    const windows = new Set(server.requests.filter((r) => r.query['effective_at[lt]']).map((r) => r.query['effective_at[lt]']![0]));
    assert.ok(windows.size >= 4, `only ${windows.size} windows`);
    assert.ok(server.requests.every((r) => r.auth === 'ok'));
  });

  it('exports CSV for the given filters (types and an inclusive time range)', async () => {
    const times = events.map((e) => e.effective_at).sort((a, b) => a - b);
    const startTime = times[Math.floor(times.length / 4)]!;
    const endTime = times[Math.floor((times.length * 3) / 4)]!;
    const types = ['api_key.created', 'project.updated', 'user.added'];
    const expected = events.filter((e) => types.includes(e.type) && e.effective_at >= startTime && e.effective_at <= endTime);
    assert.ok(expected.length > 10, 'the sample has events of these types');
    const destination = path.join(dir, 'some.csv');
    const result = await exportEvents({ destination, format: 'csv', filters: { startTime, endTime, eventTypes: types } });
    assert.equal(result.count, expected.length);
    const text = await fs.readFile(destination, 'utf8');
    assert.ok(text.startsWith('id,type,effective_at,effective_at_unix,actor,'));
    for (const e of expected.slice(0, 20)) assert.ok(text.includes(`\r\n${e.id},${e.type},`), `row of ${e.id}`);
  });

  it("takes the Events view's filters when the argument has none", async () => {
    await api.services.store.setFilters({ eventTypes: ['project.created'] });
    const destination = path.join(dir, 'view.json');
    const result = await exportEvents({ destination });
    const expected = events.filter((e) => e.type === 'project.created').map((e) => e.id);
    assert.equal(result.count, expected.length);
    const exported = JSON.parse(await fs.readFile(destination, 'utf8')) as { id: string }[];
    assert.deepEqual(new Set(exported.map((e) => e.id)), new Set(expected));
    await api.services.store.setFilters({});
  });

  it('rejects and leaves no file when the API refuses the key', async () => {
    server.setFaults(() => ({ kind: 'status', status: 401, body: '{"error":{"message":"Incorrect API key provided."}}' }));
    const destination = path.join(dir, 'refused.jsonl');
    await assert.rejects(Promise.resolve(exportEvents({ destination, filters: {} })), /key/i);
    await assert.rejects(fs.stat(destination));
    assert.deepEqual((await fs.readdir(dir)).filter((f) => f.includes('refused')), []);
  });

  it('refuses an argument it cannot honour', async () => {
    await assert.rejects(Promise.resolve(exportEvents({ destination: 'relative.jsonl' })), /absolute/);
    await assert.rejects(Promise.resolve(exportEvents({ destination: path.join(dir, 'x.txt'), format: 'xml' })), /format/);
    await assert.rejects(Promise.resolve(exportEvents({ destination: path.join(dir, 'x.txt'), filters: { startTime: 1.5 } })), /startTime/);
  });
});
