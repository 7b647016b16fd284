/**
 * The bench-process side of test/bench/hostArchiveSuite.ts (plain Node, no `vscode`): builds the archive
 * file the host suite opens, and writes the section "The archive in the extension host" of
 * docs/benchmarks.md from the suite's results.
 *
 * The file is built directly, without the API: the sample organization's events, newest first in the
 * API's order (effective_at, then id, descending, as the loopback server lists them), each parsed from
 * its JSON text as a page's event is (`parseAuditEvent`), committed with `commitWindow` in batches with
 * the positions within a second and the coverage a sync would record, so the whole history counts as
 * complete (coverage [0, newest + 1)).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { AuditArchive, StreamOrder } from '../../src/core/archive';
import { parseAuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import type { HostArchiveResult } from './hostArchiveSuite';
import { spliceSection } from './docSections';

export const HOST_ARCHIVE_SECTION = '## The archive in the extension host';
const BATCH = 5_000;

export interface BuiltArchive {
  readonly events: number;
  readonly ms: number;
  readonly fileBytes: number;
}

/** Writes `count` sample events (seed `seed`) into a new archive at `file` and closes it. */
export async function buildArchiveFile(count: number, file: string, seed: number): Promise<BuiltArchive> {
  const started = performance.now();
  const events = generateSampleOrganization({ seed, eventCount: count }).events as unknown as Array<{ id: string; effective_at: number }>;
  events.sort((a, b) => (a.effective_at !== b.effective_at ? b.effective_at - a.effective_at : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const archive = await AuditArchive.open(file);
  try {
    const top = Math.floor(events[0]!.effective_at) + 1;
    const order = new StreamOrder();
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH).map((e) => parseAuditEvent(JSON.stringify(e)));
      const last = i + BATCH >= events.length;
      // As a sync commits: everything below `top` down to the batch's oldest second, exclusive (that
      // second may continue in the next batch); the last batch reaches 0, the start of the history.
      const gte = last ? 0 : Math.floor(batch[batch.length - 1]!.event.effective_at) + 1;
      archive.commitWindow(batch, { gte, lt: top }, { ords: order.assign(batch) });
      events.fill(undefined as never, i, i + BATCH);
    }
    const total = archive.stats().total;
    if (total !== count) throw new Error(`the archive holds ${total} of ${count} events`);
  } finally {
    archive.close();
  }
  for (const side of ['-wal', '-journal']) {
    if (fs.existsSync(file + side)) throw new Error(`${file}${side} is left after close: the file alone is not the archive`);
  }
  return { events: count, ms: performance.now() - started, fileBytes: fs.statSync(file).size };
}

