/**
 * The organization's directory in the real extension host (issue 15), against the loopback fake API
 * serving the sample organization's directory: Refresh Directory resolves its counts and caches it in
 * the organization's archive (never the key), the Events tree shows names in place of ids, a restricted key
 * gets the lists it cannot read skipped with a note, a sync refreshes a directory older than the setting,
 * and Delete Archive deletes it too.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { DirectoryCounts } from '../../src/core/directory';
import { resourceId } from '../../src/core/model';
import { sampleDirectory } from '../../src/core/sample/loopbackDirectory';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { generateSampleOrganization, type SampleEvent } from '../../src/core/sample/sampleOrganization';
import type { TestApi } from '../../src/extension';
import { untilWithin } from '../harness/until';
import { freshArchive, restoreArchiveSettings } from './freshArchive';
import { setting } from './settings';

const KEY = 'sk-admin-directory-integration-0123456789abcdef';
const until = untilWithin(60_000);
const org = generateSampleOrganization({ seed: 15, eventCount: 300 });
const data = sampleDirectory(org);

function refreshDirectory(): Promise<DirectoryCounts | undefined> {
  return Promise.resolve(vscode.commands.executeCommand<DirectoryCounts | undefined>(Commands.refreshDirectory));
}

/** An event by a service account's key whose service account the directory lists (so it has a name). */
function serviceAccountEvent(): { event: SampleEvent; name: string; id: string } {
  for (const event of org.events) {
    const actor = event.actor;
    if (actor?.type !== 'api_key' || actor.api_key.type !== 'service_account') continue;
    const id = actor.api_key.service_account.id;
    const sa = Object.values(data.serviceAccounts).flat().find((s) => s.id === id);
    if (sa) return { event, name: String(sa.name), id };
  }
  throw new Error('the sample has no event by a listed service account');
}

