/**
 * Insights bench (issue 14), `npm run bench -- --only insights [--events N]`: over an archive file of N sample
 * events (default 1,000,000), each as a ratio against a baseline measured in the same run on the same file:
 * - timeline and facets of the whole range, against the least any aggregate over every event does (one
 *   GROUP BY type over all rows): first call (the country of each IP read from its JSON) and later calls;
 * - after a brush (a tenth of the range), against the same GROUP BY over that range;
 * - the same per event (`rollups: false`, the GROUP BYs the panel ran before the rollups), and a type filter;
 * - state-as-of of a resource with 1,000 changes, against reading and JSON-parsing its 1,000 events;
 * - the one-time count of the rollups of an upgraded archive (total, and its longest step).
 * `--reuse-archive FILE` measures a copy of FILE (built there when missing) instead of building one.
 * The archive is built in a child process (scripts/bench.ts --build-archive) as the findings suite does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AuditArchive, MIGRATIONS, StreamOrder } from '../../src/core/archive';
import type { ParsedEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { ArchiveInsights } from '../../src/core/insights';
import { parseAuditEvent, parseAuditLogPage } from '../../src/core/model';
import { spliceSection } from './docSections';

const SECTION = '## Insights (issue 14)';
const ROOT = path.resolve(__dirname, '..', '..');
const REPS = 5;
const CHANGES = 1_000;
const RESOURCE = 'proj_bench_insights';

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(body: () => unknown): number {
  const t0 = performance.now();
  body();
  return performance.now() - t0;
}

function repeat(body: () => unknown): number {
  return median(Array.from({ length: REPS }, () => timed(body)));
}

/** A project created, then renamed 999 times, an hour apart each, ending before the archive's oldest event. */
function resourceHistory(before: number): ReturnType<typeof parseAuditLogPage>['data'] {
  const actor = { type: 'session', session: { user: { id: 'user_bench', email: 'bench@example.com' } } };
  const events: object[] = [];
  for (let i = CHANGES - 1; i >= 0; i--) {
    const t = before - (CHANGES - i) * 3600;
    const type = i === 0 ? 'project.created' : 'project.updated';
    const detail = i === 0 ? { id: RESOURCE, data: { name: 'bench', title: 'v0' } } : { id: RESOURCE, changes_requested: { title: `v${i}`, ...(i % 10 === 0 ? { description: `d${i}` } : {}) } };
    events.push({ id: `audit_log-bench-${i}`, type, effective_at: t, actor, [type]: detail });
  }
  return parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data;
}

interface Result {
  readonly events: number;
  readonly buildMs: number;
  readonly reused: boolean;
  readonly whole: { baseline: number; first: number; warm: number; message: number; perEvent: number; berlin: number; buckets: number; unit: string };
  readonly brush: { baseline: number; warm: number; message: number; perEvent: number; events: number; buckets: number; unit: string };
  readonly typed: { warm: number; perEvent: number };
  readonly upgrade: RollupBuild;
  readonly insert: InsertCost;
  readonly state: { baseline: number; warm: number; fields: number };
}

/** Events committed to time the rollups' cost to a sync, and the batch of each commit (the sync's). */
const INSERT_EVENTS = 100_000;
const INSERT_BATCH = 2_000;
const INSERT_REPS = 3;

interface InsertCost {
  /** Median wall of committing every event into a new file archive, without the rollups (schema v5) and with them (v6). */
  readonly v5: number;
  readonly v6: number;
  readonly bytes5: number;
  readonly bytes6: number;
}

/**
 * What keeping the rollups costs a sync: the same parsed events committed in the sync's windows into a new
 * file archive of schema v5 (no rollups) and of v6, alternately, parsing excluded; the ratio is the cost.
 */
