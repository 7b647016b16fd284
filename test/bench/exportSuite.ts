/**
 * Benchmark suite of the export formats (issue 16), run by `npm run bench`
 * and alone by `npm run bench -- --only export [--events N]`: an archive of
 * N sample events (and one of N/10, to see whether memory grows with the
 * count) is built once; then each format is exported from it in a fresh Node
 * process, the path the extension runs (archiveBatches → writeEventsFile):
 * wall and CPU time, output size, and peak memory (heapUsed and RSS sampled
 * every 25 ms, above what the process held with the archive open). Every
 * number is also given as a ratio against JSON Lines in the same run.
 * Prints and returns a markdown section; asserts nothing about time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditArchive } from '../../src/core/archive';
import { EXPORT_FORMATS, archiveBatches, writeEventsFile, type ExportFormat } from '../../src/core/export';
import { run } from './archiveSuite';
import { spliceSection } from './docSections';
import { buildArchiveFile } from './hostArchiveBench';

const SECTION = '## Export formats (issue 16)';
const SEED = 6;

interface ExportRun {
  format: ExportFormat;
  events: number;
  ms: number;
  cpuS: number;
  bytes: number;
  /** Peak heapUsed / RSS during the export, above the process's with the archive open (MB). */
  peakHeapMB: number;
  /** The largest heapUsed right after a full GC, taken every 50,000 events: what the export holds, without garbage (MB). */
  liveHeapMB: number;
  peakRssMB: number;
  baseRssMB: number;
}

// ---------------------------------------------------------------- children --

function sizeOf(target: string): number {
  const s = fs.statSync(target);
  if (!s.isDirectory()) return s.size;
  return fs.readdirSync(target).reduce((n, f) => n + fs.statSync(path.join(target, f)).size, 0);
}

async function exportChild(file: string, format: ExportFormat, destination: string): Promise<ExportRun> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const archive = await AuditArchive.open(file);
  try {
    for (let i = 0; i < 3; i++) gc?.();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 25);
    let liveHeap = base.heapUsed;
    let nextGc = 50_000;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await writeEventsFile(archiveBatches(archive, {}), destination, format, {
      evidence: { organization: { id: 'bench', label: 'Bench' }, extensionVersion: 'bench' },
      onProgress: (written) => {
        if (written < nextGc || !gc) return;
        nextGc += 50_000;
        gc();
        liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
      },
    });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    clearInterval(sample);
    const mb = (b: number) => b / 2 ** 20;
    return {
      format,
      events: result.count,
      ms,
      cpuS: (used.user + used.system) / 1e6,
      bytes: sizeOf(destination),
      peakHeapMB: mb(peakHeap - base.heapUsed),
      liveHeapMB: mb(liveHeap - base.heapUsed),
      peakRssMB: mb(peakRss - base.rss),
      baseRssMB: mb(base.rss),
    };
  } finally {
    archive.close();
  }
}

// ------------------------------------------------------------------ parent --

