/**
 * The event details panel, the JSON documents and the diff editor inside the
 * real extension host, against the fake API server started here and pointed
 * at by openaiAuditLogs.apiBaseUrl.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import { prettyRawJson, type AuditEvent } from '../../src/core/model';
import { AUDIT_LOG_SCHEME } from '../../src/documents';
import { EVENT_DETAILS_VIEW_TYPE, type HostMessage } from '../../src/webviews/eventDetails/protocol';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';
import { untilWithin } from '../harness/until';

const until = untilWithin(30_000);

const KEY = 'sk-admin-details-0123456789abcdef';
const T0 = 1_750_000_000;
const actor = { type: 'session', session: { user: { id: 'user_1', email: 'ada@example.com' }, ip_address: '203.0.113.7' } };

/** A project created "Atlas", renamed twice; a role with permission changes; newer filler so the chain is not loaded. */
function fixtureEvents(): AuditEvent[] {
  const events: AuditEvent[] = [
    { id: 'audit_log-atlas-1', type: 'project.created', effective_at: T0, actor, 'project.created': { id: 'proj_atlas', data: { name: 'atlas', title: 'Atlas' } } },
    { id: 'audit_log-atlas-2', type: 'project.updated', effective_at: T0 + 100, actor, 'project.updated': { id: 'proj_atlas', changes_requested: { title: 'Atlas Two' } } },
    { id: 'audit_log-atlas-3', type: 'project.updated', effective_at: T0 + 200, actor, 'project.updated': { id: 'proj_atlas', changes_requested: { title: 'Atlas Prime' } } },
    { id: 'audit_log-role-1', type: 'role.created', effective_at: T0 + 300, actor, 'role.created': { id: 'role_ops', role_name: 'Ops', permissions: ['read', 'write'] } },
  ];
  // Created and renamed twice within one second (the server lists same-second events by id, descending).
  const S = T0 + 400;
  events.push(
    { id: 'audit_log-same-1', type: 'project.created', effective_at: S, actor, 'project.created': { id: 'proj_same', data: { name: 'same', title: 'One' } } },
    { id: 'audit_log-same-2', type: 'project.updated', effective_at: S, actor, 'project.updated': { id: 'proj_same', changes_requested: { title: 'Two' } } },
    { id: 'audit_log-same-3', type: 'project.updated', effective_at: S, actor, 'project.updated': { id: 'proj_same', changes_requested: { title: 'Three' } } },
  );
  // Organization settings changed in two steps (a nested object).
  events.push(
    { id: 'audit_log-org-1', type: 'organization.updated', effective_at: T0 + 500, actor, 'organization.updated': { id: 'org_1', changes_requested: { settings: { threads_ui_visibility: 'OWNERS', usage_dashboard_visibility: 'ANY_ROLE' } } } },
    { id: 'audit_log-org-2', type: 'organization.updated', effective_at: T0 + 600, actor, 'organization.updated': { id: 'org_1', changes_requested: { settings: { threads_ui_visibility: 'NONE' } } } },
  );
  for (let i = 0; i < 80; i++) {
    events.push({ id: `audit_log-filler-${i}`, type: 'login.succeeded', effective_at: T0 + 1000 + i, actor, 'login.succeeded': {} });
  }
  events.push({
    id: 'audit_log-role-2',
    type: 'role.updated',
    effective_at: T0 + 2000,
    actor,
    'role.updated': { id: 'role_ops', changes_requested: { permissions_added: ['admin'], permissions_removed: ['write'] } },
  });
  return events;
}

function ourWebviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(EVENT_DETAILS_VIEW_TYPE));
}

