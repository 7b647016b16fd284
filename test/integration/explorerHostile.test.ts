/**
 * Hostile names from the API cannot break or spoof the tree: every label,
 * description and tooltip of every node, built by the real provider in the
 * real host, is free of bidi and control characters, one line, and bounded.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';

const KEY = 'sk-admin-hostile-0123456789abcdef';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BIDI_OR_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200d\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const LONG = 'A'.repeat(5_000);

type Node = { id: string };

describe('explorer hostile names', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;

  before(async () => {
    const events = [
      {
        id: 'audit_log-hostile-1',
        object: 'organization.audit_log',
        type: 'project.updated',
        effective_at: 1_750_000_000,
        actor: { type: 'session', session: { user: { id: 'user_evil', email: `evil\u202Emoc.liame@${LONG}.example` } } },
        project: { id: 'proj_evil', name: `Research Team \u202Etxt.exe\n<img src=x onerror=alert(1)> [x](command:workbench.action.quit)` },
        'project.updated': { id: 'proj_evil', changes_requested: { title: `\u2067${LONG}\u2069` } },
      },
      {
        id: 'audit_log-hostile-2',
        object: 'organization.audit_log',
        type: `<b>unknown</b>\u202E.type`,
        effective_at: 1_750_000_001,
        actor: { type: 'api_key', api_key: { id: `key_${LONG}`, type: 'user', user: { id: 'user_x', email: 'x@example.com' } } },
      },
    ];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await freshArchive();
    if (api.services.store.isSample) await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    await api.services.keyStore.set(KEY);
    await api.services.store.ready();
  });

  after(async () => {
    await restoreArchiveSettings();
    await api?.services.keyStore.delete();
    await setting('apiBaseUrl', undefined);
    await setting('groupBy', undefined);
    await server?.close();
  });

  for (const grouping of ['typeProject', 'projectType', 'actor', 'day']) {
    it(`grouped by ${grouping}: every row is one safe, bounded line`, async () => {
      await vscode.commands.executeCommand(Commands.changeGrouping, grouping);
      await vscode.commands.executeCommand(Commands.refresh);
      assert.equal(api.services.store.events.length, 2);
      const provider = api.explorer.provider;
      const seen: string[] = [];
      const walk = async (node?: Node): Promise<void> => {
        for (const child of provider.getChildren(node as never) as unknown as Node[]) {
          let item = provider.getTreeItem(child as never);
          item = (await provider.resolveTreeItem(item, child as never)) ?? item;
          const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
          const description = typeof item.description === 'string' ? item.description : '';
          for (const [what, text, max] of [
            ['label', label, 120],
            ['description', description, 260],
          ] as const) {
            assert.doesNotMatch(text, BIDI_OR_CONTROL, `${what} of ${child.id}`);
            assert.doesNotMatch(text, /[\r\n]/, `${what} of ${child.id} is one line`);
            assert.ok([...text].length <= max, `${what} of ${child.id} is ${text.length} characters`);
          }
          const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip : undefined;
          if (tooltip) {
            assert.equal(tooltip.isTrusted, false);
            assert.ok(!tooltip.supportHtml);
            assert.doesNotMatch(tooltip.value, /[\u202a-\u202e\u2066-\u2069]/);
            assert.doesNotMatch(tooltip.value, /\]\(command:/, 'no command link');
            assert.ok(tooltip.value.length < 4_000, `tooltip of ${child.id} is bounded`);
          }
          seen.push(label);
          await walk(child);
        }
      };
      await walk();
      assert.ok(seen.length >= 3, `walked ${seen.length} rows`);
    });
  }
});
