/**
 * openaiAuditLogs.exportEvents inside the real extension host, against the
 * fake API server started here and the Admin key in SecretStorage: the
 * automation argument writes without prompting and resolves to
 * { count, file, source }, through the parallel fetcher or, once synced,
 * from the archive (also with the API down); every format (JSON Lines, JSON,
 * CSV, Parquet, OCSF, the evidence pack, signed). The interactive export,
 * through a recording UI: its save dialog starts in the last export folder,
 * and its message names the full path with Open File and Reveal in File
 * Explorer.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import { EVIDENCE_FILES, type ExportResult } from '../../src/core/export';
import type { ExportResultMessage, ExportUi, FormatItem } from '../../src/export/exportPrompts';
import { parseAuditEvent } from '../../src/core/model';
import { generateSampleOrganization, type SampleEvent } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';

const KEY = 'sk-admin-export-integration-0123456789';
const EVENT_COUNT = 3000;

function exportEvents(args: unknown): Thenable<ExportResult & { source?: 'archive' | 'api' }> {
  return vscode.commands.executeCommand<ExportResult & { source?: 'archive' | 'api' }>(Commands.exportEvents, args);
}

function sha256sumCheck(folder: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('sha256sum', ['-c', EVIDENCE_FILES.sums], { cwd: folder }, (error, stdout) => (error ? reject(new Error(`sha256sum -c: ${stdout}`)) : resolve(stdout))),
  );
}

/** An ExportUi that answers with the given format and file, and records what it was asked and shown. */
function recordingUi(format: string, destination: (defaultUri: vscode.Uri) => string) {
  const seen: { formats?: readonly FormatItem[]; defaultUri?: vscode.Uri; filters?: Record<string, string[]>; result?: ExportResultMessage } = {};
  const ui: ExportUi = {
    pickFormat: async (items) => {
      seen.formats = items;
      return items.find((i) => i.format === format && !i.sign);
    },
    pickDestination: async ({ defaultUri, filters }) => {
      seen.defaultUri = defaultUri;
      if (filters) seen.filters = filters;
      return vscode.Uri.file(destination(defaultUri));
    },
    showResult: (message) => {
      seen.result = message;
    },
  };
  return { ui, seen };
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
  it('exports Parquet and OCSF through the API, the evidence pack (signed) from the archive', async () => {
    const parquet = path.join(dir, 'all.parquet');
    const p = await exportEvents({ destination: parquet, filters: {} });
    assert.deepEqual(p, { count: EVENT_COUNT, file: parquet, source: 'api' });
    const bytes = await fs.readFile(parquet);
    assert.equal(bytes.subarray(0, 4).toString(), 'PAR1');
    assert.equal(bytes.subarray(-4).toString(), 'PAR1');
    assert.equal((await fs.stat(parquet)).mode & 0o777, 0o600);

    const ocsf = path.join(dir, 'all.ocsf.jsonl');
    const o = await exportEvents({ destination: ocsf, format: 'ocsf', filters: {} });
    assert.equal(o.count, EVENT_COUNT);
    const lines = (await fs.readFile(ocsf, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { class_uid: number; metadata: { uid: string }; raw_data: string });
    assert.deepEqual(lines.map((l) => l.metadata.uid), server.eventIds());
    assert.ok(lines.every((l) => [3001, 3002, 3004, 3005, 3006].includes(l.class_uid)));

    await vscode.commands.executeCommand(Commands.syncArchive, {});
    // The API is down from here: the archive serves the export.
    server.setFaults(() => ({ kind: 'status', status: 503, body: '{"error":{"message":"down"}}' }));
    const pack = path.join(dir, 'evidence');
    const e = await exportEvents({ destination: pack, format: 'evidence', sign: true, filters: {} });
    assert.deepEqual(e, { count: EVENT_COUNT, file: pack, source: 'archive' });
    assert.match(await sha256sumCheck(pack), /events\.jsonl: OK/);
    const sums = await fs.readFile(path.join(pack, EVIDENCE_FILES.sums));
    const publicKey = createPublicKey(await fs.readFile(path.join(pack, EVIDENCE_FILES.publicKey), 'utf8'));
    assert.ok(verify(null, sums, publicKey, await fs.readFile(path.join(pack, EVIDENCE_FILES.signature))));
    const manifest = JSON.parse(await fs.readFile(path.join(pack, EVIDENCE_FILES.manifest), 'utf8')) as { count: number; organization: { id: string }; extensionVersion: string };
    assert.equal(manifest.count, EVENT_COUNT);
    assert.equal(manifest.organization.id, api.services.organizations.current.id);
    assert.equal(manifest.extensionVersion, vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.version);
    // The same key signs the next pack (kept in SecretStorage, made once).
    const again = path.join(dir, 'evidence-2');
    await exportEvents({ destination: again, format: 'evidence', sign: true, filters: {} });
    assert.equal(await fs.readFile(path.join(again, EVIDENCE_FILES.publicKey), 'utf8'), await fs.readFile(path.join(pack, EVIDENCE_FILES.publicKey), 'utf8'));
    server.setFaults(undefined);
  });

  it('the interactive export starts in the last export folder, not the workspace, and names the full path with Reveal in File Explorer', async () => {
    const last = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-export-last-'));
    try {
      await exportEvents({ destination: path.join(last, 'first.jsonl'), filters: {} });
      const { ui, seen } = recordingUi('csv', (defaultUri) => path.join(path.dirname(defaultUri.fsPath), 'picked.csv'));
      const result = await api.exports.withUi(ui).run();
      assert.equal(path.dirname(seen.defaultUri!.fsPath), last);
      for (const folder of vscode.workspace.workspaceFolders ?? []) assert.ok(!seen.defaultUri!.fsPath.startsWith(folder.uri.fsPath), 'not in the workspace');
      assert.match(path.basename(seen.defaultUri!.fsPath), /^openai-audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
      assert.deepEqual(seen.filters, { CSV: ['csv'] });
      assert.deepEqual(new Set(seen.formats!.map((f) => f.format)), new Set(['jsonl', 'json', 'csv', 'parquet', 'ocsf', 'evidence']));
      const file = path.join(last, 'picked.csv');
      assert.equal(result?.file, file);
      assert.ok(seen.result!.text.includes(file), seen.result!.text);
      assert.deepEqual(
        seen.result!.actions.map((a) => [a.kind, a.label, a.uri.fsPath]),
        [
          ['open', 'Open File', file],
          ['reveal', 'Reveal in File Explorer', file],
        ],
      );

      // The new formats from the palette too: Parquet (binary: Reveal only) and the evidence pack (a folder; Open shows its manifest).
      const parquet = recordingUi('parquet', (d) => d.fsPath);
      const p = await api.exports.withUi(parquet.ui).run();
      assert.equal(path.extname(p!.file), '.parquet');
      assert.deepEqual(parquet.seen.result!.actions.map((a) => a.kind), ['reveal']);
      const pack = recordingUi('evidence', (d) => d.fsPath);
      const e = await api.exports.withUi(pack.ui).run();
      assert.match(path.basename(e!.file), /^openai-audit-evidence-\d{4}-\d{2}-\d{2}$/);
      assert.equal(pack.seen.filters, undefined);
      assert.deepEqual(pack.seen.result!.actions.map((a) => [a.kind, a.uri.fsPath]), [
        ['open', path.join(e!.file, EVIDENCE_FILES.manifest)],
        ['reveal', e!.file],
      ]);
      assert.match(await sha256sumCheck(e!.file), /manifest\.json: OK/);
    } finally {
      await fs.rm(last, { recursive: true, force: true });
    }
  });
});