function resultOf<T>(out: string, tag: string): T {
  const line = out.split('\n').find((l) => l.startsWith(`${tag} `));
  if (!line) throw new Error(`no ${tag} in ${out.slice(0, 300)}`);
  return JSON.parse(line.slice(tag.length + 1)) as T;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
const size = (bytes: number): string => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GB` : `${(bytes / 2 ** 20).toFixed(0)} MB`);

/** Builds the two archives, exports each format from each, and returns the markdown section. */
export async function runExportBench(count = 1_000_000, log: (line: string) => void = console.log, command = 'npm run bench -- --only export'): Promise<string> {
  const self = __filename;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-export-bench-'));
  const small = Math.max(1, Math.round(count / 10));
  const loadStart = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  try {
    const runs = new Map<number, ExportRun[]>();
    for (const n of [small, count]) {
      const file = path.join(dir, `org-${n}.sqlite`);
      log(`  export: building an archive of ${fmt(n)} events`);
      await run([self, '--export-child', 'build', String(n), file], ['--max-old-space-size=8192']);
      const list: ExportRun[] = [];
      for (const format of EXPORT_FORMATS) {
        log(`  export: ${fmt(n)} events to ${format}`);
        const destination = path.join(dir, `out-${n}.${format}`);
        list.push(resultOf<ExportRun>(await run([self, '--export-child', 'export', file, format, destination], ['--expose-gc']), 'RESULT'));
        fs.rmSync(destination, { recursive: true, force: true });
      }
      runs.set(n, list);
      fs.rmSync(file, { force: true });
    }
    return section(count, small, runs, loadStart, command);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function section(count: number, small: number, runs: Map<number, ExportRun[]>, loadStart: string, command: string): string {
  const big = runs.get(count)!;
  const few = runs.get(small)!;
  const jsonl = big.find((r) => r.format === 'jsonl')!;
  const parquet = big.find((r) => r.format === 'parquet')!;
  const rows = big.map((r) => {
    const s = few.find((x) => x.format === r.format)!;
    return (
      `| ${r.format} | ${ms(r.ms)} (${(r.ms / jsonl.ms).toFixed(2)}×; CPU ${r.cpuS.toFixed(1)} s) | ${size(r.bytes)} (${(r.bytes / jsonl.bytes).toFixed(2)}×) ` +
      `| ${s.liveHeapMB.toFixed(0)} / ${r.liveHeapMB.toFixed(0)} MB | ${s.peakHeapMB.toFixed(0)} / ${r.peakHeapMB.toFixed(0)} MB | ${s.peakRssMB.toFixed(0)} / ${r.peakRssMB.toFixed(0)} MB |`
    );
  });
  const worstLive = Math.max(...big.map((r) => r.liveHeapMB / Math.max(1, few.find((x) => x.format === r.format)!.liveHeapMB)));
  return [
    SECTION,
    '',
    `\`${command}\`: every format exported from an archive of ${fmt(count)} sample events (seed ${SEED}), each in a fresh Node process running the`,
    "extension's own path (`archiveBatches` → `writeEventsFile`, test/bench/exportSuite.ts). Times and sizes are ratios against JSON",
    `Lines in the same run. Memory is above what the process held with the archive open, at ${fmt(small)} and at ${fmt(count)} events`,
    '(flat in the event count means the two are alike): the live heap is the largest heapUsed right after a full GC, taken every',
    '50,000 events (what the export holds); peak heap and RSS are sampled every 25 ms (garbage included, so they follow the GC\'s',
    'pace more than the export). Parquet: hyparquet-writer, 65,536-row Snappy',
    'row groups with statistics. The evidence pack\'s size is its folder (events.jsonl, manifest.json, SHA256SUMS).',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`nproc\` ${os.cpus().length}, load average ${loadStart} at the start and ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} at the end (a shared machine).`,
    '',
    `| Format | Time, ${fmt(count)} events (vs JSONL) | Size (vs JSONL) | Live heap, ${fmt(small)} / ${fmt(count)} | Peak heap, ${fmt(small)} / ${fmt(count)} | Peak RSS, ${fmt(small)} / ${fmt(count)} |`,
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Targets: Parquet at least 3× smaller than JSON Lines: **${(jsonl.bytes / parquet.bytes).toFixed(2)}×** smaller; memory flat in the event count: ` +
      `the largest live-heap growth from ${fmt(small)} to ${fmt(count)} events is ${worstLive.toFixed(2)}× for 10× the events.`,
    '',
  ].join('\n');
}

/** `doc` with its export section replaced by `section` (or appended), the other sections as they are. */
export function spliceExportSection(doc: string, section: string): string {
  return spliceSection(doc, SECTION, section);
}

async function child(argv: string[]): Promise<void> {
  const [phase, ...args] = argv;
  if (phase === 'build') {
    const built = await buildArchiveFile(Number(args[0]), args[1]!, SEED);
    process.stdout.write(`BUILT ${JSON.stringify(built)}\n`);
    return;
  }
  process.stdout.write(`RESULT ${JSON.stringify(await exportChild(args[0]!, args[1] as ExportFormat, args[2]!))}\n`);
}

if (process.argv[2] === '--export-child') {
  child(process.argv.slice(3)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
