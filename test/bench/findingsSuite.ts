/**
 * Findings bench (issue 13), `npm run bench -- --only findings [--events N]`: the built-in rules over an
 * archive of N sample events (default 1,000,000) from scratch, and after an incremental sync of 100 events,
 * each as a ratio against a baseline measured in the same run:
 * - from scratch against reading and JSON-parsing every event of the rules' types (the least any
 *   evaluation that looks at those events does);
 * - the incremental run at N events against the same run at 10,000 events (the cost of 100 new events should
 *   not depend on the archive's size).
 * The archives are built in a child process (scripts/bench.ts --build-archive) as the host-archive suite does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditArchive } from '../../src/core/archive';
import { effectiveRules, FindingsEngine } from '../../src/core/findings';
import { parseAuditLogPage } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { spliceSection } from './docSections';

const SECTION = '## Findings (issue 13)';
const ROOT = path.resolve(__dirname, '..', '..');
const SMALL = 10_000;
const REPS = 5;

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function build(count: number, file: string): void {
  execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', path.join(ROOT, 'scripts', 'bench.ts'), '--build-archive', String(count), file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function cpuMs<T>(body: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = body();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1000 };
}

/** Reads and parses every event of the rules' types: the baseline of an evaluation from scratch. */
function readAndParse(archive: AuditArchive, engine: FindingsEngine): number {
  const globs = engine.rules.flatMap((r) => r.types ?? ['*']).map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'));
  return archive.readSql((sql) => {
    const refs = sql.all('SELECT ref, name FROM types').filter((t) => globs.some((g) => g.test(String(t['name'])))).map((t) => Number(t['ref']));
    let n = 0;
    for (const r of sql.all(`SELECT r.raw FROM events e JOIN event_raw r ON r.seq = e.seq WHERE e.type_ref IN (${refs.map(() => '?').join(',')})`, refs)) {
      if ((JSON.parse(String(r['raw'])) as { id?: unknown }).id) n++;
    }
    return n;
  });
}

/** 100 new events an hour after the archive's newest, from another seed (so other ids), as a sync would add. */
function newBatch(archive: AuditArchive, rep: number) {
  const newest = archive.stats().newest ?? 0;
  const events = generateSampleOrganization({ seed: 900 + rep, eventCount: 100, endTime: newest + 3600 * (rep + 1), spanDays: 1 / 24 }).events;
  return parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data;
}

interface SizeResult {
  readonly events: number;
  readonly scratch: { wall: number; cpu: number; evaluated: number; findings: number };
  readonly baseline: { wall: number; cpu: number; parsed: number };
  readonly incremental: number[];
}

async function measure(count: number, file: string, log: (s: string) => void): Promise<SizeResult> {
  const archive = await AuditArchive.open(file);
  try {
    const engine = new FindingsEngine(effectiveRules({}, []).rules);
    log(`  findings: ${fmt(count)} events, baseline (read and parse the rules' types)`);
    const base = cpuMs(() => readAndParse(archive, engine));
    log(`  findings: ${fmt(count)} events, from scratch`);
    const scratch = cpuMs(() => engine.evaluate(archive));
    const findings = Number(archive.readSql((sql) => sql.get('SELECT count(*) AS n FROM findings')?.['n'] ?? 0));
    const incremental: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      archive.commitWindow(newBatch(archive, rep));
      const run = cpuMs(() => engine.evaluate(archive));
      if (run.value.evaluated === 0) throw new Error('the incremental run evaluated nothing');
      incremental.push(run.wall);
    }
    return { events: count, scratch: { wall: scratch.wall, cpu: scratch.cpu, evaluated: scratch.value.evaluated, findings }, baseline: { wall: base.wall, cpu: base.cpu, parsed: base.value }, incremental };
  } finally {
    archive.close();
  }
}

export async function runFindingsBench(count = 1_000_000, log: (line: string) => void = console.log, command = 'npm run bench -- --only findings'): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-findings-bench-'));
  try {
    const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
    log(`  findings: building archives of ${fmt(SMALL)} and ${fmt(count)} events`);
    const smallFile = path.join(dir, 'small.sqlite3');
    const bigFile = path.join(dir, 'big.sqlite3');
    build(SMALL, smallFile);
    build(count, bigFile);
    const small = await measure(SMALL, smallFile, log);
    const big = await measure(count, bigFile, log);
    return report(big, small, { command, load });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(big: SizeResult, small: SizeResult, run: { command: string; load: string }): string {
  const incBig = median(big.incremental);
  const incSmall = median(small.incremental);
  return [
    SECTION,
    '',
    `\`${run.command}\` on ${os.cpus()[0]?.model ?? 'this machine'} (nproc ${os.cpus().length}, load ${run.load} at the start), Node ${process.version}. The built-in rules (src/core/findings/builtinRules.ts) over an archive file of the sample organization (seed 6), in this process.`,
    '',
    '| measurement | events | wall | CPU | ratio | target |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| baseline: read and JSON-parse every event of the rules' types | ${fmt(big.baseline.parsed)} of ${fmt(big.events)} | ${ms(big.baseline.wall)} | ${ms(big.baseline.cpu)} | 1.00x | |`,
    `| findings from scratch (${fmt(big.scratch.findings)} findings) | ${fmt(big.events)} | ${ms(big.scratch.wall)} | ${ms(big.scratch.cpu)} | ${(big.scratch.wall / big.baseline.wall).toFixed(2)}x the baseline | < 2 s |`,
    `| after an incremental sync of 100 events, at ${fmt(small.events)} (baseline, median of ${REPS}) | 100 | ${ms(incSmall)} | | 1.00x | |`,
    `| after an incremental sync of 100 events, at ${fmt(big.events)} (median of ${REPS}) | 100 | ${ms(incBig)} | | ${(incBig / incSmall).toFixed(2)}x the ${fmt(small.events)}-event run | < 50 ms |`,
    '',
    `Targets: from scratch ${big.scratch.wall < 2000 ? 'met' : 'not met'} (${ms(big.scratch.wall)} against 2 s: the run reads and parses the candidate events in JS, and the baseline alone, reading and parsing them, takes ${ms(big.baseline.wall)}; meeting it needs the rules' inputs kept per event at write time, which every sync and the archive's size pay for: an evaluation in SQL over such per-event facts, tried in this session on a branch, took 3.91 s against 18.78 s for this engine in the same run, for about 1.5x the sync CPU, a file 1.99x the raw JSON before the Insights rollups (the archive's target is 2x) and an 18-28 s backfill when a 1,000,000-event archive is upgraded; not adopted); incremental ${incBig < 50 ? 'met' : 'not met'} (${ms(incBig)} against 50 ms).`,
    '',
    `From scratch the engine reads the events of the rules' types (${((100 * big.baseline.parsed) / big.events).toFixed(0)} % of this sample: logins are most of it) in time slices of 2,500 new events (each holding the host briefly) with each windowed rule's lookback, parses them and stores ${fmt(big.scratch.findings)} findings; an incremental run reads the events after the last evaluated seq and the window around them only. Single runs on a shared machine: compare the ratios, not the wall times.`,
    '',
  ].join('\n');
}

export function spliceFindingsSection(doc: string, section: string): string {
  return spliceSection(doc, SECTION, section);
}
