/**
 * The first file of the suite (index.ts runs files in name order): the extension is activated here for the
 * first time, with a key in OPENAI_ADMIN_KEY and the fake API configured, so these tests see a real start-up.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import { prettyRawJson, type AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { ADMIN_KEY_ENV } from '../../src/secrets/adminKeyStore';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { untilWithin } from '../harness/until';
import { setting } from './settings';

const KEY = 'sk-admin-startup-0123456789abcdef';
const until = untilWithin(30_000);

// package.json of the extension under test, read from the extension itself.
function manifest() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return { ext, pkg: ext.packageJSON as { contributes: { commands: { command: string }[]; views?: Record<string, { id: string }[]> }; activationEvents?: string[] } };
}

describe('extension host', () => {
  let server: FakeAuditLogServer;
  let events: AuditEvent[];
  const auditRequests = () => server.requests.filter((r) => r.path.endsWith('/organization/audit_logs'));

  before(async () => {
    events = generateSampleOrganization({ seed: 11, eventCount: 150 }).events as unknown as AuditEvent[];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 50);
    // Refresh as one page of the query (not an archive sync), so the test counts pages.
    await setting('archive.syncOnOpen', false);
    process.env[ADMIN_KEY_ENV] = KEY;
  });

  after(async () => {
    delete process.env[ADMIN_KEY_ENV];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setting('apiBaseUrl', undefined);
    await setting('pageSize', undefined);
    await setting('archive.syncOnOpen', undefined);
    await server?.close();
  });

  it('runs inside a real VS Code 1.100', () => {
    assert.match(vscode.version, /^1\.100\./);
    assert.equal(vscode.env.appHost !== undefined, true);
  });

  it('activates without "*" and sends no request while activating, although a key and an API are configured', async () => {
    const { ext, pkg } = manifest();
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
    assert.equal(ext.isActive, false, 'this file is the first to activate the extension');
    const api = (await ext.activate()) as TestApi;
    assert.equal(ext.isActive, true);
    await api.services.store.ready();
    assert.equal(api.services.store.keySource, 'environment');
    // A load started during activation has not reached the server yet when this runs: the request count alone
    // still passed with `void store.refresh()` added to activate(). The store's status does not.
    assert.equal(api.services.store.status, 'idle', 'activation started no load');
    assert.equal(server.requests.length, 0, 'activation made no request');
  });

  it('the first command after activation uses the key, with the view never shown: refresh, load more, copy JSON and open by id', async () => {
    const api = (await manifest().ext.activate()) as TestApi;
    assert.equal(api.explorer.view.visible, false, 'the Events view was never shown');
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(api.services.store.error, undefined);
    assert.equal(api.services.store.events.length, 50);
    await vscode.commands.executeCommand(Commands.loadMore);
    assert.equal(api.services.store.events.length, 100);
    assert.ok(auditRequests().every((r) => r.auth === 'ok'));

    // The 80th newest event: on the second page.
    const newestFirst = [...events].sort((a, b) => b.effective_at - a.effective_at);
    const target = api.services.store.events[79]!;
    assert.ok(newestFirst.some((e) => e.id === target.event.id));
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand(Commands.copyEventJson, target.event.id);
    const copied = await until('the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined);
    assert.equal(copied, prettyRawJson(target.raw));
    assert.deepEqual(JSON.parse(copied), events.find((e) => e.id === target.event.id));

    await vscode.commands.executeCommand(Commands.openEvent, target.event.id);
    const panel = await until('the details panel', () => api.eventDetails.activePanel?.event && api.eventDetails.activePanel);
    assert.equal(panel.event?.event.id, target.event.id);
  });

  it('registers every command of package.json, and package.json lists every command it registers', async () => {
    const { ext, pkg } = manifest();
    await ext.activate();
    const declared = new Set(pkg.contributes.commands.map((c) => c.command));
    const registered = new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('openaiAuditLogs.')));
    // Views contribute a few commands of their own (focus, resetViewLocation…); they are VS Code's, not ours.
    const views = Object.values(pkg.contributes.views ?? {}).flat().map((v) => v.id);
    const ours = [...registered].filter((c) => !views.some((id) => c.startsWith(`${id}.`)) && !c.startsWith('workbench.'));
    assert.deepEqual([...declared].filter((c) => !registered.has(c)), [], 'declared but not registered');
    assert.deepEqual(ours.filter((c) => !declared.has(c)), [], 'registered but not declared in package.json');
  });
});
