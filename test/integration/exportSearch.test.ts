/**
 * Export writes what the Events view shows, search included (issue 12 × 16): served from the archive it
 * applies the search exactly; when only the API could serve it and the search has terms the API cannot
 * filter by, it refuses with what to do instead of writing more events than the search matches.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import { NO_FILTERS } from '../../src/core/analysis/filters';
import { describeActor, type AuditEvent } from '../../src/core/model';
import { generateSampleOrganization, type SampleEvent } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import type { TestApi } from '../../src/extension';
import { untilWithin } from '../harness/until';
import { restoreArchiveSettings, startCleanWithKey } from './freshArchive';
import { setting } from './settings';

const KEY = 'sk-admin-export-search-0123456789abcdef';
const until = untilWithin(60_000);

describe('export applies the search', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: SampleEvent[];
  let dir: string;
  const store = () => api.services.store;
  const exportEvents = (args: unknown) => Promise.resolve(vscode.commands.executeCommand<{ count: number; file: string; source: string }>(Commands.exportEvents, args));

  before(async () => {
    events = generateSampleOrganization({ seed: 41, eventCount: 240 }).events;
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('maxRetries', 0);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await store().exitSample();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-export-search-'));
  });

  beforeEach(() => startCleanWithKey(api, KEY));

  after(async () => {
    await store()?.setFilters(NO_FILTERS);
    for (const k of ['apiBaseUrl', 'maxRetries']) await setting(k, undefined);
    await restoreArchiveSettings();
    await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    await api?.services.keyStore.delete();
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The address most events of the sample come from, and those events' ids. */
  function busiestIp(): { ip: string; ids: string[] } {
    const by = new Map<string, string[]>();
    for (const e of events) {
      const ip = describeActor(e as unknown as AuditEvent).ipAddress;
      if (ip) by.set(ip, [...(by.get(ip) ?? []), e.id]);
    }
    const [ip, ids] = [...by].sort((a, b) => b[1].length - a[1].length)[0]!;
    return { ip, ids };
  }

  it('from the synced archive, the view\'s search decides what is written: exactly the events of the address', async () => {
    await vscode.commands.executeCommand(Commands.syncArchive);
    const { ip, ids } = busiestIp();
    await store().setFilters({ query: `ip:${ip}` });
    await until('the search applied', () => store().status !== 'loading' && store().count() === ids.length);
    const destination = path.join(dir, 'by-ip.jsonl');
    const result = await exportEvents({ destination, format: 'jsonl' });
    assert.equal(result.source, 'archive');
    assert.equal(result.count, ids.length);
    const written = fs.readFileSync(destination, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual([...written].sort(), [...ids].sort());
  });

  it('when only the API could serve it, a search with terms the API cannot filter by is refused with what to do', async () => {
    const { ip } = busiestIp();
    const destination = path.join(dir, 'refused.jsonl');
    await assert.rejects(exportEvents({ destination, format: 'jsonl', filters: { query: `ip:${ip}` } }), /can only be applied by the archive.*Sync Archive/);
    assert.equal(fs.existsSync(destination), false, 'nothing written');
    await assert.rejects(exportEvents({ destination, format: 'jsonl', filters: { query: 'acter:x' } }), /cannot be exported: unknown field "acter"/);
  });
});
