/**
 * Benchmark suite, run by `npm run bench` (alone: `npm run bench -- --only host-archive`) inside the real
 * extension host (bundled to a temporary folder and loaded as `extensionTestsPath`): the archive as the
 * extension uses it. The bench process builds an archive file (`OAL_BENCH_ARCHIVE` in the server's
 * environment); the host starts with `archive.enabled` and `archive.syncOnOpen` off (user settings), so
 * the store works from memory and the file is not open. This suite copies the file (and nothing else) to
 * `store.archivePath`, gives the store a live source (a loopback API with no events, so nothing is
 * fetched into the archive), and times:
 * - cold reopen to the grouped tree: setting `archive.enabled` true → the store opens the file
 *   (`archiveMode === 'file'`, `ready()`) → the provider's root children (the type groups);
 *   then twice more, off and on again (warm);
 * - a filter by actor, by type and by project: `store.setFilters` (which also asks the loopback API for
 *   the filters' first page: empty) → the provider's root children; then the first leaf group's
 *   children (its first chunk of events, a page of the archive);
 * - the host's heap with the archive open, after forced GCs, against the same host before the archive
 *   was enabled.
 * It prints one line `[bench-host-archive] {json}`; it asserts nothing about time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, SettingsSection } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import type { EventFilters } from '../../src/core/analysis/filters';
import { startFakeAuditLogServer } from '../../src/core/sample/loopbackServer';

const KEY = 'sk-admin-bench-host-archive-0123456789abcdef';
/** The server's environment variable naming the archive file to copy in (scripts/bench.ts sets it). */
const HOST_ARCHIVE_ENV = 'OAL_BENCH_ARCHIVE';
/** What the result line starts with (scripts/bench.ts looks for it). */
const HOST_ARCHIVE_MARKER = '[bench-host-archive] ';

interface Node {
  readonly id: string;
  readonly group?: { readonly count: number; readonly children?: readonly unknown[] };
}

export interface HostHeap {
  readonly heapUsedMB: number;
  readonly rssMB: number;
  readonly externalMB: number;
  readonly arrayBuffersMB: number;
}

export interface HostFilterRun {
  readonly kind: 'actor' | 'type' | 'project';
  readonly value: string;
  /** Events matching, from the tree's coverage row (the sum of the root groups). */
  readonly count: number;
  /** `await store.setFilters(...)`: regrouping plus one request to the (empty) loopback API. */
  readonly setFiltersMs: number;
  /** setFilters → root children returned. */
  readonly treeMs: number;
  /** The filtered grouping query alone, again (`store.groups`): the archive's part. */
  readonly groupsMs: number;
  /** The first leaf group's children: its first chunk of events read from the archive. */
  readonly firstGroupMs: number;
  readonly firstGroupEvents: number;
}

export interface HostArchiveResult {
  readonly events: number;
  readonly fileBytes: number;
  /** The Events view was visible (the workbench would then ask for children itself). */
  readonly viewVisible: boolean;
  /**
   * Setting on → VS Code reports the configuration change (`configMs`) → archive open in file mode
   * (`openMs`) → root children (`treeMs`), each from the start; the first is the cold one.
   */
  readonly reopen: ReadonlyArray<{ readonly configMs: number; readonly openMs: number; readonly treeMs: number }>;
  readonly rootGroups: number;
  /** The grouping query alone, again, on the open archive (`store.groups`). */
  readonly groupsQueryMs: number;
  /** `store.coverage()` alone (the coverage row above the groups; the provider asks for it on every root getChildren). */
  readonly coverageMs: number;
  readonly filters: readonly HostFilterRun[];
  /** Forced GC was available (`--expose-gc` set at runtime). */
  readonly gc: boolean;
  /** After activation, archive disabled (in memory, empty). */
  readonly heapBefore: HostHeap;
  /** With the archive open, the unfiltered tree computed, filters cleared. */
  readonly heapWithArchive: HostHeap;
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SettingsSection).update(key, value, vscode.ConfigurationTarget.Global);
}

function forceGc(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('v8') as typeof import('v8')).setFlagsFromString('--expose-gc');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gc = (require('vm') as typeof import('vm')).runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) gc();
    return true;
  } catch {
    return false;
  }
}

function heap(): HostHeap {
  const m = process.memoryUsage();
  const mb = (n: number) => n / 2 ** 20;
  return { heapUsedMB: mb(m.heapUsed), rssMB: mb(m.rss), externalMB: mb(m.external), arrayBuffersMB: mb(m.arrayBuffers) };
}

