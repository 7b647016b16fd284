/**
 * Several organizations inside the real extension host (issue 11): the registry, the per-organization
 * key and the three commands, against two loopback APIs that each accept only their own key and record
 * how every request authenticated (`auth`: ok, wrong, missing). The default organization uses the
 * `apiBaseUrl` setting (server A); an added one brings its own base URL (server B).
 *
 * Each test arranges what it needs and afterEach puts the host back (default organization current, no
 * added organization, no key, no OPENAI_ADMIN_KEY), because other files run in this host afterwards.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import type { AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { DEFAULT_ORGANIZATION_ID, type OrganizationId } from '../../src/organizations/organization';
import { ADMIN_KEY_ENV, secretNameOf } from '../../src/secrets/adminKeyStore';
import { untilWithin } from '../harness/until';
import { setting } from './settings';

const KEY_A = 'sk-admin-orgs-a-0123456789abcdef';
const KEY_B = 'sk-admin-orgs-b-0123456789abcdef';
const ACCEPT = 'workbench.action.acceptSelectedQuickOpenItem';
const until = untilWithin(30_000);

describe('organizations', function () {
  this.timeout(120_000);
  let api: TestApi;
  let serverA: FakeAuditLogServer;
  let serverB: FakeAuditLogServer;

  const registry = () => api.services.organizations;
  const keyStore = () => api.services.keyStore;
  const store = () => api.services.store;
  const audit = (server: FakeAuditLogServer, from = 0) => server.requests.slice(from).filter((r) => r.path.endsWith('/organization/audit_logs'));
  const run = async <T>(command: string, arg: unknown): Promise<T> => vscode.commands.executeCommand<T>(command, arg);
  const add = (arg: unknown) => run<{ id: OrganizationId }>(Commands.addOrganization, arg);
  const switchTo = (id: string) => run<{ id: string }>(Commands.switchOrganization, { id });
  const remove = (arg: unknown) => run<{ removed: boolean }>(Commands.removeOrganization, arg);

  before(async () => {
    const events = (seed: number) => generateSampleOrganization({ seed, eventCount: 60 }).events as unknown as AuditEvent[];
    serverA = await startFakeAuditLogServer({ events: events(31), apiKey: KEY_A });
    serverB = await startFakeAuditLogServer({ events: events(32), apiKey: KEY_B });
    await setting('apiBaseUrl', serverA.url);
    await setting('pageSize', 20);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    if (store().isSample) await vscode.commands.executeCommand(Commands.exitSampleOrganization);
  });

  afterEach(async () => {
    if (api.organizations.commands.prompt) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    delete process.env[ADMIN_KEY_ENV];
    await registry().switchTo(DEFAULT_ORGANIZATION_ID);
    for (const o of registry().all) {
      if (registry().isDefault(o.id)) continue;
      await registry().remove(o.id);
      await keyStore().delete(o.id);
    }
    await keyStore().delete(DEFAULT_ORGANIZATION_ID);
    await store().ready();
  });

  after(async () => {
    await setting('apiBaseUrl', undefined);
    await setting('pageSize', undefined);
    await serverA?.close();
    await serverB?.close();
  });

  it('the single key of earlier versions is the default organization, with no step: same secret name, OPENAI_ADMIN_KEY for it only', async () => {
    assert.deepEqual(registry().all.map((o) => o.id), [DEFAULT_ORGANIZATION_ID]);
    assert.equal(registry().current.id, DEFAULT_ORGANIZATION_ID);
    assert.equal(registry().current.apiBaseUrl, undefined, 'the default organization follows the setting');
    assert.equal(secretNameOf(DEFAULT_ORGANIZATION_ID), 'openaiAuditLogs.adminApiKey', 'the SecretStorage name is unchanged');

    process.env[ADMIN_KEY_ENV] = KEY_A;
    // The environment is fixed for a real host's lifetime; here it changed, so let the store re-read (no key stored).
    await keyStore().delete(DEFAULT_ORGANIZATION_ID);
    const { id } = await add({ label: 'Env-less' });
    assert.equal(await keyStore().source(DEFAULT_ORGANIZATION_ID), 'environment');
    assert.equal(await keyStore().source(id), 'none', 'the environment variable serves the default organization only');
    await store().ready();
    assert.equal(store().keySource, 'environment');
    const from = serverA.requests.length;
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().error, undefined);
    assert.ok(audit(serverA, from).length > 0);
    assert.ok(audit(serverA, from).every((r) => r.auth === 'ok'));
  });

  it('two organizations with their own servers and keys: a switch moves the store, and neither key reaches the other server', async () => {
    await keyStore().set(KEY_A, DEFAULT_ORGANIZATION_ID);
    const { id } = await add({ label: 'Org B', apiBaseUrl: serverB.url });
    assert.match(id, /^org-[0-9a-f]{16}$/);
    assert.equal(registry().current.id, DEFAULT_ORGANIZATION_ID, 'adding does not switch');
    assert.deepEqual(registry().get(id), { id, label: 'Org B', apiBaseUrl: serverB.url });

    // B has no key yet: the store follows the switch to "none" with no other call.
    assert.deepEqual(await switchTo(id), { id });
    assert.equal(registry().current.id, id);
    await store().ready();
    assert.equal(store().keySource, 'none');
    assert.equal((await keyStore().get())?.value, undefined);

    // The key set while B is current is B's.
    await keyStore().set(KEY_B);
    await store().ready();
    assert.equal(store().keySource, 'secretStorage');
    assert.equal((await keyStore().get(DEFAULT_ORGANIZATION_ID))?.value, KEY_A, 'the default key is untouched');
    const [a0, b0] = [serverA.requests.length, serverB.requests.length];
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().error, undefined, String(store().error));
    assert.ok(audit(serverB, b0).length > 0, 'B was asked');
    assert.ok(audit(serverB, b0).every((r) => r.auth === 'ok'), 'with B\'s key');
    assert.equal(serverA.requests.length, a0, 'A was not asked while B is current');

    // Back to the default: A gets A's key, B hears nothing.
    await switchTo(DEFAULT_ORGANIZATION_ID);
    await store().ready();
    assert.equal(store().keySource, 'secretStorage');
    const [a1, b1] = [serverA.requests.length, serverB.requests.length];
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().error, undefined, String(store().error));
    assert.ok(audit(serverA, a1).length > 0);
    assert.ok(audit(serverA, a1).every((r) => r.auth === 'ok'), 'with A\'s key');
    assert.equal(serverB.requests.length, b1);
    assert.ok(serverA.requests.every((r) => r.auth !== 'wrong') && serverB.requests.every((r) => r.auth !== 'wrong'), 'no server ever saw the other key');
  });

  it('removing with confirm deletes the key and fires onDidRemove; removing the current one switches to the default', async () => {
    const { id } = await add({ label: 'Short-lived', apiBaseUrl: serverB.url });
    await switchTo(id);
    await keyStore().set(KEY_B);
    assert.equal(await keyStore().source(id), 'secretStorage');
    const removed: string[] = [];
    const current: string[] = [];
    const subs = [registry().onDidRemove((r) => removed.push(r)), registry().onDidChangeCurrent((o) => current.push(o.id))];
    try {
      assert.deepEqual(await remove({ id, confirm: true }), { removed: true });
    } finally {
      for (const s of subs) s.dispose();
    }
    assert.deepEqual(removed, [id]);
    assert.deepEqual(current, [DEFAULT_ORGANIZATION_ID]);
    assert.equal(registry().current.id, DEFAULT_ORGANIZATION_ID);
    assert.equal(registry().get(id), undefined);
    assert.equal(await keyStore().source(id), 'none', 'its key is gone from SecretStorage');
    await store().ready();
    assert.equal(store().keySource, 'none', 'the store follows to the default organization (no key)');
    await assert.rejects(switchTo(id), /no organization with the id/);
  });

  it('the default organization cannot be removed, and unknown ids or malformed arguments are refused clearly', async () => {
    await assert.rejects(remove({ id: DEFAULT_ORGANIZATION_ID, confirm: true }), /default organization cannot be removed/);
    assert.equal(registry().get(DEFAULT_ORGANIZATION_ID)?.id, DEFAULT_ORGANIZATION_ID);
    await assert.rejects(remove({ id: 'org-0000000000000000', confirm: true }), /no organization with the id "org-0000000000000000"/);
    await assert.rejects(switchTo('org-0000000000000000'), /no organization with the id/);
    await assert.rejects(run(Commands.switchOrganization, 'default'), /takes \{ id \}/);
    await assert.rejects(add('Org'), /takes \{ label, apiBaseUrl\? \}/);
    assert.equal(registry().current.id, DEFAULT_ORGANIZATION_ID);
  });

  it('a base URL is validated like the setting (http only to loopback), and a label must be new and clean; nothing is added', async () => {
    await assert.rejects(add({ label: 'Leaky', apiBaseUrl: 'http://example.com' }), /API base URL is not usable: plain http:\/\/ is only allowed to this machine/);
    await assert.rejects(add({ label: 'Leaky', apiBaseUrl: 'http://evil.localhost' }), /API base URL is not usable: plain http:\/\//);
    await assert.rejects(add({ label: 'Leaky', apiBaseUrl: 'ftp://127.0.0.1' }), /API base URL is not usable/);
    await assert.rejects(add({ label: '   ' }), /needs a name/);
    await assert.rejects(add({ label: 'spoof\u202Egnp.exe' }), /one line/);
    await add({ label: 'Acme' });
    await assert.rejects(add({ label: 'ACME' }), /already exists/);
    assert.deepEqual(registry().all.map((o) => o.label).slice(1), ['Acme']);
    // https anywhere and http to loopback are fine; the URL is stored normalized.
    const { id } = await add({ label: 'Acme EU', apiBaseUrl: 'https://eu.example.com/v1/' });
    assert.equal(registry().get(id)?.apiBaseUrl, 'https://eu.example.com/v1');
  });

  it('the registry survives a re-read: a new registry over the same stored state has the same organizations and current one', async () => {
    const b = await add({ label: 'Persisted B', apiBaseUrl: serverB.url });
    const c = await add({ label: 'Persisted C' });
    await switchTo(c.id);
    const reopened = api.organizations.reopen();
    try {
      assert.deepEqual(reopened.all, registry().all);
      assert.deepEqual(reopened.all.map((o) => o.id), [DEFAULT_ORGANIZATION_ID, b.id, c.id]);
      assert.equal(reopened.current.id, c.id);
      assert.equal(reopened.get(b.id)?.apiBaseUrl, serverB.url);
      // Nothing of a key is in what it stores.
      await keyStore().set(KEY_B, b.id);
      assert.ok(!JSON.stringify(reopened.all).includes('sk-admin'));
    } finally {
      reopened.dispose();
    }
  });

  it('a removal made in another window reaches this one when it syncs (on focus): the current one falls back to the default', async () => {
    await keyStore().set(KEY_A, DEFAULT_ORGANIZATION_ID);
    const { id } = await add({ label: 'Removed elsewhere', apiBaseUrl: serverB.url });
    await switchTo(id);
    await store().ready();
    assert.equal(store().keySource, 'none');
    const other = api.organizations.reopen(); // another window's registry over the same stored state
    const current: string[] = [];
    const changes: number[] = [];
    const subs = [registry().onDidChangeCurrent((o) => current.push(o.id)), registry().onDidChange(() => changes.push(1))];
    try {
      await other.remove(id);
      registry().sync(); // what gaining focus does
      registry().sync(); // nothing new: nothing fires twice
    } finally {
      for (const s of subs) s.dispose();
      other.dispose();
    }
    assert.deepEqual(current, [DEFAULT_ORGANIZATION_ID]);
    assert.equal(changes.length, 1);
    await store().ready();
    assert.equal(store().keySource, 'secretStorage', 'the store follows to the default organization and its key');
  });

  it('interactively: Add asks a label and an optional base URL, validating each, then switches to the new organization', async () => {
    const running = vscode.commands.executeCommand<{ id: string } | undefined>(Commands.addOrganization);
    const labelBox = (await until('the label box', () => api.organizations.commands.prompt)) as vscode.InputBox;
    assert.equal(labelBox.title, 'Add Organization');
    labelBox.value = '';
    await vscode.commands.executeCommand(ACCEPT);
    const problem = await until('the empty-label error', () => (typeof labelBox.validationMessage === 'object' ? labelBox.validationMessage : undefined));
    assert.equal(problem.severity, vscode.InputBoxValidationSeverity.Error);
    assert.equal(api.organizations.commands.prompt, labelBox, 'still open');
    labelBox.value = 'Typed org';
    await vscode.commands.executeCommand(ACCEPT);

    const urlBox = (await until('the base URL box', () => api.organizations.commands.prompt !== labelBox && api.organizations.commands.prompt)) as vscode.InputBox;
    urlBox.value = 'http://example.com/v1';
    await vscode.commands.executeCommand(ACCEPT);
    const refused = await until('the URL error', () => (typeof urlBox.validationMessage === 'object' ? urlBox.validationMessage : undefined));
    assert.match(refused.message, /only allowed to this machine/);
    assert.equal(api.organizations.commands.prompt, urlBox, 'still open');
    urlBox.value = serverB.url;
    await vscode.commands.executeCommand(ACCEPT);

    const result = await running;
    assert.ok(result);
    assert.deepEqual(registry().get(result.id), { id: result.id, label: 'Typed org', apiBaseUrl: serverB.url });
    assert.equal(registry().current.id, result.id, 'the new organization is current, ready for its key');
  });

  it('interactively: Switch offers a quick pick of the organizations with the current one marked', async () => {
    const { id } = await add({ label: 'Pickable' });
    const running = vscode.commands.executeCommand<{ id: string } | undefined>(Commands.switchOrganization);
    const pick = (await until('the quick pick', () => api.organizations.commands.prompt)) as vscode.QuickPick<vscode.QuickPickItem & { organization: { id: string } }>;
    assert.deepEqual(pick.items.map((i) => i.organization.id), [DEFAULT_ORGANIZATION_ID, id]);
    assert.equal(pick.items[0]!.description, 'current');
    assert.equal(pick.items[1]!.description, undefined);
    // The workbench echoes the active item back once it shows it; accepting before that would accept the old one.
    const echoed = new Promise<void>((resolve) => {
      const sub = pick.onDidChangeActive(() => {
        sub.dispose();
        resolve();
      });
    });
    pick.activeItems = [pick.items[1]!];
    await echoed;
    await vscode.commands.executeCommand(ACCEPT);
    assert.deepEqual(await running, { id });
    assert.equal(registry().current.id, id);
  });
});
