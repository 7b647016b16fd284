/**
 * Security properties of the whole extension inside the real extension host,
 * against fake API servers started here (loopback, the network edge):
 *
 * - a distinctive Admin key, driven through loads, server errors that echo it,
 *   a redirect, a network failure, the details panel, copy, export and the
 *   JSON documents, is then searched for everywhere it could land: every file
 *   under the user-data dir (settings.json, the output channel's log file,
 *   storage), the workspace state, the tree's items and tooltips, the webview's
 *   HTML and messages, the clipboard, open documents and exported files;
 * - the sample organization never sees the real key and the API never sees the
 *   sample's dummy key;
 * - a workspace's .vscode/settings.json cannot redirect the key (apiBaseUrl,
 *   http.proxy are not applied from a workspace);
 * - the webview's CSP and options, and tooltips as inert markdown.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, SettingsSection } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import type { AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import type { TreeNode } from '../../src/views/eventNodes';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';
import { untilWithin } from '../harness/until';

const until = untilWithin(30_000);

const KEY = `sk-admin-LEAKCHECK-${randomBytes(16).toString('hex')}`;
/** Newer than the generated events, so the hostile ones are on the first page. */
const T0 = Math.floor(Date.now() / 1000) - 600;

/** Project names, emails and ids an attacker with a seat in the organization could choose. */
const MD_LINK = '[Click to fix](command:workbench.action.openSettings)';
const HTML = '<img src=x onerror=alert(1)><a href="command:workbench.action.quit">x</a>';

function hostileEvents(): AuditEvent[] {
  const actor = {
    type: 'session',
    session: { user: { id: 'user_evil', email: `${MD_LINK}@evil.example` }, ip_address: '[ip](https://evil.example/)' },
  };
  return [
    {
      id: 'audit_log-hostile-1',
      type: 'project.created',
      effective_at: T0,
      actor,
      project: { id: 'proj_evil', name: MD_LINK },
      'project.created': { id: 'proj_evil', data: { name: MD_LINK, title: HTML } },
    },
    {
      id: 'audit_log-hostile-2',
      type: 'project.updated',
      effective_at: T0 + 10,
      actor,
      project: { id: 'proj_evil', name: MD_LINK },
      'project.updated': { id: 'proj_evil`](command:workbench.action.quit)', changes_requested: { title: `${HTML} $(alert)` } },
    },
  ] as unknown as AuditEvent[];
}

/** Every form of the key a leak could take. */
const KEY_FORMS = [KEY, encodeURIComponent(KEY), Buffer.from(KEY).toString('base64'), KEY.slice(9)];

function assertNoKey(where: string, text: string): void {
  for (const form of KEY_FORMS) {
    assert.ok(!text.includes(form), `the Admin key (${form === KEY ? 'verbatim' : 'encoded'}) reached ${where}`);
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

async function readAll(files: readonly string[]): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const f of files) {
    try {
      m.set(f, (await fs.readFile(f)).toString('latin1'));
    } catch {
      // a file that went away while we looked
    }
  }
  return m;
}

/** The user-data dir of this VS Code server (the harness puts it beside the workspace folder). */
function userDataDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the integration host opens a workspace folder');
  return path.join(path.dirname(folder), 'user-data');
}

