/**
 * Insights (issue 14) in the real extension host against the loopback API: `showInsights` opens the panel
 * and resolves the timeline's buckets and the facets for the current filters, counted over the archive;
 * `stateAsOf` rebuilds a resource's fields at a moment from its archived creation and changes.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import { NO_FILTERS } from '../../src/core/analysis/filters';
import { describeActor, type AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import type { TestApi } from '../../src/extension';
import type { ShowInsightsResult, StateAsOfResult } from '../../src/webviews/insights/insightsController';
import { untilWithin } from '../harness/until';
import { restoreArchiveSettings, startCleanWithKey } from './freshArchive';
import { setting } from './settings';

const KEY = 'sk-admin-insights-integration-0123456789abcdef';
const until = untilWithin(60_000);
type Plain = AuditEvent & { id: string; type: string; effective_at: number };

function projectHistory(at: number): Plain[] {
  const actor = { type: 'session', session: { user: { id: 'user_ins', email: 'insights@example.com' } } };
  return [
    { id: 'audit_log-ins-1', type: 'project.created', effective_at: at, actor, 'project.created': { id: 'proj_ins', data: { name: 'ins', title: 'Before' } } },
    { id: 'audit_log-ins-2', type: 'project.updated', effective_at: at + 60, actor, 'project.updated': { id: 'proj_ins', changes_requested: { title: 'After' } } },
    { id: 'audit_log-ins-3', type: 'project.archived', effective_at: at + 120, actor, 'project.archived': { id: 'proj_ins' } },
    // Hostile lengths: a 5,000-character user agent and project name must not break the panel's protocol.
    {
      id: 'audit_log-ins-long',
      type: 'project.created',
      effective_at: at + 180,
      actor: { type: 'session', session: { user: { id: 'user_long', email: 'long@example.com' }, user_agent: 'U'.repeat(5_000), ip_address: '203.0.113.250' } },
      'project.created': { id: 'proj_long', data: { name: 'N'.repeat(5_000) } },
    },
  ] as Plain[];
}

function counts(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

const showInsights = (arg?: unknown) => Promise.resolve(vscode.commands.executeCommand<ShowInsightsResult>(Commands.showInsights, arg));
const stateAsOf = (arg: unknown) => Promise.resolve(vscode.commands.executeCommand<StateAsOfResult>(Commands.stateAsOf, arg));

function insightsTabOpen(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('openaiAuditLogs.insights')));
}

describe('insights', function () {
  this.timeout(180_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: Plain[];
  let historyAt: number;
  const store = () => api.services.store;

  before(async () => {
    const sample = generateSampleOrganization({ seed: 41, eventCount: 300 }).events as unknown as Plain[];
    const times = sample.map((e) => e.effective_at).sort((a, b) => a - b);
    historyAt = times[Math.floor(times.length / 2)]!;
    events = [...sample, ...projectHistory(historyAt)];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 100);
    await setting('maxRetries', 0);
    await setting('timeDisplay', 'utc');
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await store().exitSample();
    await startCleanWithKey(api, KEY, { sync: true });
    const synced = await Promise.resolve(vscode.commands.executeCommand<{ total: number }>(Commands.syncArchive));
    assert.equal(synced.total, events.length);
    await until('the store to settle', () => store().status !== 'loading');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await store()?.setFilters(NO_FILTERS);
    for (const k of ['apiBaseUrl', 'pageSize', 'maxRetries', 'timeDisplay']) await setting(k, undefined);
    await restoreArchiveSettings();
    await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    await api?.services.keyStore.delete();
    await server?.close();
  });

  it('showInsights opens the panel and resolves buckets and facets counted over the whole archive', async () => {
    const result = await showInsights();
    await until('the Insights tab', insightsTabOpen);
    const total = result.buckets.reduce((a, b) => a + b.count, 0);
    assert.equal(total, events.length, 'every archived event is in one bucket');
    const times = events.map((e) => e.effective_at);
    assert.equal(result.buckets[0]!.start, Math.min(...times));
    assert.equal(result.buckets[result.buckets.length - 1]!.end, Math.max(...times) + 1);
    for (let i = 1; i < result.buckets.length; i++) assert.equal(result.buckets[i]!.start, result.buckets[i - 1]!.end, 'buckets are contiguous');
    assert.ok(result.buckets.length > 1 && result.buckets.length <= 120);

    const byType = counts(events.map((e) => e.type));
    const busiest = Math.max(...byType.values());
    assert.equal(result.facets.type[0]!.count, busiest);
    for (const { value, count } of result.facets.type) assert.equal(count, byType.get(value), `type ${value}`);
    assert.deepEqual(Object.keys(result.facets).sort(), ['actor', 'country', 'ip', 'project', 'type']);
    const byIp = counts(events.map((e) => describeActor(e).ipAddress).filter((v): v is string => v !== undefined));
    for (const { value, count } of result.facets.ip) assert.equal(count, byIp.get(value), `ip ${value}`);
    const byEmail = counts(events.map((e) => describeActor(e).email).filter((v): v is string => v !== undefined));
    const topActor = result.facets.actor[0]!;
    assert.equal(topActor.count, byEmail.get(topActor.value) ?? topActor.count);
    assert.ok(result.facets.country.length > 0, 'countries from ip_address_details');
  });

  it('follows the filters: a type filter counts only that type, a time filter only that range', async () => {
    const type = 'project.created';
    await store().setFilters({ eventTypes: [type] });
    await until('the store to settle', () => store().status !== 'loading');
    const filtered = await showInsights();
    assert.equal(filtered.buckets.reduce((a, b) => a + b.count, 0), events.filter((e) => e.type === type).length);
    assert.deepEqual(filtered.facets.type.map((t) => t.value), [type]);

    await store().setFilters({ time: { kind: 'custom', start: historyAt, end: historyAt + 119 } });
    await until('the store to settle', () => store().status !== 'loading');
    const ranged = await showInsights();
    const inRange = events.filter((e) => e.effective_at >= historyAt && e.effective_at <= historyAt + 119).length;
    assert.equal(ranged.buckets.reduce((a, b) => a + b.count, 0), inRange);
    assert.equal(ranged.buckets[0]!.start, historyAt);
    assert.equal(ranged.buckets[ranged.buckets.length - 1]!.end, historyAt + 120);
    await store().setFilters(NO_FILTERS);
  });

  it('from a group of the Events view, counts only that group (scoped on top of the filters)', async () => {
    const roots = (await Promise.resolve(api.explorer.provider.getChildren())) as unknown as Array<{ group?: { kind: string; key: string; label: string; count: number } }>;
    const node = roots.find((n) => n.group?.kind === 'type' && n.group.count > 1)!;
    assert.ok(node, 'a type group');
    const scoped = await showInsights(node);
    assert.equal(scoped.buckets.reduce((a, b) => a + b.count, 0), events.filter((e) => e.type === node.group!.key).length);
    assert.deepEqual(scoped.facets.type.map((t) => t.value), [node.group!.key]);
    const whole = await showInsights();
    assert.equal(whole.buckets.reduce((a, b) => a + b.count, 0), events.length, 'opened again from the palette: the scope is gone');
  });

  it('stateAsOf rebuilds a resource field by field, with the event that set each field', async () => {
    const before = await stateAsOf({ resourceId: 'proj_ins', time: historyAt + 30 });
    assert.deepEqual(before.state, { name: 'ins', title: 'Before' });
    assert.deepEqual(before.fields.title, { value: 'Before', eventId: 'audit_log-ins-1', known: true });
    const after = await stateAsOf({ resourceId: 'proj_ins', time: historyAt + 60 });
    assert.deepEqual(after.fields.title, { value: 'After', eventId: 'audit_log-ins-2', known: true });
    assert.deepEqual(after.fields.name, { value: 'ins', eventId: 'audit_log-ins-1', known: true });
    const notYet = await stateAsOf({ resourceId: 'proj_ins', time: historyAt - 1 });
    assert.deepEqual(notYet, { state: null, fields: {} });
    await assert.rejects(stateAsOf({ resourceId: '', time: 1 }), /resourceId/);
  });
});