export async function run(): Promise<void> {
  const source = process.env[HOST_ARCHIVE_ENV];
  if (!source || !fs.existsSync(source)) throw new Error(`${HOST_ARCHIVE_ENV} does not name an archive file`);
  const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
  const { store, keyStore } = api.services;
  const provider = api.explorer.provider as unknown as { getChildren(node?: Node): Node[]; getTreeItem(node: Node): vscode.TreeItem };
  await store.ready();
  if (store.archiveMode !== 'memory') throw new Error(`the host must start with archive.enabled false (mode ${store.archiveMode})`);

  // The file, and nothing else, where the store looks for the current organization's archive.
  fs.mkdirSync(path.dirname(store.archivePath), { recursive: true, mode: 0o700 });
  fs.copyFileSync(source, store.archivePath);
  fs.chmodSync(store.archivePath, 0o600);

  // A live source that adds nothing: the loopback API with no events.
  const server = await startFakeAuditLogServer({ events: [], apiKey: KEY });
  try {
    await setting('apiBaseUrl', server.url);
    await keyStore.set(KEY);
    await store.ready();
    if (store.source !== 'live') throw new Error(`source ${store.source}, expected live`);
    const gc = forceGc();
    const heapBefore = heap();

    const modeIs = (mode: string) =>
      new Promise<void>((resolve) => {
        if (store.archiveMode === mode) return resolve();
        const sub = store.onDidChange((c) => {
          if (c === 'archive' && store.archiveMode === mode) {
            sub.dispose();
            resolve();
          }
        });
      });
    const reopen: Array<{ configMs: number; openMs: number; treeMs: number }> = [];
    let roots: Node[] = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) {
        const off = modeIs('memory');
        await setting('archive.enabled', false);
        await off;
        await store.ready();
      }
      const start = performance.now();
      const opened = modeIs('file');
      let configMs = -1;
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (configMs < 0 && e.affectsConfiguration(`${SettingsSection}.archive.enabled`)) configMs = performance.now() - start;
      });
      await setting('archive.enabled', true);
      await opened;
      await store.ready();
      sub.dispose();
      const openMs = performance.now() - start;
      roots = provider.getChildren();
      for (const n of roots) provider.getTreeItem(n);
      reopen.push({ configMs, openMs, treeMs: performance.now() - start });
    }
    const archive = store.archive!;
    const events = archive.stats().total;
    const rootGroups = roots.filter((n) => n.group).length;
    let started = performance.now();
    store.groups('typeProject');
    const groupsQueryMs = performance.now() - started;
    started = performance.now();
    store.coverage();
    const coverageMs = performance.now() - started;

    // The worst cases, as the plain-Node archive bench picks them: the most active actor, the largest type and project.
    const largest = <T extends { count: number }>(list: T[]): T => [...list].sort((a, b) => b.count - a.count)[0]!;
    const actorId = largest(archive.groups({}, 'actor').filter((a) => a.actorId)).actorId!;
    const type = largest(archive.groups({}, 'typeProject')).key;
    const projectId = largest(archive.groups({}, 'projectType').filter((p) => p.projectId)).projectId!;
    const cases: Array<{ kind: HostFilterRun['kind']; value: string; filters: EventFilters }> = [
      { kind: 'actor', value: actorId, filters: { actorIds: [actorId] } },
      { kind: 'type', value: type, filters: { eventTypes: [type] } },
      { kind: 'project', value: projectId, filters: { projectIds: [projectId] } },
    ];
    const filters: HostFilterRun[] = [];
    for (const c of cases) {
      started = performance.now();
      await store.setFilters(c.filters);
      const setFiltersMs = performance.now() - started;
      const top = provider.getChildren();
      for (const n of top) provider.getTreeItem(n);
      const treeMs = performance.now() - started;
      const count = top.filter((n) => n.group).reduce((sum, n) => sum + n.group!.count, 0);
      const queried = performance.now();
      store.groups('typeProject');
      const groupsMs = performance.now() - queried;
      // Down to the first leaf group (type → project) and its first chunk of events.
      let node = top.find((n) => n.group);
      while (node?.group?.children) node = provider.getChildren(node).find((n) => n.group);
      started = performance.now();
      const children = node ? provider.getChildren(node) : [];
      for (const n of children) provider.getTreeItem(n);
      const firstGroupMs = performance.now() - started;
      filters.push({ kind: c.kind, value: c.value, count, setFiltersMs, treeMs, groupsMs, firstGroupMs, firstGroupEvents: children.filter((n) => !n.group && !n.id.endsWith('|showMore')).length });
    }
    await store.setFilters({});
    provider.getChildren();
    forceGc();
    const heapWithArchive = heap();

    const result: HostArchiveResult = {
      events,
      fileBytes: fs.statSync(store.archivePath).size,
      viewVisible: api.explorer.view.visible,
      reopen,
      rootGroups,
      groupsQueryMs,
      coverageMs,
      filters,
      gc,
      heapBefore,
      heapWithArchive,
    };
    console.log(HOST_ARCHIVE_MARKER + JSON.stringify(result));
  } finally {
    await keyStore.delete();
    for (const k of ['apiBaseUrl', 'archive.enabled']) await setting(k, undefined);
    await server.close();
  }
}