describe('security', function () {
  this.timeout(180_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  /** Where the key must never go. */
  let evil: FakeAuditLogServer;
  const store = () => api.services.store;
  /** Everything user-visible or persisted that we collected along the way. */
  const seen: { where: string; text: string }[] = [];
  const record = (where: string, value: unknown): void => {
    seen.push({ where, text: typeof value === 'string' ? value : JSON.stringify(value) ?? String(value) });
  };

  const recordError = (what: string): void => {
    record(`${what}: store.error.message`, store().error?.message ?? '');
    record(`${what}: store.error.stack`, store().error?.stack ?? '');
    record(`${what}: TreeView.message`, api.explorer.view.message ?? '');
    recordTree(`${what}: tree`);
  };

  function recordTree(where: string): void {
    const provider = api.explorer.provider;
    const visit = (nodes: readonly TreeNode[], depth: number): void => {
      for (const node of nodes.slice(0, 40)) {
        const item = provider.resolveTreeItem(provider.getTreeItem(node), node);
        const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
        record(where, { label: item.label, description: item.description, tooltip, command: item.command, a11y: item.accessibilityInformation });
        if (depth < 3) visit(provider.getChildren(node), depth + 1);
      }
    };
    visit(provider.getChildren(), 0);
  }

  before(async () => {
    const events = [
      ...(generateSampleOrganization({ seed: 11, eventCount: 120 }).events as unknown as AuditEvent[]),
      ...hostileEvents(),
    ];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    evil = await startFakeAuditLogServer({ events: [] });
    await setting('apiBaseUrl', server.url);
    await setting('pageSize', 50);
    await setting('maxRetries', 0);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    api = (await ext.activate()) as TestApi;
    await freshArchive();
    await vscode.commands.executeCommand('openaiAuditLogs.events.focus');
  });

  after(async () => {
    await restoreArchiveSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (store()?.isSample) await store().exitSample();
    await api?.services.keyStore.delete();
    await store()?.ready();
    for (const k of ['apiBaseUrl', 'pageSize', 'maxRetries']) await setting(k, undefined);
    await server?.close();
    await evil?.close();
  });

  it('the Admin key travels only in the Authorization header to the configured API, and lands nowhere else', async () => {
    await api.services.keyStore.set(KEY);
    await store().ready();
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'loaded');
    await vscode.commands.executeCommand(Commands.loadMore);
    recordTree('loaded tree');
    const good = server.requests.filter((r) => r.path.endsWith('/organization/audit_logs'));
    assert.ok(good.length >= 2);
    for (const r of good) {
      assert.equal(r.auth, 'ok', 'the key is sent as the Bearer token');
      assertNoKey(`the query string of ${r.path}`, r.rawQuery);
      assertNoKey(`the request headers other than Authorization`, JSON.stringify(r.headers));
    }

    // Server errors that echo the key in the body, the request id and the message.
    const echo = JSON.stringify({ error: { message: `Key ${KEY} is bad`, type: KEY, param: KEY, code: KEY } });
    const faults: [string, object][] = [
      ['500', { kind: '500' }],
      ['400 echoing the key', { kind: 'status', status: 400, body: echo, headers: { 'x-request-id': KEY } }],
      ['401 echoing the key', { kind: 'status', status: 401, body: echo, headers: { 'x-request-id': `req_${KEY}` } }],
      ['403 echoing the key', { kind: 'status', status: 403, body: echo }],
      ['429 echoing the key', { kind: 'status', status: 429, body: echo }],
      ['503 echoing the key', { kind: 'status', status: 503, body: echo }],
      ['HTML with the key', { kind: 'status', status: 200, body: `<html>${KEY}</html>`, contentType: 'text/html' }],
      ['a broken page with the key', { kind: 'status', status: 200, body: `{"object":"list","data":[{"id":"${KEY}"}]}` }],
      ['reset', { kind: 'reset' }],
    ];
    for (const [what, fault] of faults) {
      server.setFaults(() => fault as never);
      await vscode.commands.executeCommand(Commands.refresh);
      assert.equal(store().status, 'error', what);
      recordError(what);
    }

    // A redirect is not followed: the key never reaches the Location's host.
    const location = `${evil.url}/organization/audit_logs?stolen=${encodeURIComponent(KEY)}`;
    for (const status of [301, 302, 307, 308]) {
      server.setFaults(() => ({ kind: 'status', status, body: '', headers: { location } }));
      await vscode.commands.executeCommand(Commands.refresh);
      assert.equal(store().status, 'error', `a ${status} is an error, not followed`);
      recordError(`redirect ${status}`);
    }
    assert.equal(evil.requests.length, 0, 'nothing reached the host a redirect pointed at');
    server.setFaults(undefined);

    // A network failure (nothing listens there).
    const closed = await startFakeAuditLogServer({});
    const closedUrl = closed.url;
    await closed.close();
    await setting('apiBaseUrl', closedUrl);
    await until('the base URL change to apply', () => api.services.settings.apiBaseUrl.url === closedUrl);
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'error');
    recordError('connection refused');
    await setting('apiBaseUrl', server.url);
    await until('the base URL change to apply', () => api.services.settings.apiBaseUrl.url === server.url);

    // Back to normal, then the panel, copy, documents and export.
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().status, 'loaded');
    await vscode.commands.executeCommand(Commands.openEvent, 'audit_log-hostile-2');
    const panel = await until('the panel', () => api.eventDetails.activePanel?.isReady && api.eventDetails.activePanel);
    // The page's posts, as the panel keeps them for a reloading page (the last one of each kind).
    const latest = panel.lastPosted as ReadonlyMap<string, { history?: { state: string }; changes?: { state: string } }>;
    api.eventDetails.onPageAction(panel, { type: 'showHistory' });
    await until('the history', () => latest.get('history')?.history?.state === 'ready');
    await until('the changes', () => latest.get('changes')?.changes?.state === 'ready');
    record('webview html', panel.panel.webview.html);
    record('webview messages', [...latest.values()]);
    record('panel title', panel.panel.title);

    await vscode.env.clipboard.writeText('');
    api.eventDetails.onPageAction(panel, { type: 'copyJson' });
    record('clipboard (copy JSON)', await until('the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined));
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand(Commands.copyEventId, 'audit_log-hostile-1');
    record('clipboard (copy id)', await until('the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined));

    await vscode.commands.executeCommand(Commands.openEventJson, 'audit_log-hostile-2');
    await vscode.commands.executeCommand(Commands.showChanges, 'audit_log-hostile-2');
    for (const doc of vscode.workspace.textDocuments) record(`document ${doc.uri.toString()}`, doc.getText());

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-security-'));
    try {
      for (const format of ['jsonl', 'json', 'csv']) {
        const destination = path.join(dir, `export.${format}`);
        await vscode.commands.executeCommand(Commands.exportEvents, { destination, filters: {} });
        record(`exported ${format}`, await fs.readFile(destination, 'utf8'));
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }

    // Persisted state: the store's workspaceState (the extension touches no globalState).
    const memento = (store() as unknown as { options: { workspaceState: vscode.Memento } }).options.workspaceState;
    for (const k of memento.keys()) record(`workspaceState ${k}`, memento.get(k));
    record('settings', vscode.workspace.getConfiguration(SettingsSection));

    for (const { where, text } of seen) assertNoKey(where, text);

    // Files: the output channel's log, settings.json, storage. A marker proves the log file is among them.
    const marker = `LEAKCHECK-MARKER-${randomBytes(6).toString('hex')}`;
    api.services.log.error(marker);
    const root = userDataDir();
    const files = await until('the output channel to reach its log file', async () => {
      const contents = await readAll(await filesUnder(root));
      return [...contents.values()].some((t) => t.includes(marker)) ? contents : undefined;
    });
    const logFile = [...files.entries()].find(([, t]) => t.includes(marker))![0];
    const logText = files.get(logFile)!;
    assert.match(logText, /Loading the audit log failed/, 'the errors above were logged to this file');
    for (const [file, text] of files) assertNoKey(path.relative(root, file), text);
  });

  it('the sample organization gets a dummy key, never the real one, and the API never gets the dummy key', async () => {
    await api.services.keyStore.set(KEY);
    await store().ready();
    const before = server.requests.length;
    await vscode.commands.executeCommand(Commands.openSampleOrganization);
    assert.equal(store().isSample, true);
    assert.equal(store().status, 'loaded');
    const sampleClient = await store().client();
    assert.notEqual(sampleClient.baseUrl, server.url);
    const dummy = (sampleClient as unknown as { apiKey: unknown }).apiKey;
    assert.equal(typeof dummy, 'string', 'the sample client holds its own key, not the key store');
    assert.notEqual(dummy, KEY);
    assert.match(dummy as string, /^sk-admin-sample-[0-9a-f]{32}$/);
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(server.requests.length, before, 'nothing went to the live API in sample mode');
    await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    await until('the live events', () => store().source === 'live' && store().status === 'loaded');
    assert.ok(server.requests.length > before);
    for (const r of server.requests.slice(before)) assert.equal(r.auth, 'ok', 'the live API got the real key, not the dummy one');
  });

  it('a workspace cannot point the key at another host: apiBaseUrl and http.proxy from .vscode/settings.json are ignored', async () => {
    await api.services.keyStore.set(KEY);
    await store().ready();
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const settingsFile = path.join(folder, '.vscode', 'settings.json');
    await assert.rejects(
      Promise.resolve(vscode.workspace.getConfiguration(SettingsSection).update('apiBaseUrl', evil.url, vscode.ConfigurationTarget.Workspace)),
      'VS Code refuses to write an application-scope setting to the workspace',
    );
    await fs.mkdir(path.dirname(settingsFile), { recursive: true });
    await fs.writeFile(
      settingsFile,
      JSON.stringify({
        'openaiAuditLogs.apiBaseUrl': evil.url,
        'http.proxy': `http://127.0.0.1:9`,
        'http.noProxy': ['evil.example'],
        'http.proxyStrictSSL': false,
        // window scope: proves the file is read
        'openaiAuditLogs.pageSize': 7,
      }),
    );
    try {
      await until('the workspace settings to be read', () => vscode.workspace.getConfiguration(SettingsSection).get('pageSize') === 7);
      assert.equal(api.services.settings.apiBaseUrl.url, server.url, 'the extension reads the user (application) value');
      const base = vscode.workspace.getConfiguration(SettingsSection).inspect<string>('apiBaseUrl');
      assert.notEqual(vscode.workspace.getConfiguration(SettingsSection).get('apiBaseUrl'), evil.url);
      assert.equal(base?.globalValue, server.url);
      const http = vscode.workspace.getConfiguration('http');
      assert.notEqual(http.get('proxy'), 'http://127.0.0.1:9', 'http.proxy is not taken from a workspace');
      assert.notDeepEqual(http.get('noProxy'), ['evil.example']);
      assert.notEqual(http.get('proxyStrictSSL'), false);

      const from = server.requests.length;
      await vscode.commands.executeCommand(Commands.refresh);
      assert.equal(store().status, 'loaded');
      const sent = server.requests.slice(from).filter((r) => r.path.endsWith('/organization/audit_logs'));
      assert.ok(sent.length > 0);
      assert.deepEqual(sent[0]!.query.limit, ['7'], 'the window-scope setting from the same file applied');
      assert.equal(evil.requests.length, 0, 'nothing went to the workspace-chosen host');
    } finally {
      await fs.rm(path.join(folder, '.vscode'), { recursive: true, force: true });
      await until('the workspace settings to go', () => vscode.workspace.getConfiguration(SettingsSection).get('pageSize') === 50);
    }
  });

  it('the details panel: exact CSP with a fresh nonce, no command URIs, resources from dist/ and media/ only', async () => {
    await vscode.commands.executeCommand(Commands.refresh);
    await vscode.commands.executeCommand(Commands.openEvent, 'audit_log-hostile-1');
    const panel = await until('the panel', () => api.eventDetails.activePanel?.isReady && api.eventDetails.activePanel);
    const html = panel.panel.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.ok(csp);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    assert.ok(nonce && Buffer.from(nonce, 'base64').length >= 16, 'a nonce of at least 128 random bits');
    const src = panel.panel.webview.cspSource;
    assert.deepEqual(csp.split(';').map((d) => d.trim()).sort(), [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${src}`,
      `font-src ${src}`,
      `img-src ${src}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-src 'none'",
    ].sort());
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|connect-src|data:|blob:/);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.ok(scripts.length > 0);
    for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`) && /\bsrc="/.test(s), 'every script is external and carries the nonce');
    assert.doesNotMatch(html, /\son[a-z]+=|javascript:/i, 'no inline handlers');

    const options = panel.panel.webview.options;
    assert.equal(options.enableCommandUris, false);
    assert.notEqual((options as { enableForms?: boolean }).enableForms, true);
    const extRoot = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const roots = (options.localResourceRoots ?? []).map((u) => u.toString()).sort();
    assert.deepEqual(roots, [vscode.Uri.joinPath(extRoot, 'dist').toString(), vscode.Uri.joinPath(extRoot, 'media').toString()]);

    // A second page load gets a different nonce.
    const other = await (async () => {
      api.eventDetails.onPageAction(panel, { type: 'togglePin' });
      await vscode.commands.executeCommand(Commands.openEvent, 'audit_log-hostile-2');
      return until('a second panel', () => {
        const p = api.eventDetails.activePanel;
        return p && p !== panel && p.isReady && p;
      });
    })();
    const nonce2 = /'nonce-([A-Za-z0-9+/=]+)'/.exec(other.panel.webview.html)?.[1];
    assert.ok(nonce2 && nonce2 !== nonce);
  });

  it('tooltips are untrusted markdown without HTML, and a project name cannot become a command link', async () => {
    await vscode.commands.executeCommand(Commands.refresh);
    const provider = api.explorer.provider;
    const tooltips: vscode.MarkdownString[] = [];
    const visit = (nodes: readonly TreeNode[]): void => {
      for (const n of nodes) {
        const item = provider.resolveTreeItem(provider.getTreeItem(n), n);
        if (item.tooltip instanceof vscode.MarkdownString) tooltips.push(item.tooltip);
        visit(provider.getChildren(n));
      }
    };
    visit(provider.getChildren());
    const hostile = tooltips.filter((t) => t.value.includes('evil'));
    assert.ok(hostile.length >= 2, 'the hostile events are in the tree');
    for (const md of tooltips) {
      assert.notEqual(md.isTrusted, true);
      assert.ok(typeof md.isTrusted !== 'object', 'no command allowlist either');
      assert.notEqual(md.supportHtml, true);
      // An unescaped link: `[text](target` not preceded by a backslash, outside a code span.
      const outsideCode = md.value.replace(/`[^`\n]*`/g, '');
      assert.doesNotMatch(outsideCode, /(?<!\\)\[[^\]\n]*(?<!\\)\]\(/, `a markdown link in ${JSON.stringify(md.value)}`);
    }
  });
});
