/**
 * Loading tells the user what happened (issue 10): Load All ends with the total and the range, and clearing
 * the filters keeps what a filtered Load All brought in. In the real host against the loopback API, with
 * the archive in memory and Refresh as one page (what a user without the archive gets).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import { NO_FILTERS } from '../../src/core/analysis/filters';
import { generateSampleOrganization, type SampleEvent } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import type { TestApi } from '../../src/extension';
import { formatUtc } from '../../src/views/format';
import { untilWithin } from '../harness/until';
import { restoreArchiveSettings, startCleanWithKey } from './freshArchive';
import { setting } from './settings';

const KEY = 'sk-admin-loading-integration-0123456789abcdef';
const until = untilWithin(60_000);

describe('loading tells what happened', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: SampleEvent[];
  const store = () => api.services.store;

  before(async () => {
    events = generateSampleOrganization({ seed: 31, eventCount: 260 }).events;
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 10);
    await setting('maxRetries', 0);
    await setting('timeDisplay', 'utc');
    await setting('archive.enabled', false);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await store().exitSample();
    await startCleanWithKey(api, KEY);
  });

  after(async () => {
    await store()?.setFilters(NO_FILTERS);
    for (const k of ['apiBaseUrl', 'pageSize', 'maxRetries', 'timeDisplay', 'archive.enabled']) await setting(k, undefined);
    await restoreArchiveSettings();
    await api?.services.keyStore.delete();
    await server?.close();
  });

  it('Load All ends with a message naming the total and the range it covers ("from <start> to now")', async () => {
    const times = events.map((e) => e.effective_at).sort((a, b) => a - b);
    const start = times[Math.floor(times.length / 3)]!;
    await store().setFilters({ time: { kind: 'custom', start } });
    await vscode.commands.executeCommand(Commands.loadAll);
    const expected = events.filter((e) => e.effective_at >= start).length;
    assert.equal(store().count(), expected);
    assert.deepEqual(api.explorer.lastLoadAllNotice, {
      complete: true,
      total: expected,
      text: `Loaded ${expected.toLocaleString()} events from ${formatUtc(start)} to now.`,
    });
  });

  it('clearing the filters after a filtered Load All keeps every event it loaded, beside the first page of the whole log', async () => {
    // The sample's most frequent type: more than a page of it.
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    const type = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const ofType = events.filter((e) => e.type === type).map((e) => e.id);
    assert.ok(ofType.length > 10, `more than a page of the type (${ofType.length})`);
    await store().setFilters({ eventTypes: [type] });
    await vscode.commands.executeCommand(Commands.loadAll);
    assert.equal(store().count(), ofType.length);

    await vscode.commands.executeCommand(Commands.clearFilters);
    await until('the first page of the whole log', () => store().status === 'loaded');
    const held = new Set(store().events.map((e) => e.event.id));
    assert.deepEqual(ofType.filter((id) => !held.has(id)), [], 'every loaded event of the type is still shown');
    const firstPage = events.slice(0, 10).map((e) => e.id);
    assert.deepEqual(firstPage.filter((id) => !held.has(id)), [], 'and the newest page of the whole log');
  });
});