export interface HostArchiveRun {
  readonly built: BuiltArchive;
  readonly host: HostArchiveResult;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const mb = (v: number): string => `${v.toFixed(0)} MB`;

/** The markdown section for a small and a large archive measured in the same run. */
export function hostArchiveSection(small: HostArchiveRun, big: HostArchiveRun, context: { command: string; loadStart: string; bundle: string }): string {
  const runs = [small, big];
  const head = (label: string) => `| ${label} | ${runs.map((r) => fmt(r.host.events)).join(' events | ')} events |`;
  const row = (label: string, cell: (r: HostArchiveRun) => string) => `| ${label} | ${runs.map(cell).join(' | ')} |`;
  const filter = (kind: string) => (r: HostArchiveRun) => r.host.filters.find((f) => f.kind === kind)!;
  const lines = [
    HOST_ARCHIVE_SECTION,
    '',
    'In the real VS Code 1.100 extension host (code-server + headless Chromium, fresh profile; test/bench/hostArchiveSuite.ts,',
    `${context.bundle}). The bench process builds the archive file directly (sample organization, seed 6, 30 days;`,
    '`AuditArchive.open` + `commitWindow` in batches of 5,000 with the coverage a sync records, so the counts are complete),',
    'closes it, and starts the host with `archive.enabled` and `archive.syncOnOpen` off. The suite copies the file, and',
    'nothing else, to `store.archivePath`, sets a key for a loopback API with no events (a live source that adds nothing),',
    'then turns `archive.enabled` on and times the setting change → the store\'s archive open in file mode → the',
    'provider\'s root children (the type groups, with their `getTreeItem`): the first time is the cold reopen (a new',
    'connection, SQLite\'s cache empty, the OS file cache warm as after a window reload), then off and on twice more.',
    'Filters: `store.setFilters` (it regroups, and asks the loopback API for the filters\' first page, which is empty) → root',
    'children; then the first type → project group\'s first chunk of events. The Events view is not shown, so the',
    'workbench asks for nothing in between. Heap: `process.memoryUsage()` after three forced GCs (`--expose-gc` set at',
    'run time), before the archive is enabled and with it open (filters cleared, the unfiltered tree computed); SQLite\'s',
    'WebAssembly memory is not in heapUsed but is in RSS. The extension host also runs VS Code\'s built-in extensions.',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${context.command}\`, \`nproc\` ${os.cpus().length}, load average (1, 5, 15 min) at the start ${context.loadStart}, at the end ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (a shared machine: other test runs).`,
    '',
    head('Archive'),
    '|---|---:|---:|',
    row('Archive file (built in the bench process)', (r) => `${mb(r.built.fileBytes / 2 ** 20)}, built in ${ms(r.built.ms)}`),
    row('**Cold reopen to the grouped tree** (setting on → file open → root children)', (r) => `**${ms(r.host.reopen[0]!.treeMs)}**, ${r.host.rootGroups} type groups`),
    row('… of which: VS Code reports the setting changed · the archive is open (from the start)', (r) => `${ms(r.host.reopen[0]!.configMs)} · ${ms(r.host.reopen[0]!.openMs)}`),
    row('Reopen again, warm (2nd, 3rd)', (r) => r.host.reopen.slice(1).map((x) => ms(x.treeMs)).join(', ')),
    row('The grouping query alone, archive open (`store.groups`)', (r) => ms(r.host.groupsQueryMs)),
    row('The coverage row\'s summary alone (`store.coverage()`, asked on every root `getChildren`)', (r) => ms(r.host.coverageMs)),
    ...(['actor', 'type', 'project'] as const).map((kind) =>
      row(`Filter by ${kind}: setFilters → root children (setFilters alone; the grouping query alone) · the first group's first chunk of events`, (r) => {
        const f = filter(kind)(r);
        return `**${ms(f.treeMs)}** (${ms(f.setFiltersMs)}; ${ms(f.groupsMs)}) · ${ms(f.firstGroupMs)} for ${fmt(f.firstGroupEvents)}; ${fmt(f.count)} events`;
      }),
    ),
    row('Host heapUsed before the archive is enabled', (r) => mb(r.host.heapBefore.heapUsedMB)),
    row('**Host heapUsed with the archive open**', (r) => `**${mb(r.host.heapWithArchive.heapUsedMB)}**`),
    row('Host RSS with the archive open (before it was enabled)', (r) => `${mb(r.host.heapWithArchive.rssMB)} (${mb(r.host.heapBefore.rssMB)})`),
    row('Host external + array buffers with the archive open', (r) => mb(r.host.heapWithArchive.externalMB + r.host.heapWithArchive.arrayBuffersMB)),
    '',
    `Filter values (the worst cases, as in the plain-Node section): actor \`${filter('actor')(big).value}\`, type \`${filter('type')(big).value}\`, project \`${filter('project')(big).value}\` at ${fmt(big.host.events)}`,
    `events. ${fmt(big.host.events)} ÷ ${fmt(small.host.events)}: heapUsed ${(big.host.heapWithArchive.heapUsedMB / small.host.heapWithArchive.heapUsedMB).toFixed(2)}×, cold reopen to the tree ${(big.host.reopen[0]!.treeMs / small.host.reopen[0]!.treeMs).toFixed(1)}×.${big.host.gc && small.host.gc ? '' : ' (GC could not be forced in one run: heap numbers include garbage.)'}`,
    '',
    `Targets (issue 11), in the host at ${fmt(big.host.events)} events: grouped tree < 1 s after reopen: ${ms(big.host.reopen[0]!.treeMs)}; filters < 100 ms: ` +
      `${(['actor', 'type', 'project'] as const).map((k) => ms(filter(k)(big).treeMs)).join(' / ')}; heap < 200 MB whatever the archive's size: ` +
      `${mb(big.host.heapWithArchive.heapUsedMB)} (${mb(small.host.heapWithArchive.heapUsedMB)} at ${fmt(small.host.events)}).`,
    '',
  ];
  return lines.join('\n');
}

/** `doc` with this section replaced by `section` (or appended), the other sections as they are. */
export function spliceHostArchiveSection(doc: string, section: string): string {
  return spliceSection(doc, HOST_ARCHIVE_SECTION, section);
}
