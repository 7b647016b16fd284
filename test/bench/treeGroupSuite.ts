/**
 * Benchmark suite, run by `npm run bench` inside the real extension host (it is
 * bundled to a temporary folder and loaded as `extensionTestsPath`): how long
 * the Events view takes to show a group of 50,000 events, against a group of
 * 500 in the same run. It loads every event through the extension itself
 * (fake API server in this host, Load All: a sync into the organization's
 * archive, emptied before each size), then times the provider's
 * children of the group and the workbench's reveal of its first event (which
 * makes VS Code fetch, resolve and render the group's children). It prints one
 * line `[bench-tree] {json}`; it asserts nothing about time.
 */
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, SettingsSection } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer } from '../../src/core/sample/loopbackServer';

const KEY = 'sk-admin-bench-tree-0123456789abcdef';
export const TREE_GROUP_SIZES = [500, 50_000] as const;

interface Node {
  readonly id: string;
  /** A group row's `ArchiveGroup`: its count comes from the archive. */
  readonly group?: { readonly count: number };
}

export interface TreeGroupResult {
  readonly events: number;
  /** getChildren of the group plus getTreeItem of every child it returns (median of 5). */
  readonly providerMs: number;
  /** Event rows the group shows at first. */
  readonly shown: number;
  /** Whether a "Show more…" row follows them. */
  readonly showMore: boolean;
  /** `TreeView.reveal` of the group's first event with the group collapsed: the workbench expands and renders it. */
  readonly revealMs: number;
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SettingsSection).update(key, value, vscode.ConfigurationTarget.Global);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
  const { store, keyStore } = api.services;
  const provider = api.explorer.provider as unknown as {
    getChildren(node?: Node): Node[];
    getTreeItem(node: Node): vscode.TreeItem;
  };
  await setting('groupBy', 'typeProject');
  await setting('pageSize', 100);
  // Refresh loads one page; Load All (no filters) is the sync that fetches the rest into the archive.
  await setting('archive.syncOnOpen', false);
  await keyStore.set(KEY);
  await store.ready();
  await vscode.commands.executeCommand('openaiAuditLogs.events.focus');
  const results: TreeGroupResult[] = [];
  for (const size of TREE_GROUP_SIZES) {
    // One type, no project: a single "login.succeeded" → "No project" group holding every event.
    const events = generateSampleOrganization({ seed: 11, eventCount: size }).events.map((e) => {
      const copy: Record<string, unknown> = { ...e, type: 'login.succeeded' };
      delete copy['project'];
      return copy;
    });
    const server = await startFakeAuditLogServer({ events, apiKey: KEY });
    try {
      await setting('apiBaseUrl', server.url);
      // Each size starts from an empty archive (the previous size's events are another organization's).
      await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
      await vscode.commands.executeCommand(Commands.refresh);
      await store.loadAll();
      if (store.count() !== size) throw new Error(`loaded ${store.count()} of ${size} events`);
      await vscode.commands.executeCommand('workbench.actions.treeView.openaiAuditLogs.events.collapseAll');
      const typeNode = provider.getChildren().find((n) => n.group && n.group.count === size);
      if (!typeNode) throw new Error('no type group holds every event');
      const group = provider.getChildren(typeNode).find((n) => n.group && n.group.count === size);
      if (!group) throw new Error('no project group holds every event');
      const times: number[] = [];
      let children: Node[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        children = provider.getChildren(group);
        for (const c of children) provider.getTreeItem(c);
        times.push(performance.now() - start);
      }
      const first = children[0]!;
      const start = performance.now();
      await api.explorer.view.reveal(first as never, { select: true, focus: false, expand: false });
      const revealMs = performance.now() - start;
      const showMore = children.some((c) => c.id.endsWith('|showMore'));
      results.push({ events: size, providerMs: median(times), shown: children.length - (showMore ? 1 : 0), showMore, revealMs });
    } finally {
      await server.close();
    }
  }
  await keyStore.delete();
  await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
  for (const k of ['apiBaseUrl', 'groupBy', 'pageSize', 'archive.syncOnOpen']) await setting(k, undefined);
  console.log('[bench-tree] ' + JSON.stringify(results));
}
