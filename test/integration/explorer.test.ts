/**
 * The Events explorer inside the real extension host, against the fake API
 * server started here (the host is Node) and pointed at by the
 * application-scope setting openaiAuditLogs.apiBaseUrl.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import { NO_FILTERS } from '../../src/core/analysis/filters';
import type { TestApi } from '../../src/extension';
import { describeActor, type AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';

const KEY = 'sk-admin-integration-0123456789abcdef';
const EVENT_COUNT = 230;

type AnyNode = { id: string; group?: { kind: string; key: string; label: string; count: number; children?: unknown[] } };

function count<K>(items: readonly K[]): Map<K, number> {
  const m = new Map<K, number>();
  for (const k of items) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

describe('explorer', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: AuditEvent[];

  const store = () => api.services.store;
  const roots = () => api.explorer.provider.getChildren() as unknown as AnyNode[];
  const auditRequests = () => server.requests.filter((r) => r.path.endsWith('/organization/audit_logs'));

  before(async () => {
    events = generateSampleOrganization({ seed: 7, eventCount: EVENT_COUNT }).events as unknown as AuditEvent[];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 50);
    await setting('maxRetries', 3);
    await setting('groupBy', undefined);
    await setting('timeDisplay', 'utc');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    api = (await ext.activate()) as TestApi;
    await freshArchive();
    assert.ok(api?.services, 'the extension exposes its services outside production');
  });

  after(async () => {
    await restoreArchiveSettings();
    await api?.services.keyStore.delete();
    for (const k of ['apiBaseUrl', 'pageSize', 'maxRetries', 'groupBy', 'timeDisplay']) await setting(k, undefined);
    await server?.close();
  });

  // Each test arranges its own state: no faults, the key, no filters, an empty archive.
  beforeEach(async () => {
    server.setFaults(undefined);
    await api.services.keyStore.set(KEY);
    await store().setFilters(NO_FILTERS);
    await freshArchive();
  });

  it('shows the welcome without a key: no key source, an empty tree, the viewsWelcome gated on that context key', async () => {
    await api.services.keyStore.delete();
    await store().ready();
    assert.equal(await api.services.keyStore.source(), 'none');
    assert.equal(store().source, 'none');
    assert.deepEqual(roots(), []);
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { viewsWelcome: { view: string; contents: string; when: string }[] };
    };
    const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === 'openaiAuditLogs.events')!;
    assert.match(welcome.when, /openaiAuditLogs\.keySource == none/);
    assert.match(welcome.contents, /command:openaiAuditLogs\.setApiKey/);
    assert.match(welcome.contents, /command:openaiAuditLogs\.openSampleOrganization/);
    assert.match(welcome.contents, /platform\.openai\.com\/docs\/api-reference\/admin-api-keys/);
  });

  it('with a key in SecretStorage, refresh loads the first page and ends it with "Load more…"', async () => {
    await vscode.commands.executeCommand('openaiAuditLogs.events.focus');
    await api.services.keyStore.set(KEY);
    await store().ready();
    assert.equal(store().keySource, 'secretStorage');
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'loaded');
    assert.equal(store().events.length, 50);
    assert.equal(store().hasMore, true);
    const r = roots();
    assert.ok(r.some((n) => n.group?.kind === 'type'));
    assert.equal(r[r.length - 1]!.id, 'loadMore');
    const last = auditRequests().at(-1)!;
    assert.deepEqual(last.query['limit'], ['50']);
    assert.equal(last.auth, 'ok');
  });

  it('"Load more" and "Load all" fetch every event exactly once, with faults injected', async () => {
    await vscode.commands.executeCommand(Commands.refresh);
    server.setFaults({ every: 3, fault: { kind: '503' } });
    const before = server.requests.length;
    await vscode.commands.executeCommand(Commands.loadMore);
    assert.equal(store().events.length, 100);
    await vscode.commands.executeCommand(Commands.loadAll);
    server.setFaults(undefined);
    const ids = store().events.map((e) => e.event.id);
    assert.equal(ids.length, EVENT_COUNT);
    assert.equal(new Set(ids).size, EVENT_COUNT);
    assert.deepEqual([...ids].sort(), events.map((e) => e.id).sort());
    assert.equal(store().hasMore, false);
    // Each page (its whole query: time window and cursor) was answered successfully once: none fetched twice.
    const ok = server.requests.slice(before).filter((r) => r.status === 200);
    const pages = ok.map((r) => r.rawQuery);
    assert.equal(new Set(pages).size, pages.length);
    // Load All went through the parallel time-sliced fetcher: pages of bounded time windows.
    assert.ok(ok.some((r) => r.query['effective_at[lt]'] !== undefined && r.query['after'] === undefined), 'time windows were fetched');
    assert.ok(server.requests.slice(before).some((r) => r.fault === '503'), 'faults were injected');
    assert.ok(!roots().some((n) => n.id === 'loadMore'));
  });

  it('a Load All that fails midway keeps a contiguous newest-first prefix, and Retry plus Load All finish it exactly', async () => {
    await vscode.commands.executeCommand(Commands.refresh);
    const serverOrder = events.map((e) => e.id); // the sample is newest first, as the server lists it
    const before = server.requests.length;
    // The fourth request from here is refused for good (400 is not retried): some windows have arrived by then.
    server.setFaults((n) => (n === before + 4 ? { kind: 'status', status: 400, body: '{"error":{"message":"no","type":"invalid_request_error","param":null,"code":null}}' } : undefined));
    const completed = await store().loadAll();
    assert.equal(completed, false);
    assert.equal(store().status, 'error');
    const kept = store().events.map((e) => e.event.id);
    assert.ok(kept.length >= 50 && kept.length < EVENT_COUNT, `kept ${kept.length}`);
    assert.deepEqual(kept, serverOrder.slice(0, kept.length), 'what was kept is the newest events, in order, without a gap');
    assert.equal(store().hasMore, true);
    server.setFaults(undefined);
    await store().retry();
    await store().loadAll();
    assert.deepEqual(store().events.map((e) => e.event.id), serverOrder);
    assert.equal(store().hasMore, false);
  });

  it('each grouping\'s counts match the server\'s data', async () => {
    const labelCounts = (nodes: AnyNode[]) => new Map(nodes.filter((n) => n.group).map((n) => [n.group!.key, n.group!.count]));
    await vscode.commands.executeCommand(Commands.loadAll);

    await vscode.commands.executeCommand(Commands.changeGrouping, 'typeProject');
    assert.deepEqual(labelCounts(roots()), count(events.map((e) => e.type)));
    // Second level: projects of the biggest type, "No project" included.
    const typeNode = roots().filter((n) => n.group).sort((a, b) => b.group!.count - a.group!.count)[0]!;
    const projects = api.explorer.provider.getChildren(typeNode as never) as unknown as AnyNode[];
    const ofType = events.filter((e) => e.type === typeNode.group!.key);
    assert.deepEqual(
      new Map([...labelCounts(projects)].map(([k, v]) => [k.startsWith('\u0000') ? null : k, v])),
      count(ofType.map((e) => (e.project as { id?: string } | undefined)?.id ?? null)),
    );

    await vscode.commands.executeCommand(Commands.changeGrouping, 'projectType');
    assert.deepEqual(
      new Map([...labelCounts(roots())].map(([k, v]) => [k.startsWith('\u0000') ? null : k, v])),
      count(events.map((e) => (e.project as { id?: string } | undefined)?.id ?? null)),
    );

    await vscode.commands.executeCommand(Commands.changeGrouping, 'day');
    assert.deepEqual(labelCounts(roots()), count(events.map((e) => new Date(e.effective_at * 1000).toISOString().slice(0, 10))));

    await vscode.commands.executeCommand(Commands.changeGrouping, 'actor');
    const actorGroups = roots().filter((n) => n.group);
    assert.equal(actorGroups.reduce((s, n) => s + n.group!.count, 0), EVENT_COUNT);
    assert.deepEqual(
      new Map(actorGroups.map((n) => [n.group!.label, n.group!.count])),
      count(events.map((e) => describeActor(e).label)),
    );
    await vscode.commands.executeCommand(Commands.changeGrouping, 'typeProject');
  });

  it('filters reach the server as the API\'s own query parameters', async () => {
    await vscode.commands.executeCommand(Commands.loadAll);
    const sample = events.find((e) => (e.project as { id?: string } | undefined)?.id && describeActor(e).email)!;
    await vscode.commands.executeCommand(Commands.filterToType, sample.id);
    let last = auditRequests().at(-1)!;
    assert.deepEqual(last.query['event_types[]'], [sample.type]);
    assert.ok(store().events.length > 0);
    assert.ok(store().events.every((e) => e.event.type === sample.type));

    await vscode.commands.executeCommand(Commands.filterToProject, sample.id);
    await vscode.commands.executeCommand(Commands.filterToActor, sample.id);
    last = auditRequests().at(-1)!;
    assert.deepEqual(last.query['project_ids[]'], [(sample.project as { id: string }).id]);
    assert.deepEqual(last.query['actor_emails[]'], [describeActor(sample).email]);
    assert.match(api.explorer.view.description ?? '', /type /);

    await store().setFilters({
      time: { kind: 'custom', start: 1000, end: 2_000_000_000 },
      actorIds: ['user_x'],
      resourceIds: ['res_1', 'res_2'],
    });
    last = auditRequests().at(-1)!;
    assert.deepEqual(last.query['effective_at[gte]'], ['1000']);
    assert.deepEqual(last.query['effective_at[lte]'], ['2000000000']);
    assert.deepEqual(last.query['actor_ids[]'], ['user_x']);
    assert.deepEqual(last.query['resource_ids[]'], ['res_1', 'res_2']);
    assert.equal(last.query['event_types[]'], undefined);

    await store().setFilters({ time: { kind: 'preset', preset: 'last7Days' } });
    last = auditRequests().at(-1)!;
    const gte = Number(last.query['effective_at[gte]']?.[0]);
    assert.ok(Math.abs(gte - (Math.floor(Date.now() / 1000) - 7 * 86_400)) < 120);

    await vscode.commands.executeCommand(Commands.clearFilters);
    last = auditRequests().at(-1)!;
    assert.deepEqual(Object.keys(last.query).sort(), ['limit']);
  });

  it('copy JSON puts the exact wire JSON, pretty-printed, on the clipboard (by id and by tree node)', async () => {
    await vscode.commands.executeCommand(Commands.refresh);
    const first = store().events[0]!;
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand(Commands.copyEventJson, first.event.id);
    const wire = events.find((e) => e.id === first.event.id)!;
    assert.equal(await vscode.env.clipboard.readText(), JSON.stringify(wire, null, 2));

    const eventNode = api.explorer.provider.eventNode(first.event.id)!;
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand(Commands.copyEventJson, eventNode);
    assert.equal(await vscode.env.clipboard.readText(), JSON.stringify(wire, null, 2));

    await vscode.commands.executeCommand(Commands.copyEventId, eventNode);
    assert.equal(await vscode.env.clipboard.readText(), first.event.id);
  });

  it('a failure on a later page keeps the pages already shown, with Retry', async () => {
    await vscode.commands.executeCommand(Commands.refresh);
    const n = server.requests.length;
    server.setFaults({ [n + 1]: { kind: 'status', status: 400, body: '{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null}}' } });
    await vscode.commands.executeCommand(Commands.loadMore);
    server.setFaults(undefined);
    assert.equal(store().status, 'error');
    assert.equal(store().events.length, 50);
    const r = roots();
    assert.ok(r.some((node) => node.group));
    const error = r.find((node) => node.id === 'error')!;
    const actions = (api.explorer.provider.getChildren(error as never) as unknown as { action: { label: string; command: { command: string } } }[]).map((a) => a.action);
    assert.equal(actions[0]!.label, 'Retry (keep what is loaded)');
    await vscode.commands.executeCommand(actions[0]!.command.command);
    assert.equal(store().status, 'loaded');
    assert.equal(store().events.length, 100);
  });

  it('a 401 shows the key error in the view, with its actions', async () => {
    await api.services.keyStore.set('sk-admin-wrong-key-000000000000');
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'error');
    assert.equal((store().error as { kind?: string }).kind, 'invalidKey');
    assert.match(api.explorer.view.message ?? '', /401/);
    assert.doesNotMatch(api.explorer.view.message ?? '', /wrong-key/);
    const error = roots().find((node) => node.id === 'error')!;
    const actions = (api.explorer.provider.getChildren(error as never) as unknown as { action: { label: string; command: { command: string } } }[]).map((a) => a.action);
    assert.deepEqual(actions.map((a) => a.label), ['Set Admin API Key', 'Retry', 'Open Settings']);
    assert.deepEqual(actions.map((a) => a.command.command), [Commands.setApiKey, Commands.refresh, Commands.openSettings]);
    await api.services.keyStore.set(KEY);
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'loaded');
  });

  it('pages the children of a huge group, 500 at a time, and reveal widens the page', async () => {
    const big = Array.from({ length: 1_200 }, (_, i) => ({
      id: `audit_log-big${String(i).padStart(4, '0')}`,
      object: 'organization.audit_log',
      type: 'api_key.created',
      effective_at: 1_700_000_000 - i,
    }));
    server.setEvents(big);
    await setting('pageSize', 100);
    try {
      await vscode.commands.executeCommand(Commands.refresh);
      await vscode.commands.executeCommand(Commands.loadAll);
      assert.equal(store().events.length, 1_200);
      await vscode.commands.executeCommand(Commands.changeGrouping, 'actor');
      const group = roots().find((n) => n.group)!;
      assert.equal(group.group!.count, 1_200);
      let children = api.explorer.provider.getChildren(group as never) as unknown as AnyNode[];
      assert.equal(children.length, 501);
      assert.match(children[500]!.id, /\|showMore$/);
      await vscode.commands.executeCommand(Commands.showMoreInGroup, group.id);
      children = api.explorer.provider.getChildren(group as never) as unknown as AnyNode[];
      assert.equal(children.length, 1_001);
      assert.ok(api.explorer.provider.eventNode('audit_log-big1150'));
      children = api.explorer.provider.getChildren(group as never) as unknown as AnyNode[];
      assert.equal(children.length, 1_200);
    } finally {
      server.setEvents(events);
      await setting('pageSize', 50);
      await vscode.commands.executeCommand(Commands.changeGrouping, 'typeProject');
    }
  });

  it('opens the sample organization without a key, labelled as sample data, through the same client', async () => {
    await api.services.keyStore.delete();
    await store().ready();
    await vscode.commands.executeCommand(Commands.openSampleOrganization);
    assert.equal(store().source, 'sample');
    assert.ok(store().events.length > 0);
    assert.equal(roots()[0]!.id, 'sampleBanner');
    assert.match(api.explorer.view.message ?? '', /Sample organization/);
    const client = await store().client();
    assert.match(client.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    assert.equal(store().source, 'none');
    assert.deepEqual(roots(), []);
  });
});