async function insertCost(dir: string, log: (s: string) => void): Promise<InsertCost> {
  log(`  insights: committing ${fmt(INSERT_EVENTS)} events without and with the rollups`);
  const events = generateSampleOrganization({ seed: 6, eventCount: INSERT_EVENTS }).events as unknown as Array<{ id: string; effective_at: number }>;
  events.sort((a, b) => b.effective_at - a.effective_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const order = new StreamOrder();
  const batches: { events: ParsedEvent[]; ords: number[]; gte: number }[] = [];
  for (let i = 0; i < events.length; i += INSERT_BATCH) {
    const batch = events.slice(i, i + INSERT_BATCH).map((e) => parseAuditEvent(JSON.stringify(e)));
    const last = i + INSERT_BATCH >= events.length;
    batches.push({ events: batch, ords: order.assign(batch), gte: last ? 0 : Math.floor(batch[batch.length - 1]!.event.effective_at) + 1 });
  }
  const top = Math.floor(events[0]!.effective_at) + 1;
  const walls: Record<5 | 6, number[]> = { 5: [], 6: [] };
  const bytes: Record<5 | 6, number> = { 5: 0, 6: 0 };
  for (let rep = 0; rep < INSERT_REPS; rep++) {
    for (const version of [5, 6] as const) {
      const file = path.join(dir, `insert-v${version}-${rep}.sqlite3`);
      const archive = await AuditArchive.open(file, { migrations: MIGRATIONS.slice(0, version) });
      const t0 = performance.now();
      for (const b of batches) archive.commitWindow(b.events, { gte: b.gte, lt: top }, { ords: b.ords });
      walls[version].push(performance.now() - t0);
      archive.close();
      bytes[version] = fs.statSync(file).size;
      fs.rmSync(file, { force: true });
    }
  }
  return { v5: median(walls[5]), v6: median(walls[6]), bytes5: bytes[5], bytes6: bytes[6] };
}

interface RollupBuild {
  readonly ms: number;
  readonly steps: number;
  readonly longestStepMs: number;
  /** Rows of the rollups per grain after the build. */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * The one-time count of an archive upgraded to schema v6: the rollups emptied and marked unbuilt (a v5 file
 * opened by this build starts so), then counted as the panel does, step by step; the longest step is how long
 * the host is held at once.
 */
async function upgradeBuild(archive: AuditArchive, insights: ArchiveInsights): Promise<RollupBuild> {
  archive.writeSql((sql) => {
    sql.run('DELETE FROM insights_counts');
    sql.run("UPDATE insights_state SET value = coalesce((SELECT (max(effective_at) / 86400 + 1) * 86400 FROM events), value) WHERE key = 'built_from'");
  });
  let steps = 0;
  let longest = 0;
  let last = performance.now();
  const t0 = last;
  await insights.buildRollups(undefined, async () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    steps++;
    await new Promise((r) => setImmediate(r));
    last = performance.now();
  });
  const ms = performance.now() - t0;
  longest = Math.max(longest, performance.now() - last);
  const rows: Record<string, number> = {};
  for (const r of archive.readSql((sql) => sql.all('SELECT grain, count(*) AS n FROM insights_counts GROUP BY grain'))) rows[String(r.grain)] = Number(r.n);
  return { ms, steps: steps + 1, longestStepMs: longest, rows };
}

function groupByType(archive: AuditArchive, gte: number, lte: number): number {
  return archive.readSql((sql) => sql.all('SELECT type_ref, count(*) AS n FROM events WHERE effective_at >= ? AND effective_at <= ? GROUP BY type_ref', [gte, lte]).length);
}

async function measure(file: string, count: number, buildMs: number, reused: boolean, log: (s: string) => void): Promise<Result> {
  const insert = await insertCost(path.dirname(file), log);
  const archive = await AuditArchive.open(file);
  try {
    const { oldest, newest } = archive.stats();
    archive.commitWindow(resourceHistory(oldest!));
    const lo = oldest! - CHANGES * 3600;
    const hi = newest!;
    const insights = new ArchiveInsights(archive);
    log(`  insights: counting the rollups as an upgraded archive does`);
    const upgrade = await upgradeBuild(archive, insights);
    const options = { zone: 'UTC', now: hi };
    const perEvent = { ...options, rollups: false };
    log(`  insights: ${fmt(count)} events, whole range`);
    const wholeBase = repeat(() => groupByType(archive, lo, hi));
    let snap = insights.snapshot({}, options);
    const first = timed(() => (snap = new ArchiveInsights(archive).snapshot({}, options)));
    const warm = repeat(() => (snap = insights.snapshot({}, options)));
    // What the panel sends first: the timeline and five facets (the user agents follow in their own message).
    const message = repeat(() => insights.snapshot({}, { ...options, userAgent: false }));
    const wholePerEvent = repeat(() => sameAs(snap, insights.snapshot({}, perEvent)));
    const berlin = repeat(() => insights.snapshot({}, { ...options, zone: 'Europe/Berlin' }));
    const wholeBuckets = snap.timeline.buckets.length;
    const wholeUnit = snap.timeline.unit;
    if (snap.timeline.total !== count + CHANGES) throw new Error(`the timeline counts ${snap.timeline.total} of ${count + CHANGES}`);
    log(`  insights: after a brush`);
    const gte = Math.floor(hi - (hi - lo) / 10);
    const brushQuery = { effectiveAt: { gte, lte: hi } };
    const brushBase = repeat(() => groupByType(archive, gte, hi));
    const brushMessage = repeat(() => insights.snapshot(brushQuery, { ...options, userAgent: false }));
    const brushWarm = repeat(() => (snap = insights.snapshot(brushQuery, options)));
    const brushPerEvent = repeat(() => sameAs(snap, insights.snapshot(brushQuery, perEvent)));
    const brush = { baseline: brushBase, warm: brushWarm, message: brushMessage, perEvent: brushPerEvent, events: snap.timeline.total, buckets: snap.timeline.buckets.length, unit: snap.timeline.unit };
    log(`  insights: a type filter`);
    const typeQuery = { eventTypes: ['login.succeeded'] };
    const typedWarm = repeat(() => (snap = insights.snapshot(typeQuery, options)));
    const typedPerEvent = repeat(() => sameAs(snap, insights.snapshot(typeQuery, perEvent)));
    log(`  insights: state as of, ${fmt(CHANGES)} changes`);
    const at = oldest! - 1;
    const stateBase = repeat(() =>
      archive.readSql((sql) => sql.all('SELECT r.raw FROM events e JOIN event_raw r ON r.seq = e.seq WHERE e.resource_id = ?', [RESOURCE]).map((r) => JSON.parse(String(r.raw)) as unknown).length),
    );
    let fields = 0;
    const stateWarm = repeat(() => (fields = Object.keys(insights.stateAsOf(RESOURCE, at).fields).length));
    const state = insights.stateAsOf(RESOURCE, at);
    if (state.fields['title']?.value !== `v${CHANGES - 1}`) throw new Error(`state as of read ${JSON.stringify(state.fields['title'])}`);
    return {
      events: count,
      buildMs,
      reused,
      whole: { baseline: wholeBase, first, warm, message, perEvent: wholePerEvent, berlin, buckets: wholeBuckets, unit: wholeUnit },
      brush,
      typed: { warm: typedWarm, perEvent: typedPerEvent },
      upgrade,
      insert,
      state: { baseline: stateBase, warm: stateWarm, fields },
    };
  } finally {
    archive.close();
  }
}

/** The bench fails when the rollups' answer differs from the per-event one it is timed against (key order aside). */
function sameAs(expected: unknown, actual: unknown): void {
  if (!isDeepStrictEqual(expected, actual)) throw new Error('BENCH FAILED: the rollups and the per-event GROUP BYs disagree');
}

/**
 * `reuse`: an archive file to measure a copy of (built there first when missing), so iterating skips the build;
 * the figures in docs/benchmarks.md come from a run without it.
 */
export async function runInsightsBench(count = 1_000_000, log: (line: string) => void = console.log, command = 'npm run bench -- --only insights', reuse?: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-insights-bench-'));
  try {
    const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
    const file = path.join(dir, 'big.sqlite3');
    const source = reuse !== undefined && fs.existsSync(reuse) ? reuse : undefined;
    const t0 = performance.now();
    if (source === undefined) {
      log(`  insights: building an archive of ${fmt(count)} events`);
      execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', path.join(ROOT, 'scripts', 'bench.ts'), '--build-archive', String(count), reuse ?? file], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    const buildMs = performance.now() - t0;
    if (reuse !== undefined) fs.copyFileSync(reuse, file);
    return report(await measure(file, count, buildMs, source !== undefined, log), { command, load });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: Result, run: { command: string; load: string }): string {
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
  const speedup = (slow: number, fast: number): string => `${(slow / fast).toFixed(1)}x faster`;
  const met = (value: number, target: number): string => (value < target ? 'met' : '**missed**');
  const rows = Object.entries(r.upgrade.rows)
    .sort((a, b) => Number(b[0]) - Number(a[0]))
    .map(([grain, n]) => `${fmt(n)} rows of ${grain === '86400' ? 'days' : grain === '900' ? '15-minute slots' : `${grain} s`}`)
    .join(', ');
  return [
    SECTION,
    '',
    `\`${run.command}\` on ${os.cpus()[0]?.model ?? 'this machine'} (nproc ${os.cpus().length}, load ${run.load} at the start), Node ${process.version}. An archive file of ${fmt(r.events)} sample events (seed 6) plus one project with ${fmt(CHANGES)} changes, read in this process through \`AuditArchive.readSql\` (src/core/insights). The timeline and facets are read from the rollups (schema v6, src/core/archive/rollups.ts: counts per 15-minute slot and per UTC day by type, actor, project, IP and user agent) where the filters allow, the edges of a range from the events; "per event" is the same call with \`rollups: false\` (the GROUP BYs over every matching event the panel ran before the rollups), measured in the same run, and checked to give the identical answer. Zone UTC unless said. Medians of ${REPS} runs unless said.`,
    '',
    '| measurement | wall | ratio | target |',
    '| --- | ---: | ---: | --- |',
    `| baseline: GROUP BY type over every event | ${ms(r.whole.baseline)} | 1.00x | |`,
    `| timeline (${r.whole.buckets} ${r.whole.unit} bars) and six facets, whole range, first call (one run: reads each IP's country from its JSON) | ${ms(r.whole.first)} | ${ratio(r.whole.first, r.whole.baseline)} | |`,
    `| timeline and all six facets, whole range | ${ms(r.whole.warm)} | ${ratio(r.whole.warm, r.whole.baseline)} | < 500 ms: ${met(r.whole.warm, 500)} |`,
    `| the panel's first message (timeline and five facets; the user agents follow), whole range | ${ms(r.whole.message)} | ${ratio(r.whole.message, r.whole.baseline)} | < 500 ms: ${met(r.whole.message, 500)} |`,
    `| the same in Europe/Berlin (local days: the timeline reads the 15-minute slots) | ${ms(r.whole.berlin)} | ${ratio(r.whole.berlin, r.whole.baseline)} | < 500 ms: ${met(r.whole.berlin, 500)} |`,
    `| per event: timeline and all six facets, whole range | ${ms(r.whole.perEvent)} | ${ratio(r.whole.perEvent, r.whole.baseline)} | (rollups ${speedup(r.whole.perEvent, r.whole.warm)}) |`,
    `| baseline: GROUP BY type over the brushed tenth (${fmt(r.brush.events)} events) | ${ms(r.brush.baseline)} | 1.00x | |`,
    `| timeline (${r.brush.buckets} ${r.brush.unit} bars) and all six facets after a brush | ${ms(r.brush.warm)} | ${ratio(r.brush.warm, r.brush.baseline)} | < 200 ms: ${met(r.brush.warm, 200)} |`,
    `| the panel's first message after a brush | ${ms(r.brush.message)} | ${ratio(r.brush.message, r.brush.baseline)} | < 200 ms: ${met(r.brush.message, 200)} |`,
    `| per event: timeline and all six facets after a brush | ${ms(r.brush.perEvent)} | ${ratio(r.brush.perEvent, r.brush.baseline)} | (rollups ${speedup(r.brush.perEvent, r.brush.warm)}) |`,
    `| a type filter (login.succeeded), whole range: timeline and type facet from the rollups, the other facets per event | ${ms(r.typed.warm)} | ${ratio(r.typed.warm, r.whole.baseline)} | |`,
    `| per event: the same type filter | ${ms(r.typed.perEvent)} | ${ratio(r.typed.perEvent, r.whole.baseline)} | |`,
    `| baseline: read and JSON-parse the resource's ${fmt(CHANGES)} events | ${ms(r.state.baseline)} | 1.00x | |`,
    `| state as of, ${fmt(CHANGES)} changes (${r.state.fields} fields) | ${ms(r.state.warm)} | ${ratio(r.state.warm, r.state.baseline)} | < 100 ms: ${met(r.state.warm, 100)} |`,
    `| one-time count of the rollups of an archive upgraded to v6 (one run, ${r.upgrade.steps} steps, the host free between them) | ${ms(r.upgrade.ms)} | ${ratio(r.upgrade.ms, r.whole.baseline)} | |`,
    `| its longest step (the longest the host is held at once) | ${ms(r.upgrade.longestStepMs)} | ${ratio(r.upgrade.longestStepMs, r.whole.baseline)} | |`,
    `| baseline: commit ${fmt(INSERT_EVENTS)} events in windows of ${fmt(INSERT_BATCH)} into a new file archive without the rollups (schema v5; median of ${INSERT_REPS}) | ${ms(r.insert.v5)} | 1.00x | |`,
    `| the same with the rollups kept (v6) | ${ms(r.insert.v6)} | ${ratio(r.insert.v6, r.insert.v5)} | |`,
    `| file size after those commits, v5 → v6 | ${(r.insert.bytes5 / 1e6).toFixed(0)} MB → ${(r.insert.bytes6 / 1e6).toFixed(0)} MB | ${ratio(r.insert.bytes6, r.insert.bytes5)} | |`,
    '',
    `**Targets at ${fmt(r.events)} events.** Whole range: ${ms(r.whole.warm)} for the timeline and all six facets, ${ms(r.whole.message)} for the panel's first message (${ms(r.whole.berlin)} in a zone with local days), target < 500 ms: ${met(Math.max(r.whole.warm, r.whole.berlin), 500)}. After a brush: ${ms(r.brush.warm)} and ${ms(r.brush.message)}, target < 200 ms: ${met(Math.max(r.brush.warm, r.brush.message), 200)}. State as of: ${ms(r.state.warm)}, target < 100 ms: ${met(r.state.warm, 100)}. Keeping the rollups costs a sync ${ratio(r.insert.v6, r.insert.v5)} the commit time and ${ratio(r.insert.bytes6, r.insert.bytes5)} the file size.`,
    '',
    `What is still counted per event: a search, an actor, project or resource filter (or a tree group of one), and under a type filter every facet but the type (the rollups are keyed by time and one dimension; the "type filter" row is about as slow as before). The per-event GROUP BYs sort every matching row (the timeline by bucket, the user agents by agent), which is why no faster pass met the targets; the rollups replace that by a few thousand rows: whole UTC days inside the range, 15-minute slots at its edges, the seconds left from the events. An archive upgraded to v6 starts uncounted and is counted newest first on the panel's first use, a few thousand events per step with the host free between steps; its numbers are exact meanwhile (what is not counted yet is read per event).`,
    '',
    `The rollups of ${fmt(r.events + CHANGES)} events: ${rows}. ${r.reused ? 'The archive file was reused (--reuse-archive), not built in this run.' : `Building the archive took ${ms(r.buildMs)} (its inserts keep the rollups; not part of any figure).`} Single runs on a shared machine: compare the ratios, not the wall times.`,
    '',
  ].join('\n');
}

export function spliceInsightsSection(doc: string, section: string): string {
  return spliceSection(doc, SECTION, section);
}
