/**
 * Rows say what happened (issue 10): under a type group a row leads with the
 * event's gist ("role → owner", "scopes: …"), then the time and the actor;
 * grouped by actor, the group row keeps its count in sight in a narrow
 * sidebar. Built by the real provider in the real host.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';

const KEY = 'sk-admin-rows-0123456789abcdef';
const ADA = 'ada.okafor@acme-research.example';

type Node = { id: string; group?: { kind: string; key: string; label: string; count: number } };

const session = (email: string, id: string) => ({ type: 'session', session: { user: { id, email }, ip_address: '203.0.113.9' } });
let seq = 0;
const event = (type: string, detail: unknown, actor = session(ADA, 'user-ada')) => ({
  id: `audit_log-rows-${++seq}`,
  object: 'organization.audit_log',
  type,
  effective_at: 1_750_000_000 + seq * 60,
  actor,
  project: { id: 'proj_1', name: 'Atlas' },
  [type]: detail,
});

describe('explorer rows say what happened', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  const provider = () => api.explorer.provider;
  const children = (node?: Node) => provider().getChildren(node as never) as unknown as Node[];
  const item = (node: Node) => provider().getTreeItem(node as never);
  const label = (node: Node) => String(typeof item(node).label === 'string' ? item(node).label : (item(node).label as vscode.TreeItemLabel).label);
  const typeGroup = (type: string) => children().find((n) => n.group?.kind === 'type' && n.group.key === type)!;
  /** The event rows of a type group (through its one project group). */
  const rowsOf = (type: string) => children(typeGroup(type)).flatMap((projectGroup) => children(projectGroup));

  before(async () => {
    const events = [
      event('user.updated', { id: 'user-lee', changes_requested: { role: 'owner' } }),
      event('user.updated', { id: 'user-kim', changes_requested: { role: 'reader' } }),
      event('user.added', { id: 'user-new', data: { role: 'owner' } }),
      event('api_key.created', { id: 'key_1', data: { scopes: ['api.model.read', 'api.files.read'] } }),
      event('ip_allowlist.config.deactivated', { configs: [{ id: 'ipal_1', name: 'Office networks' }] }),
      event('organization.updated', {
        id: 'org_1',
        changes_requested: { name: 'acme-research-labs-renamed-for-the-merger', settings: { threads_ui_visibility: 'OWNERS', usage_dashboard_visibility: 'NONE' } },
      }),
      event('api_key.deleted', { id: 'key_1' }, session('bo@acme-research.example', 'user-bo')),
    ].reverse();
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('timeDisplay', 'utc');
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await freshArchive();
    if (api.services.store.isSample) await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    await api.services.keyStore.set(KEY);
    await api.services.store.ready();
    await api.services.store.setFilters({});
  });

  after(async () => {
    await restoreArchiveSettings();
    await api?.services.keyStore.delete();
    for (const k of ['apiBaseUrl', 'timeDisplay', 'groupBy']) await setting(k, undefined);
    await server?.close();
  });

  it('under a type group: the gist is the label, then the time and the actor; without one, the time', async () => {
    await vscode.commands.executeCommand(Commands.changeGrouping, 'typeProject');
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(api.services.store.events.length, 7);

    assert.deepEqual(rowsOf('user.updated').map(label), ['role → reader', 'role → owner']);
    assert.deepEqual(rowsOf('user.added').map(label), ['added as owner']);
    assert.deepEqual(rowsOf('api_key.created').map(label), ['scopes: api.model.read, api.files.read']);
    assert.deepEqual(rowsOf('ip_allowlist.config.deactivated').map(label), ['deactivated: Office networks']);
    assert.deepEqual(rowsOf('organization.updated').map(label), ['name, settings.threads_ui_visibility, settings.usage_dashboard_visibility']);

    const [row] = rowsOf('user.added');
    assert.match(String(item(row!).description), new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC · ${ADA.replace(/\./g, '\\.')} · user-new$`));
    // The screen reader hears the whole summary, the time and the actor.
    assert.match(item(row!).accessibilityInformation!.label, new RegExp(`^User user-new added as owner, .+ UTC, by ${ADA.replace(/\./g, '\\.')}$`));

    const [deleted] = rowsOf('api_key.deleted');
    assert.match(label(deleted!), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/, 'nothing to add: the time, as before');
    assert.equal(item(deleted!).description, 'bo@acme-research.example · key_1');
  });

  it('grouped by actor: the count leads, right after a short label; rows start with the gist', async () => {
    await vscode.commands.executeCommand(Commands.changeGrouping, 'actor');
    const ada = children().find((n) => n.group?.kind === 'actor' && n.group.label === ADA)!;
    assert.equal(label(ada), 'ada.okafor');
    assert.equal(item(ada).description, '6 events · @acme-research.example');
    assert.equal(item(ada).accessibilityInformation?.label, `${ADA}, 6 events · @acme-research.example`);
    assert.match(String(item(ada).tooltip), new RegExp(`^${ADA.replace(/\./g, '\\.')}\\n`));
    const rows = children(ada);
    const added = rows.find((r) => label(r) === 'user.added')!;
    assert.match(String(item(added).description), /^added as owner · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · user-new$/);
  });

  it('grouped by day: type, then the gist, the time of day, the actor', async () => {
    await vscode.commands.executeCommand(Commands.changeGrouping, 'day');
    const [day] = children().filter((n) => n.group?.kind === 'day');
    const row = children(day).find((r) => label(r) === 'user.added')!;
    assert.match(String(item(row).description), new RegExp(`^added as owner · \\d\\d:\\d\\d:\\d\\d UTC · ${ADA.replace(/\./g, '\\.')} · user-new$`));
  });
});
