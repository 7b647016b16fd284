/**
 * The explorer driven as a user drives it, inside the real extension host:
 * the Set Admin API Key input box of the workbench, auto refresh with its
 * badge, and the context keys that gate the welcome. The fake API runs here
 * (the host is Node) on 127.0.0.1.
 *
 * The input box is the workbench's own: the test finds it through the test
 * API, puts a value in it and presses Enter with the workbench's accept
 * command. This host has no command that types into a quick input (`type` and
 * `default:type` only reach a focused code editor) and a value set through
 * the API does not raise onDidChangeValue, so typing itself, with the warning
 * appearing keystroke by keystroke, is covered by the Playwright test.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, ContextKeys, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import type { AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';
import { untilWithin } from '../harness/until';

const until = untilWithin(90_000);

const KEY = 'sk-admin-interaction-0123456789abcdef';
const ACCEPT = 'workbench.action.acceptSelectedQuickOpenItem';

/** Polls until `probe` returns something truthy; the deadline is generous, nothing is timed. */
describe('explorer interaction', function () {
  this.timeout(180_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: AuditEvent[];
  const store = () => api.services.store;
  const auditRequests = () => server.requests.filter((r) => r.path.endsWith('/organization/audit_logs'));

  before(async () => {
    events = generateSampleOrganization({ seed: 5, eventCount: 120 }).events as unknown as AuditEvent[];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 100);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await freshArchive();
    if (store().isSample) await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    await api.services.keyStore.delete();
    await store().ready();
    await vscode.commands.executeCommand('openaiAuditLogs.events.focus');
  });

  after(async () => {
    await restoreArchiveSettings();
    if (api?.explorer.keyPrompt) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await api?.services.keyStore.delete();
    for (const k of ['apiBaseUrl', 'pageSize', 'autoRefreshSeconds']) await setting(k, undefined);
    await server?.close();
  });

  it('without a key, the context keys that gate the welcome are set: keySource none, not in sample mode', async () => {
    api.explorer.updateChrome();
    assert.equal(api.explorer.contextValue(ContextKeys.keySource), 'none');
    assert.equal(api.explorer.contextValue(ContextKeys.sampleMode), false);
    // The welcome's `when`, evaluated against those values, holds.
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { viewsWelcome: { view: string; when: string }[] } };
    const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === 'openaiAuditLogs.events')!;
    assert.equal(welcome.when, `${ContextKeys.keySource} == none && !${ContextKeys.sampleMode}`);
    assert.deepEqual(api.explorer.provider.getChildren(), []);

    // The sample organization hides the welcome (sampleMode true) and leaving it brings it back.
    await vscode.commands.executeCommand(Commands.openSampleOrganization);
    assert.equal(api.explorer.contextValue(ContextKeys.sampleMode), true);
    await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    assert.equal(api.explorer.contextValue(ContextKeys.sampleMode), false);
    assert.equal(api.explorer.contextValue(ContextKeys.keySource), 'none');
  });

  it('sets the key through the workbench input box: empty refused, a non-admin key warned about, then the key loads events', async () => {
    const requestsBefore = server.requests.length;
    const running = vscode.commands.executeCommand(Commands.setApiKey);
    const box = await until('the input box', () => api.explorer.keyPrompt);
    assert.equal(box.password, true, 'a password box');
    assert.equal(box.ignoreFocusOut, true);
    assert.equal(box.title, 'Set Admin API Key');

    // Empty (or blank) is refused: the box stays open with an error.
    box.value = '   ';
    await vscode.commands.executeCommand(ACCEPT);
    const empty = await until('the empty-key error', () => (typeof box.validationMessage === 'object' ? box.validationMessage : undefined));
    assert.equal(empty.severity, vscode.InputBoxValidationSeverity.Error);
    assert.match(empty.message, /Enter the Admin API key/);
    assert.equal(api.explorer.keyPrompt, box, 'still open');

    // A project key: warned about on Enter, not stored yet.
    box.value = 'sk-proj-not-an-admin-key';
    await vscode.commands.executeCommand(ACCEPT);
    const warning = await until('the non-admin warning', () =>
      typeof box.validationMessage === 'object' && box.validationMessage.severity === vscode.InputBoxValidationSeverity.Warning ? box.validationMessage : undefined,
    );
    assert.match(warning.message, /does not look like an Admin API key/);
    assert.doesNotMatch(warning.message, /not-an-admin-key/, 'the message never repeats the key');
    assert.equal(api.explorer.keyPrompt, box, 'still open');
    assert.equal(await api.services.keyStore.source(), 'none', 'nothing stored yet');

    // The real key, with stray spaces from a paste: stored trimmed, checked, and the events load.
    box.value = `  ${KEY}  `;
    await vscode.commands.executeCommand(ACCEPT);
    await running;
    assert.equal(api.explorer.keyPrompt, undefined, 'the box closed');
    assert.equal((await api.services.keyStore.get())?.value, KEY);
    assert.equal(store().keySource, 'secretStorage');
    assert.equal(store().status, 'loaded');
    assert.equal(store().events.length, 100);
    assert.equal(api.explorer.contextValue(ContextKeys.keySource), 'secretStorage');
    const sent = server.requests.slice(requestsBefore);
    assert.ok(sent.length >= 2, 'the one-event check, then the first page');
    assert.ok(sent.every((r) => r.auth === 'ok'));
    assert.ok(sent.some((r) => r.query['limit']?.[0] === '1'), 'the key was checked with a one-event request');
    // The key shows nowhere in the view.
    for (const text of [api.explorer.view.message, api.explorer.view.description, api.explorer.view.title]) {
      assert.ok(!String(text ?? '').includes(KEY));
    }
  });

  it('dismissing the box changes nothing', async () => {
    const running = vscode.commands.executeCommand(Commands.setApiKey);
    const box = await until('the input box', () => api.explorer.keyPrompt);
    box.value = 'sk-admin-typed-but-dismissed';
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await running;
    assert.equal((await api.services.keyStore.get())?.value, KEY);
  });

  it('empty states: an empty log and a filter matching nothing say so in the view, the filters shown on their own row', async () => {
    server.setEvents([]);
    await freshArchive();
    try {
      await vscode.commands.executeCommand(Commands.refresh);
      assert.equal(api.explorer.view.message, 'The audit log has no events.');
      assert.deepEqual(api.explorer.provider.getChildren(), []);
      await store().setFilters({ eventTypes: ['api_key.created'], time: { kind: 'preset', preset: 'last24Hours' } });
      assert.equal(api.explorer.view.message, 'No events match the filters (last 24 hours · type api_key.created).');
      const rows = api.explorer.provider.getChildren();
      assert.deepEqual(rows.map((r) => r.id), ['filters']);
      const item = api.explorer.provider.getTreeItem(rows[0]!);
      assert.equal(item.label, 'Filtered');
      assert.equal(item.description, 'last 24 hours · type api_key.created');
      assert.equal(item.command?.command, Commands.editFilters);
      assert.equal(item.contextValue, 'oal:filters');
      assert.equal(api.explorer.contextValue(ContextKeys.hasFilters), true);
      await vscode.commands.executeCommand(Commands.clearFilters);
      assert.equal(api.explorer.contextValue(ContextKeys.hasFilters), false);
      assert.equal(api.explorer.view.message, 'The audit log has no events.');
    } finally {
      server.setEvents(events);
      await vscode.commands.executeCommand(Commands.refresh);
    }
    assert.equal(api.explorer.view.message, undefined);
  });

  it('auto refresh asks only for events newer than the newest loaded (effective_at[gt]) and badges the view with their number', async () => {
    await vscode.commands.executeCommand(Commands.refresh);
    const newest = store().events[0]!.event;
    const fresh = [1, 2, 3].map((i) => ({
      id: `audit_log-autorefresh-${i}`,
      object: 'organization.audit_log',
      type: 'project.updated',
      effective_at: newest.effective_at + i * 60,
      actor: { type: 'session', session: { user: { id: 'user_new', email: 'new@example.com' } } },
      project: { id: 'proj_new', name: 'New' },
    }));
    api.services.store.clearNewEvents();
    assert.equal(api.explorer.view.badge, undefined);
    server.setEvents([...fresh.reverse(), ...events]);
    const before = server.requests.length;
    // The setting's smallest interval (10 s); the test only waits for the outcome.
    await setting('autoRefreshSeconds', 10);
    try {
      await until('the new events in the view', () => fresh.every((f) => store().getEvent(f.id)));
      assert.deepEqual(
        store().events.slice(0, 3).map((e) => e.event.id),
        ['audit_log-autorefresh-3', 'audit_log-autorefresh-2', 'audit_log-autorefresh-1'],
        'new events on top, newest first',
      );
      const poll = server.requests.slice(before).find((r) => r.path.endsWith('/organization/audit_logs') && r.query['effective_at[gt]'])!;
      assert.deepEqual(poll.query['effective_at[gt]'], [String(newest.effective_at)]);
      assert.equal(poll.query['after'], undefined);
      const badge = await until('the badge', () => api.explorer.view.badge);
      assert.equal(badge.value, 3);
      assert.match(badge.tooltip, /3 new events/);
      // Nothing already loaded was fetched again by the poll.
      assert.equal(store().events.length, 103);
      assert.equal(new Set(store().events.map((e) => e.event.id)).size, 103);
    } finally {
      await setting('autoRefreshSeconds', undefined);
      server.setEvents(events);
    }
    // Refresh starts over and clears the badge.
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(api.explorer.view.badge, undefined);
    assert.ok(auditRequests().length > 0);
  });
});