describe('directory', function () {
  this.timeout(180_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  const store = () => api.services.store;
  const directoryRequests = () => server.requests.filter((r) => !r.path.endsWith('/organization/audit_logs'));

  before(async () => {
    server = await startFakeAuditLogServer({ events: org.events, apiKey: KEY, directory: data });
    await setting('apiBaseUrl', server.url);
    await setting('maxRetries', 0);
    await setting('pageSize', 100);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await store().exitSample();
  });

  after(async () => {
    for (const k of ['apiBaseUrl', 'maxRetries', 'pageSize', 'directory.maxAgeHours']) await setting(k, undefined);
    await restoreArchiveSettings();
    await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    await api?.services.keyStore.delete();
    await server?.close();
  });

  beforeEach(async () => {
    server.directory!.setDenied([]);
    await setting('directory.maxAgeHours', undefined);
    await api.services.keyStore.delete();
    await until('no key', () => store().source === 'none');
    await freshArchive({ sync: true });
    await api.services.keyStore.set(KEY);
    await until('the key', () => store().source === 'live');
    await store().ready();
    await until('the archive file to be open', () => store().archiveMode === 'file');
    server.reset();
  });

  it('Refresh Directory resolves the counts, caches the directory in the archive file without the key, and the tree shows names in place of ids', async () => {
    await vscode.commands.executeCommand(Commands.syncArchive);
    assert.equal(directoryRequests().length, 0, 'a sync alone never reads a directory that was never read');
    const { event, name, id } = serviceAccountEvent();
    const before = api.explorer.provider.eventNode(event.id);
    assert.ok(before, 'the event is in the tree');
    assert.ok(String(api.explorer.provider.getTreeItem(before).description).includes(id), 'before the directory: the id');

    const counts = await refreshDirectory();
    const perProject = (t: Record<string, unknown[]>) => Object.values(t).flat().length;
    assert.deepEqual(counts, {
      users: data.users.length,
      invites: data.invites.length,
      groups: data.groups.length,
      roles: data.roles.length + perProject(data.projectRoles),
      projects: data.projects.length,
      serviceAccounts: perProject(data.serviceAccounts),
      apiKeys: perProject(data.apiKeys),
      adminApiKeys: data.adminApiKeys.length,
      unavailable: [],
    });
    assert.ok(directoryRequests().every((r) => r.auth === 'ok'), 'read with the organization\'s key');

    const node = api.explorer.provider.eventNode(event.id)!;
    const description = String(api.explorer.provider.getTreeItem(node).description);
    assert.ok(description.includes(`${name} (now)`), `the service account's name in the row: ${description}`);
    assert.ok(!description.includes(id), 'in place of its id');
    const tooltip = api.explorer.provider.getTreeItem(node).tooltip ?? node.tooltip();
    assert.ok((tooltip as vscode.MarkdownString).value.includes('`' + id + '`'), 'the id stays in the tooltip, verbatim');

    const file = store().archivePath;
    const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    assert.notEqual(bytes.indexOf(String(data.users[0]!.email)), -1, 'the directory is in the archive file');
    assert.equal(bytes.indexOf(KEY), -1, 'the key is not');
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
  });

  it('the Findings view\'s event rows name the resource from the directory too (a grant to a user shows the user\'s name)', async () => {
    await vscode.commands.executeCommand(Commands.syncArchive);
    await vscode.commands.executeCommand(Commands.listFindings);
    const provider = api.findings.provider;
    const eventRows = () =>
      provider.getChildren().flatMap((g) => provider.getChildren(g)).flatMap((f) => (f.kind === 'finding' ? provider.getChildren(f) : []));
    const users = new Map(data.users.map((u) => [String(u.id), String(u.name)]));
    const about = (n: ReturnType<typeof eventRows>[number]) => {
      const e = n.kind === 'event' ? api.services.store.getEvent(n.eventId) : undefined;
      return e ? resourceId(e.event) : undefined;
    };
    const granted = eventRows().find((n) => users.has(about(n) ?? ''));
    assert.ok(granted && granted.kind === 'event', 'a finding about a listed user');
    const userId = about(granted)!;
    assert.ok(!String(provider.getTreeItem(granted).description).includes(users.get(userId)!), 'before the directory: no name');
    await refreshDirectory();
    const after = eventRows().find((n) => n.kind === 'event' && n.eventId === granted.eventId)!;
    const item = provider.getTreeItem(after);
    assert.ok(String(item.description).includes(users.get(userId)!), `the user's name in the row: ${String(item.description)}`);
    assert.ok(String(item.tooltip).includes(`(${userId})`), 'the id stays in the tooltip');
  });

  it('the Insights panel\'s actor facet names an actor known by its id (a service account) from the directory', async () => {
    await vscode.commands.executeCommand(Commands.syncArchive);
    await refreshDirectory();
    await vscode.commands.executeCommand(Commands.showInsights);
    const accounts = new Map(Object.values(data.serviceAccounts).flat().map((a) => [String(a.id), String(a.name)]));
    const facet = await until('the page\'s actor facet with a listed service account', () =>
      api.insights.lastPageSnapshot()?.facets.actor?.find((v) => accounts.has(v.value)),
    );
    const name = accounts.get(facet.value)!;
    assert.equal(facet.label, `${name} (now)`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a hostile id and name from the directory go into the tooltip as text, never as markdown or a command link', async () => {
    const hostileKey = 'key_[x](command:workbench.action.quit)';
    const hostile = { id: 'audit_log-hostile-key', type: 'project.updated', effective_at: org.events[0]!.effective_at + 1, actor: { type: 'api_key', api_key: { id: hostileKey, type: 'user', user: { id: 'user-x', email: 'x@example.com' } } }, 'project.updated': { id: 'proj_x' } };
    server.setEvents([...org.events, hostile]);
    const projectId = String(data.projects[0]!.id);
    const withKey = { ...data, apiKeys: { ...data.apiKeys, [projectId]: [...(data.apiKeys[projectId] ?? []), { id: hostileKey, name: '**bold** <b>x</b> [y](command:workbench.action.quit)', redacted_value: 'sk-proj-****0000', owner: { type: 'user', user: { id: 'user-x' } } }] } };
    server.directory!.setData(withKey);
    try {
      await vscode.commands.executeCommand(Commands.syncArchive);
      await refreshDirectory();
      const node = api.explorer.provider.eventNode(hostile.id)!;
      const md = node.tooltip();
      assert.equal(md.isTrusted, false);
      // The id as a code span (where no link is made; the shared clip also breaks `](`), the name escaped.
      assert.ok(/\*\*Name:\*\* .*bold.* `key_\[x\]/.test(md.value), `the name line, its id as code: ${md.value}`);
      assert.ok(!md.value.includes('](command:'), `no command link: ${md.value}`);
      assert.ok(!md.value.includes('**bold**') && !md.value.includes('<b>'), 'the name is escaped');
    } finally {
      server.setEvents(org.events);
      server.directory!.setData(data);
    }
  });

  it('a restricted key: the lists it cannot read are skipped with a note each, the rest is read', async () => {
    server.directory!.setDenied(['apiKeys', 'adminApiKeys']);
    const counts = (await refreshDirectory())!;
    assert.deepEqual(counts.unavailable, ['API keys of projects: not readable with this key', 'Admin API keys: not readable with this key']);
    assert.equal(counts.apiKeys, 0);
    assert.equal(counts.adminApiKeys, 0);
    assert.equal(counts.users, data.users.length);
    assert.equal(counts.projects, data.projects.length);
  });

  it('a sync refreshes a directory older than directory.maxAgeHours; Delete Archive deletes it with the events', async () => {
    await refreshDirectory();
    await setting('directory.maxAgeHours', 0.0001);
    await new Promise((r) => setTimeout(r, 1_000));
    server.reset();
    await vscode.commands.executeCommand(Commands.refresh);
    await until('the directory to be read again after the sync', () => server.requests.some((r) => r.path === '/v1/organization/admin_api_keys'));

    const { event, name } = serviceAccountEvent();
    await until('the name in the row', () => String(api.explorer.provider.getTreeItem(api.explorer.provider.eventNode(event.id)!).description).includes(name));
    await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    await until('the archive to be reopened', () => store().archiveMode === 'file' && store().archive !== undefined);
    await vscode.commands.executeCommand(Commands.syncArchive);
    const row = String(api.explorer.provider.getTreeItem(api.explorer.provider.eventNode(event.id)!).description);
    assert.ok(!row.includes(name), `no name once the archive (and its directory) is deleted: ${row}`);
  });
});
