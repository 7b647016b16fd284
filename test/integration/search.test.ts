/**
 * Search in the real extension host: the search command's contract, the box
 * (driven through the test hooks and the workbench's accept command), the URI
 * handler (and that a hostile link cannot run anything or change a setting),
 * saved queries and copy-as-code, over an archive synced from the fake API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, SettingsSection } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import type { AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';
import { untilWithin } from '../harness/until';

const until = untilWithin(60_000, 25);
const KEY = 'sk-admin-search-0123456789abcdef0123';
const ACCEPT = 'workbench.action.acceptSelectedQuickOpenItem';

/** The extension's settings as the user and workspace hold them (what a link must never change). */
function settingsSnapshot(): string {
  const config = vscode.workspace.getConfiguration(SettingsSection);
  const keys = Object.keys(config).filter((k) => typeof (config as Record<string, unknown>)[k] !== 'function');
  return JSON.stringify(keys.map((k) => [k, config.inspect(k)?.globalValue, config.inspect(k)?.workspaceValue]));
}

describe('search command, box and links', function () {
  this.timeout(180_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: AuditEvent[];
  const store = () => api.services.store;
  const newestFirst = (list: AuditEvent[]) => [...list].sort((a, b) => b.effective_at - a.effective_at);

  before(async () => {
    events = generateSampleOrganization({ seed: 31, eventCount: 400 }).events as unknown as AuditEvent[];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await freshArchive();
    if (store().isSample) await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    await api.services.keyStore.set(KEY);
    await store().ready();
    await store().setFilters({});
    await vscode.commands.executeCommand(Commands.syncArchive);
    assert.equal(store().archive?.count(), events.length);
  });

  after(async () => {
    if (api?.search.searchBox) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await store()?.setFilters({});
    await restoreArchiveSettings();
    await setting('savedQueries', undefined);
    await api?.services.keyStore.delete();
    await setting('apiBaseUrl', undefined);
    await server?.close();
  });

  it('search { query, limit } resolves { total, ids } newest first, and the Events view shows them with the chip', async () => {
    const type = events[0]!.type;
    const expected = newestFirst(events.filter((e) => e.type === type));
    const result = (await vscode.commands.executeCommand(Commands.search, { query: `type:${type}`, limit: 3 })) as { total: number; ids: string[] };
    assert.equal(result.total, expected.length);
    assert.deepEqual(result.ids, expected.slice(0, 3).map((e) => e.id));
    assert.equal(store().filters.query, `type:${type}`);
    assert.equal(store().count(), expected.length);
    const filtered = api.explorer.provider.getChildren().find((n) => n.id === 'filters');
    assert.ok(filtered, 'the Filtered row is there');
    assert.match(String(filtered.toTreeItem().description), new RegExp(`search "type:${type.replace(/\./g, '\\.')}"`));
    const defaults = (await vscode.commands.executeCommand(Commands.search, { query: '' })) as { total: number; ids: string[] };
    assert.equal(defaults.total, events.length);
    assert.equal(defaults.ids.length, Math.min(1000, events.length));
    assert.equal(store().filters.query, undefined, 'an empty query clears the search');
  });

  it('matches what the API cannot filter: an IP, a negation, words', async () => {
    const ip = (events.find((e) => (e.actor as { session?: { ip_address?: string } })?.session?.ip_address)!.actor as { session: { ip_address: string } }).session.ip_address;
    const byIp = events.filter((e) => (e.actor as { session?: { ip_address?: string } })?.session?.ip_address === ip);
    const r = (await vscode.commands.executeCommand(Commands.search, { query: `ip:${ip} -type:login.succeeded` })) as { total: number };
    assert.equal(r.total, byIp.filter((e) => e.type !== 'login.succeeded').length);
  });

  it('an invalid query rejects with the message and changes nothing', async () => {
    await vscode.commands.executeCommand(Commands.search, { query: 'type:login.failed' });
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(Commands.search, { query: 'acter:a@b.com' })), /unknown field "acter" at 1:1, did you mean actor\?/);
    assert.equal(store().filters.query, 'type:login.failed');
  });

  it('without an argument opens the box: the live count as you type, Enter shows the results in the view', async () => {
    await store().setFilters({});
    const running = vscode.commands.executeCommand(Commands.search);
    const box = await until('the search box', () => api.search.searchBox);
    const type = events[3]!.type;
    api.search.typeInSearchBox(`type:${type}`);
    const count = events.filter((e) => e.type === type).length;
    await until('the live count', () => box.title?.includes(`${count.toLocaleString()} events`));
    assert.match(box.items[0]!.label, new RegExp(`Show ${count} events in the Events view`));
    // Enter on the first row (apply), made active as the workbench would on its own once it has the items.
    const echo = new Promise<void>((resolve) => {
      const sub = box.onDidChangeActive(() => (sub.dispose(), resolve()));
    });
    box.activeItems = [box.items[0]!];
    await Promise.race([echo, new Promise((r) => setTimeout(r, 1_000))]);
    await vscode.commands.executeCommand(ACCEPT);
    await Promise.race([running, new Promise((_, reject) => setTimeout(() => reject(new Error(`the box did not close: ${box.title} / active ${box.activeItems[0]?.label}`)), 20_000))]);
    await until('the search applied', () => store().filters.query === `type:${type}`);
    assert.equal(store().count(), count);
  });

  it('the URI handler opens a search and an event, and a hostile link runs nothing and changes no setting', async () => {
    const scheme = vscode.env.uriScheme;
    const link = (path: string) => vscode.Uri.parse(`${scheme}://${EXTENSION_ID}${path}`);
    const q = 'type:login.failed OR ip:"198.51.100.1"';
    const request = await api.search.handleUri(link(`/search?q=${encodeURIComponent(q)}`));
    assert.equal(request.kind, 'search');
    assert.equal(store().filters.query, q);

    const e = events[5]!;
    await api.search.handleUri(link(`/event?id=${encodeURIComponent(e.id)}&t=${e.effective_at}&type=${encodeURIComponent(e.type)}`));
    await until('the event panel', () => api.eventDetails.activePanel?.event?.event.id === e.id);

    const before = settingsSnapshot();
    const keyBefore = await api.services.keyStore.get();
    for (const hostile of [
      '/run?command=workbench.action.openSettings',
      `/search?q=a&q=b`,
      `/search?q=${encodeURIComponent('acter:x')}`,
      `/search?q=x&apiBaseUrl=${encodeURIComponent('https://evil.example')}&command=openaiAuditLogs.clearApiKey`,
      `/event?id=x&t=notanumber&type=y`,
      `/settings?openaiAuditLogs.apiBaseUrl=https://evil.example`,
      `/search?q=x&org=${encodeURIComponent('not-an-organization')}`,
    ]) {
      await api.search.handleUri(link(hostile));
    }
    assert.equal(settingsSnapshot(), before, 'no setting changed');
    assert.deepEqual(await api.services.keyStore.get(), keyBefore, 'the key is where it was');
    assert.equal(store().filters.query, 'x', 'the one valid search of them applied, nothing else');
    assert.equal((await api.search.handleUri(link('/run?command=x'))).kind, 'refused');
    assert.equal(api.services.organizations.current.id, 'default');
  });

  it('Save Query stores { name, query } in the window-scoped setting; Delete removes it', async () => {
    await vscode.commands.executeCommand(Commands.saveQuery, { name: 'Failed logins', query: 'type:login.failed' });
    const saved = () => vscode.workspace.getConfiguration(SettingsSection).get<{ name: string; query: string }[]>('savedQueries');
    assert.deepEqual(saved(), [{ name: 'Failed logins', query: 'type:login.failed' }]);
    await vscode.commands.executeCommand(Commands.runSavedQuery, { query: 'type:login.failed' });
    assert.equal(store().filters.query, 'type:login.failed');
    await vscode.commands.executeCommand(Commands.deleteSavedQuery, { name: 'Failed logins' });
    assert.deepEqual(saved(), []);
  });

  it('copyQueryAsCode resolves the copied request, the key only as $OPENAI_ADMIN_KEY', async () => {
    const text = (await vscode.commands.executeCommand(Commands.copyQueryAsCode, { language: 'curl', query: 'type:login.failed ip:198.51.100.1' })) as string;
    assert.equal(await vscode.env.clipboard.readText(), text);
    assert.match(text, /event_types\[\]=login\.failed/);
    assert.match(text, /\$OPENAI_ADMIN_KEY/);
    assert.match(text, /^# Only the archive can apply these terms .*: ip:198\.51\.100\.1$/m);
    assert.ok(!text.includes(KEY));
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(Commands.copyQueryAsCode, { language: 'cobol' })), /language must be one of/);
  });

  it('Copy Link to Query and to Event write links the handler reads back', async () => {
    await store().setFilters({ query: 'ua:Firefox' });
    const link = (await vscode.commands.executeCommand(Commands.copyLinkToQuery)) as string;
    assert.equal(link, `${vscode.env.uriScheme}://${EXTENSION_ID}/search?q=ua%3AFirefox`);
    const e = store().recent(1)[0]!;
    const eventLink = (await vscode.commands.executeCommand(Commands.copyLinkToEvent, e.event.id)) as string;
    assert.ok(eventLink.includes(`/event?id=${encodeURIComponent(e.event.id)}&t=${e.event.effective_at}&type=`));
  });

  it('when the archive does not cover the search, it says so and offers a sync (last: the archive is emptied)', async () => {
    await freshArchive();
    await store().setFilters({});
    await vscode.commands.executeCommand(Commands.refresh);
    assert.ok((store().archive?.count() ?? 0) < events.length, 'only a page is loaded');
    const r = (await vscode.commands.executeCommand(Commands.search, { query: 'type:login.failed' })) as { total: number };
    assert.equal(r.total, store().count());
    assert.match(String(api.search.lastCoverageNotice), /has not synced the time range of this search yet|only through/);
  });
});
