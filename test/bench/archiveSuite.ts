/**
 * Benchmark suite of the archive (issue 11), run by `npm run bench` and alone
 * by `npm run bench -- --only archive`: with the sample organization of
 * 1,000,000 events served by the loopback API (its own process, 0 ms), it
 * measures, each step in a fresh Node process so heaps do not mix:
 * - the baseline: today's in-memory fetcher (`fetchAuditLogBatches` into an
 *   array), events/s, and the raw JSON size of what it received;
 * - the first sync into a file archive (`syncArchive`), events/s, and the
 *   file's size after close against the raw JSON;
 * - reopening in a new process: open + `groups('typeProject')`; a filter by
 *   actor, by type and by project (count + first page of 100); a free-text
 *   FTS5 query (count + first page); heap with the archive open (after GC).
 * Prints and returns a markdown section; asserts nothing about time.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditArchive, syncArchive } from '../../src/core/archive';
import { AuditLogClient } from '../../src/core/api';
import { DEFAULT_CONCURRENCY, fetchAuditLogBatches } from '../../src/core/fetch';
import type { ParsedEvent } from '../../src/core/model';
import { spliceSection } from './docSections';

const KEY = 'sk-admin-bench-0123456789abcdef'; // the key scripts/bench.ts --serve expects
const ROOT = path.resolve(__dirname, '..', '..');
const SECTION = '## The archive (issue 11)';

interface Baseline {
  events: number;
  ms: number;
  /** CPU seconds (user + system) of the fetching process: on a shared machine, less noisy than the wall time. */
  cpuS: number;
  rawBytes: number;
}
interface SyncRun {
  events: number;
  ms: number;
  cpuS: number;
  requests: number;
  fileBytes: number;
}
interface Timed {
  ms: number;
  count: number;
  page: number;
}
interface Reopen {
  openMs: number;
  groupsMs: number;
  groups: number;
  actor: Timed & { value: string };
  type: Timed & { value: string };
  project: Timed & { value: string };
  text: Timed & { value: string };
  heapMB: number;
  externalMB: number;
  rssMB: number;
  integrity: string;
}

// ---------------------------------------------------------------- children --

async function baselineChild(url: string): Promise<Baseline> {
  const client = new AuditLogClient({ baseUrl: url, apiKey: KEY });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const events: ParsedEvent[] = [];
  for await (const batch of fetchAuditLogBatches(client, { limit: 100 }, { concurrency: DEFAULT_CONCURRENCY })) for (const e of batch) events.push(e);
  const ms = performance.now() - started;
  const cpuS = cpuSeconds(process.cpuUsage(cpu));
  let rawBytes = 0;
  for (const e of events) rawBytes += Buffer.byteLength(e.raw, 'utf8');
  await client.close();
  return { events: events.length, ms, cpuS, rawBytes };
}