describe('event details', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: AuditEvent[];
  const controller = () => api.eventDetails;
  const auditRequests = () => server.requests.filter((r) => r.path.endsWith('/organization/audit_logs'));

  before(async () => {
    events = fixtureEvents();
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 50);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    api = (await ext.activate()) as TestApi;
    await freshArchive();
    await api.services.keyStore.set(KEY);
    await api.services.store.ready();
    await vscode.commands.executeCommand(Commands.refresh);
    await until('the first page', () => api.services.store.status === 'loaded');
  });

  after(async () => {
    await restoreArchiveSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api?.services.keyStore.delete();
    for (const k of ['apiBaseUrl', 'pageSize']) await setting(k, undefined);
    await server?.close();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('panels to close', () => ourWebviewTabs().length === 0);
  });

  it('opens a loaded event from the tree in a preview panel with a strict CSP, and reuses it until pinned', async () => {
    const role = api.explorer.provider.eventNode('audit_log-role-2');
    assert.ok(role, 'the newest role update is in the tree');
    const item = api.explorer.provider.getTreeItem(role);
    assert.equal(item.command?.command, Commands.openEvent);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));

    const panel = await until('the panel to be ready', () => controller().activePanel?.isReady && controller().activePanel);
    assert.equal(panel.eventId, 'audit_log-role-2');
    // What the page stores for the serializer: the three ids, nothing of the event.
    assert.deepEqual(panel.persistedState, { eventId: 'audit_log-role-2', effectiveAt: T0 + 2000, type: 'role.updated' });
    assert.equal(panel.pinned, false);
    // The tab says which event: the type and the resource (a role update names no role, so its id).
    assert.equal(panel.panel.title, 'role.updated · role_ops (preview)');
    const html = panel.panel.webview.html;
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|connect-src/);
    assert.deepEqual(
      panel.panel.webview.options.localResourceRoots?.map((u) => u.path.split('/').pop()),
      ['dist', 'media'],
    );

    // Another event replaces the preview: still one panel.
    await vscode.commands.executeCommand(Commands.openEvent, { eventId: 'audit_log-filler-60' });
    await until('the preview to show the new event', () => controller().activePanel?.eventId === 'audit_log-filler-60');
    assert.equal(ourWebviewTabs().length, 1);

    // Pinned, it stays; the next event opens a new preview.
    await vscode.commands.executeCommand(Commands.pinEventPanel);
    assert.equal(controller().activePanel?.pinned, true);
    await vscode.commands.executeCommand(Commands.openEvent, 'audit_log-filler-61');
    await until('a second panel', () => ourWebviewTabs().length === 2);
    assert.deepEqual(ourWebviewTabs().map((t) => t.label).sort(), ['login.succeeded · ada@example.com', 'login.succeeded · ada@example.com (preview)']);
  });

  it('fetches an event that is not loaded by its id, time and type, as a restored panel does', async () => {
    assert.equal(api.services.store.getEvent('audit_log-atlas-3'), undefined, 'the chain is older than the loaded page');
    const before = auditRequests().length;
    const webviewPanel = vscode.window.createWebviewPanel(EVENT_DETAILS_VIEW_TYPE, 'restoring', vscode.ViewColumn.Active, {});
    await controller().deserializeWebviewPanel(webviewPanel, { eventId: 'audit_log-atlas-3', effectiveAt: T0 + 200, type: 'project.updated' });
    const panel = await until('the restored panel', () => controller().activePanel?.event && controller().activePanel);
    assert.equal(panel.event?.event.id, 'audit_log-atlas-3');
    const refetch = auditRequests().slice(before).find((r) => r.query['event_types[]']?.[0] === 'project.updated');
    assert.ok(refetch, 'refetched by type');
    assert.deepEqual(refetch.query['effective_at[gte]'], [String(T0 + 200)]);
    assert.deepEqual(refetch.query['effective_at[lte]'], [String(T0 + 200)]);
  });

  it('restores a panel with no stored event as a message, not a crash', async () => {
    const webviewPanel = vscode.window.createWebviewPanel(EVENT_DETAILS_VIEW_TYPE, 'restoring', vscode.ViewColumn.Active, {});
    await controller().deserializeWebviewPanel(webviewPanel, { eventId: 42 });
    assert.equal(controller().activePanel?.event, undefined);
  });

  it('opens the diff editor of the second rename: before = the first new title, fetched by resource id before its time', async () => {
    const before = auditRequests().length;
    await vscode.commands.executeCommand(Commands.showChanges, { eventId: 'audit_log-atlas-3', effectiveAt: T0 + 200, type: 'project.updated' });
    const tab = await until('the diff editor', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff),
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, AUDIT_LOG_SCHEME);
    const left = JSON.parse((await vscode.workspace.openTextDocument(input.original)).getText());
    const right = JSON.parse((await vscode.workspace.openTextDocument(input.modified)).getText());
    assert.deepEqual(left, { title: 'Atlas Two' });
    assert.deepEqual(right, { title: 'Atlas Prime' });
    const history = auditRequests().slice(before).find((r) => r.query['resource_ids[]']?.[0] === 'proj_atlas');
    assert.ok(history, 'fetched with resource_ids[]');
    // Up to and including its second: same-second predecessors are ordered by the list, not dropped.
    assert.deepEqual(history.query['effective_at[lte]'], [String(T0 + 200)]);
    assert.equal(history.query['effective_at[lt]'], undefined);
  });

  async function diffDocumentsOf(arg: unknown): Promise<{ left: unknown; right: unknown }> {
    await vscode.commands.executeCommand(Commands.showChanges, arg);
    const tab = await until('the diff editor', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff),
    );
    const input = tab.input as vscode.TabInputTextDiff;
    return {
      left: JSON.parse((await vscode.workspace.openTextDocument(input.original)).getText()),
      right: JSON.parse((await vscode.workspace.openTextDocument(input.modified)).getText()),
    };
  }

  it('rebuilds the before of an update from earlier events of the same second, in the order the API lists them', async () => {
    const locator = { effectiveAt: T0 + 400, type: 'project.updated' };
    assert.deepEqual(await diffDocumentsOf({ eventId: 'audit_log-same-3', ...locator }), { left: { title: 'Two' }, right: { title: 'Three' } });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepEqual(await diffDocumentsOf({ eventId: 'audit_log-same-2', ...locator }), { left: { title: 'One' }, right: { title: 'Two' } });
  });

  it('diffs nested organization settings field by field, as nested documents', async () => {
    const docs = await diffDocumentsOf({ eventId: 'audit_log-org-2', effectiveAt: T0 + 600, type: 'organization.updated' });
    assert.deepEqual(docs, { left: { settings: { threads_ui_visibility: 'OWNERS' } }, right: { settings: { threads_ui_visibility: 'NONE' } } });
  });

  it('writes a before outside the retained history as a comment in a JSON-with-comments document, not as a JSON string', async () => {
    // org_1 has no creation in the log: the first settings change has no known before.
    await vscode.commands.executeCommand(Commands.showChanges, { eventId: 'audit_log-org-1', effectiveAt: T0 + 500, type: 'organization.updated' });
    const tab = await until('the diff editor', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff));
    const input = tab.input as vscode.TabInputTextDiff;
    const before = await vscode.workspace.openTextDocument(input.original);
    assert.equal(before.languageId, 'jsonc');
    const lines = before.getText().split('\n');
    assert.match(lines[0]!, /^\/\/ Fields written as comments lie before the retained history/);
    assert.ok(lines.includes('    // "threads_ui_visibility": unknown (before retained history)'), before.getText());
    assert.ok(lines.includes('    // "usage_dashboard_visibility": unknown (before retained history)'), before.getText());
    assert.doesNotMatch(before.getText(), /"unknown \(before retained history\)"/, 'no JSON string spells it');
    const after = await vscode.workspace.openTextDocument(input.modified);
    assert.deepEqual(JSON.parse(after.getText()), { settings: { threads_ui_visibility: 'OWNERS', usage_dashboard_visibility: 'ANY_ROLE' } });
  });

  it('diffs permissions element by element in the diff editor', async () => {
    await vscode.commands.executeCommand(Commands.showChanges, 'audit_log-role-2');
    const tab = await until('the diff editor', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff),
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.deepEqual(JSON.parse((await vscode.workspace.openTextDocument(input.original)).getText()), { permissions: ['read', 'write'] });
    assert.deepEqual(JSON.parse((await vscode.workspace.openTextDocument(input.modified)).getText()), { permissions: ['read', 'admin'] });
  });

  it('opens the exact wire JSON as a read-only JSON document', async () => {
    const editor = (await vscode.commands.executeCommand(Commands.openEventJson, 'audit_log-role-2')) as vscode.TextEditor;
    assert.equal(editor.document.uri.scheme, AUDIT_LOG_SCHEME);
    assert.equal(editor.document.languageId, 'json');
    const parsed = api.services.store.getEvent('audit_log-role-2')!;
    assert.equal(editor.document.getText(), prettyRawJson(parsed.raw, 2));
    assert.deepEqual(JSON.parse(editor.document.getText()), events.find((e) => e.id === 'audit_log-role-2'));
    // A content-provider document cannot be saved over: there is no file system behind the scheme.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, new Uint8Array([1]))));
  });

  it('copies the event JSON from the panel the same way (explorer command or its own fallback)', async () => {
    await vscode.commands.executeCommand(Commands.openEvent, 'audit_log-role-2');
    // A new webview in VS Code web sometimes takes ~30 s to load its page (service worker start-up): wait, never time.
    await until('the panel', () => controller().activePanel?.isReady, 90_000);
    controller().onPageAction(controller().activePanel!, { type: 'copyJson' });
    const text = await until('the clipboard', async () => {
      const t = await vscode.env.clipboard.readText();
      return t.includes('audit_log-role-2') && t;
    }, 90_000);
    assert.deepEqual(JSON.parse(text), events.find((e) => e.id === 'audit_log-role-2'));
  });

  it('restores a panel whose event could not be fetched (no key yet) as soon as a key is set', async () => {
    await api.services.keyStore.delete();
    await api.services.store.ready();
    try {
      const webviewPanel = vscode.window.createWebviewPanel(EVENT_DETAILS_VIEW_TYPE, 'role.updated (preview)', vscode.ViewColumn.Active, {});
      await controller().deserializeWebviewPanel(webviewPanel, { eventId: 'audit_log-role-2', effectiveAt: T0 + 2000, type: 'role.updated' });
      const panel = controller().activePanel!;
      assert.equal(panel.event, undefined, 'nothing to fetch with');
      assert.equal(panel.pinned, false, 'a restored preview stays the preview (read from its title)');
      assert.deepEqual(panel.persistedState, { eventId: 'audit_log-role-2', effectiveAt: T0 + 2000, type: 'role.updated' });
      await api.services.keyStore.set(KEY);
      await api.services.store.ready();
      await until('the event, fetched once the key is there', () => panel.event?.event.id === 'audit_log-role-2');
    } finally {
      await api.services.keyStore.set(KEY);
      await api.services.store.ready();
      await vscode.commands.executeCommand(Commands.refresh);
      await until('the first page again', () => api.services.store.status === 'loaded' && api.services.store.getEvent('audit_log-role-2'));
    }
  });

  it('filters the Events view to a header value and copies one, honouring only values of the shown event', async () => {
    const store = api.services.store;
    await vscode.commands.executeCommand(Commands.openEvent, 'audit_log-role-2');
    const panel = await until('the panel', () => controller().activePanel?.isReady && controller().activePanel, 90_000);
    try {
      // Values a compromised page could name that are not in this event: refused, the filters stay.
      controller().onPageAction(panel, { type: 'pivot', action: 'filter', target: 'actor', value: 'eve@example.com' });
      controller().onPageAction(panel, { type: 'pivot', action: 'filter', target: 'project', value: 'proj_atlas' });
      controller().onPageAction(panel, { type: 'pivot', action: 'filter', target: 'resource', value: 'role_ops' });
      await until('the resource filter', () => store.filters.resourceIds?.[0] === 'role_ops');
      assert.deepEqual(store.filters, { resourceIds: ['role_ops'] });
      controller().onPageAction(panel, { type: 'pivot', action: 'filter', target: 'actor', value: 'ada@example.com' });
      await until('the actor filter', () => store.filters.actorEmails?.[0] === 'ada@example.com');
      assert.deepEqual(store.filters, { resourceIds: ['role_ops'], actorEmails: ['ada@example.com'] });
      await until('the filtered view', () => store.status === 'loaded');

      // The search command is registered (issue 12): every value offers Search, and it runs the value's query term.
      const latest = panel.lastPosted as ReadonlyMap<string, HostMessage>;
      await until('the pivots to offer search', () => {
        const update = latest.get('pivots');
        const sent = latest.get('event');
        const pivots = update?.type === 'pivots' ? update.pivots : sent?.type === 'event' ? sent.event.pivots : undefined;
        return pivots?.length === 3 && pivots.every((p) => p.actions.join() === 'filter,copy,search');
      });
      controller().onPageAction(panel, { type: 'pivot', action: 'search', target: 'ip', value: '203.0.113.7' });
      await until('the search on the Filtered row', () => store.filters.query === 'ip:203.0.113.7');

      controller().onPageAction(panel, { type: 'pivot', action: 'copy', target: 'ip', value: '198.51.100.1' });
      controller().onPageAction(panel, { type: 'pivot', action: 'copy', target: 'ip', value: '203.0.113.7' });
      await until('the IP on the clipboard', async () => (await vscode.env.clipboard.readText()) === '203.0.113.7', 90_000);
    } finally {
      await store.setFilters({});
      await until('the unfiltered view', () => store.status === 'loaded' && store.getEvent('audit_log-role-2'));
    }
  });

  it('shows the resource history from the command', async () => {
    const panel = await vscode.commands.executeCommand(Commands.showResourceHistory, 'audit_log-role-2');
    assert.ok(panel);
    assert.equal(controller().activePanel?.eventId, 'audit_log-role-2');
    // The history's ids become openable from the page; others stay refused.
    await until('the history', () => controller().activePanel?.isAllowedEventId('audit_log-role-1'));
    assert.equal(controller().activePanel?.isAllowedEventId('audit_log-filler-1'), false);
  });
});