async function syncChild(url: string, file: string): Promise<SyncRun> {
  const client = new AuditLogClient({ baseUrl: url, apiKey: KEY });
  const archive = await AuditArchive.open(file);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await syncArchive(archive, client, { concurrency: DEFAULT_CONCURRENCY });
  const ms = performance.now() - started;
  const cpuS = cpuSeconds(process.cpuUsage(cpu));
  archive.close();
  await client.close();
  return { events: result.total, ms, cpuS, requests: result.requests, fileBytes: fs.statSync(file).size };
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function timed(archive: AuditArchive, query: Parameters<AuditArchive['count']>[0]): Timed {
  const started = performance.now();
  const count = archive.count(query);
  const page = archive.events(query, { limit: 100 }).length;
  return { ms: performance.now() - started, count, page };
}

async function reopenChild(file: string): Promise<Reopen> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const before = process.memoryUsage();
  let started = performance.now();
  const archive = await AuditArchive.open(file);
  const openMs = performance.now() - started;
  started = performance.now();
  const tree = archive.groups({}, 'typeProject');
  const groupsMs = performance.now() - started;
  // The worst cases: the most active actor, the largest type, the largest project.
  const actors = archive.groups({}, 'actor');
  const actorId = actors.find((a) => a.actorId)!.actorId!;
  const biggestType = [...tree].sort((a, b) => b.count - a.count)[0]!.key;
  const projects = archive.groups({}, 'projectType').filter((p) => p.projectId);
  const projectId = [...projects].sort((a, b) => b.count - a.count)[0]!.projectId!;
  const actor = { ...timed(archive, { actorIds: [actorId] }), value: actorId };
  const type = { ...timed(archive, { eventTypes: [biggestType] }), value: biggestType };
  const project = { ...timed(archive, { projectIds: [projectId] }), value: projectId };
  const word = actors.find((a) => a.actorEmail)!.actorEmail!.split('@')[0]!.split('.')[0]!;
  started = performance.now();
  const textCount = archive.searchCount(word);
  const textPage = archive.search(word, {}, { limit: 100 }).length;
  const text = { ms: performance.now() - started, count: textCount, page: textPage, value: word };
  for (let i = 0; i < 3; i++) gc();
  const after = process.memoryUsage();
  const integrity = archive.integrityCheck();
  archive.close();
  return {
    openMs,
    groupsMs,
    groups: tree.length,
    actor,
    type,
    project,
    text,
    heapMB: after.heapUsed / 2 ** 20,
    externalMB: (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / 2 ** 20,
    rssMB: after.rss / 2 ** 20,
    integrity,
  };
}

// ------------------------------------------------------------------ parent --

/** Runs a bench child (`node --import tsx <args>`) from the repository root; resolves with its stdout. */
export function run(args: string[], execArgv: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, '--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

function resultOf<T>(out: string): T {
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no RESULT in ${out.slice(0, 300)}`);
  return JSON.parse(line.slice(7)) as T;
}

/** Starts `scripts/bench.ts --serve` (the loopback API with the sample organization) and returns its URL and a stop function. */
async function serve(count: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', path.join(ROOT, 'scripts', 'bench.ts'), '--serve', String(count), '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Runs the suite and returns its markdown section. */
export async function runArchiveBench(count = 1_000_000, log: (line: string) => void = console.log): Promise<string> {
  const self = __filename;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-archive-bench-'));
  const file = path.join(dir, 'org.sqlite');
  log(`  archive: serving ${fmt(count)} sample events`);
  const server = await serve(count);
  try {
    log('  archive: baseline, the in-memory fetcher');
    const baseline = resultOf<Baseline>(await run([self, '--archive-child', 'baseline', server.url], ['--max-old-space-size=8192']));
    log('  archive: first sync into a file');
    const sync = resultOf<SyncRun>(await run([self, '--archive-child', 'sync', server.url, file], ['--max-old-space-size=4096']));
    log('  archive: reopen, group, filter, search');
    const reopen = resultOf<Reopen>(await run([self, '--archive-child', 'reopen', file], ['--expose-gc']));
    return section(count, baseline, sync, reopen);
  } finally {
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function section(count: number, b: Baseline, s: SyncRun, r: Reopen): string {
  const rate = (events: number, t: number): string => `${fmt(Math.round(events / (t / 1000)))} events/s`;
  const ratioRaw = s.fileBytes / b.rawBytes;
  const lines = [
    SECTION,
    '',
    `${fmt(count)} sample events (seed 6, 30 days) served by the loopback API in its own process at 0 ms latency; every step in a`,
    'fresh Node process (test/bench/archiveSuite.ts). The archive is one SQLite file (node-sqlite3-wasm, WAL, exclusive,',
    'checkpoint every 65,536 pages; the sync commits every 2,000 events in multi-row INSERTs). CPU is user + system seconds of',
    'the measuring process (steadier than wall time on a shared machine; the server runs in its own process).',
    '"reopen" is a new process opening the file just written (the OS file cache is warm, as after a window reload).',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`nproc\` ${os.cpus().length}, load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (a shared machine).`,
    '',
    '| Step | Result |',
    '|---|---:|',
    `| Baseline: \`fetchAuditLogBatches\` into an array (today's Load All), ${fmt(b.events)} events | ${ms(b.ms)}, ${rate(b.events, b.ms)} (CPU ${b.cpuS.toFixed(1)} s) |`,
    `| First sync into the archive (\`syncArchive\`, ${fmt(s.requests)} requests), ${fmt(s.events)} events | ${ms(s.ms)}, ${rate(s.events, s.ms)} (${(b.ms / s.ms).toFixed(2)}× the baseline's rate; CPU ${s.cpuS.toFixed(1)} s, ${(b.cpuS / s.cpuS).toFixed(2)}× the baseline's) |`,
    `| Archive file after close, against the raw JSON the API sent (${mb(b.rawBytes)}) | ${mb(s.fileBytes)}, **${ratioRaw.toFixed(2)}×** |`,
    `| Reopen: open + migrate check | ${ms(r.openMs)} |`,
    `| Grouped tree after reopen: \`groups({}, 'typeProject')\`, ${r.groups} types | **${ms(r.groupsMs)}** (open + tree ${ms(r.openMs + r.groupsMs)}) |`,
    `| Filter by actor (\`actor_ids\` ${r.actor.value}): count ${fmt(r.actor.count)} + first page of ${r.actor.page} | **${ms(r.actor.ms)}** |`,
    `| Filter by type (${r.type.value}): count ${fmt(r.type.count)} + first page of ${r.type.page} | **${ms(r.type.ms)}** |`,
    `| Filter by project (${r.project.value}): count ${fmt(r.project.count)} + first page of ${r.project.page} | **${ms(r.project.ms)}** |`,
    `| Free text through FTS5 ("${r.text.value}"): count ${fmt(r.text.count)} + first page of ${r.text.page} | **${ms(r.text.ms)}** |`,
    `| Heap with the archive open (heapUsed after GC; SQLite's WebAssembly memory is outside it) | **${r.heapMB.toFixed(0)} MB** (WebAssembly + external ${r.externalMB.toFixed(0)} MB, RSS ${r.rssMB.toFixed(0)} MB) |`,
    `| \`PRAGMA integrity_check\` | ${r.integrity} |`,
    '',
    `Targets: archive ≤ 2× raw JSON: ${ratioRaw.toFixed(2)}×; grouped tree < 1 s after reopen: ${ms(r.openMs + r.groupsMs)}; filters < 100 ms: ` +
      `${ms(r.actor.ms)} / ${ms(r.type.ms)} / ${ms(r.project.ms)}; text query < 300 ms: ${ms(r.text.ms)}; heap < 200 MB: ${r.heapMB.toFixed(0)} MB.`,
    '',
  ];
  return lines.join('\n');
}

/** `doc` with its archive section replaced by `archive` (or appended), the other sections as they are. */
export function spliceArchiveSection(doc: string, archive: string): string {
  return spliceSection(doc, SECTION, archive);
}

async function child(argv: string[]): Promise<void> {
  const [phase, ...args] = argv;
  const result =
    phase === 'baseline' ? await baselineChild(args[0]!) : phase === 'sync' ? await syncChild(args[0]!, args[1]!) : await reopenChild(args[0]!);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

if (process.argv[2] === '--archive-child') {
  child(process.argv.slice(3)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
