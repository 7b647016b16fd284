/**
 * Search bench (issue 12), `npm run bench -- --only search [--events N]`: the query language over an
 * archive of N sample events (default 1,000,000), each search answered as the search command and the box
 * answer it (the count, then the newest 100 events), as a ratio against a baseline in the same run:
 * - a field query the API filters could express too (`type:`, `actor:`) against the archive's own
 *   filter read of the same thing (`count` + `events` with `eventTypes` / `actorEmails`);
 * - a field the API cannot filter by (`ip:`), a combination, and a JSON path, against the same baseline;
 * - a text query against the archive's existing FTS5 search of the same word (`searchCount` + `search`).
 * The live count: a query typed one character at a time at 100,000 events (every keystroke compiles,
 * counts, lists the newest 20 and completes the last word), against the plain count of the same API filter.
 * The archives are built in a child process (scripts/bench.ts --build-archive), as the other suites do.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditLogQuery } from '../../src/core/api/query';
import { AuditArchive } from '../../src/core/archive';
import { completionsFor, withSearch } from '../../src/core/query';
import { spliceSection } from './docSections';

const SECTION = '## Search (issue 12)';
const ROOT = path.resolve(__dirname, '..', '..');
const LIVE = 100_000;
const REPS = 5;
const PAGE = 100;

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function build(count: number, file: string): void {
  execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', path.join(ROOT, 'scripts', 'bench.ts'), '--build-archive', String(count), file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Median wall ms of `body` over REPS runs (after one warm-up), and its last value. */
function timed<T>(body: () => T): { ms: number; value: T } {
  let value = body();
  const runs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    value = body();
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), value };
}

/** The answer to a search: its count and its newest page, as the command and the box read them. */
const answer = (archive: AuditArchive, query: AuditLogQuery): number => {
  const n = archive.count(query);
  archive.events(query, { limit: PAGE });
  return n;
};

interface Row {
  readonly what: string;
  readonly query: string;
  readonly matches: number;
  readonly ms: number;
  readonly baseline: string;
  readonly baselineMs: number;
  readonly target?: string;
}

/** Values of the archive to search for: a common type, a busy actor's email, a busy IP, a word of the text. */
function pick(archive: AuditArchive): { type: string; email: string; ip: string; word: string } {
  return archive.readSql((sql) => {
    const type = String(sql.get('SELECT t.name AS v FROM events e JOIN types t ON t.ref = e.type_ref GROUP BY e.type_ref ORDER BY count(*) DESC LIMIT 1 OFFSET 3')?.['v']);
    const email = String(sql.get('SELECT a.email AS v FROM events e JOIN actors a ON a.ref = e.actor_ref WHERE a.email IS NOT NULL GROUP BY a.email ORDER BY count(*) DESC LIMIT 1 OFFSET 2')?.['v']);
    const ip = String(sql.get('SELECT ip AS v FROM events WHERE ip IS NOT NULL GROUP BY ip ORDER BY count(*) DESC LIMIT 1 OFFSET 5')?.['v']);
    return { type, email, ip, word: 'Firefox' };
  });
}

function measureBig(archive: AuditArchive, now: number): Row[] {
  const v = pick(archive);
  const search = (q: string) => withSearch({}, q, now);
  const typeBase = timed(() => answer(archive, { eventTypes: [v.type] }));
  const actorBase = timed(() => answer(archive, { actorEmails: [v.email] }));
  const textBase = timed(() => {
    const n = archive.searchCount(v.word);
    archive.search(v.word, {}, { limit: PAGE });
    return n;
  });
  const row = (what: string, q: string, base: { ms: number }, baseline: string, target?: string): Row => {
    const r = timed(() => answer(archive, search(q)));
    return { what, query: q, matches: r.value, ms: r.ms, baseline, baselineMs: base.ms, ...(target ? { target } : {}) };
  };
  const typeBaseline = `archive filter eventTypes (${ms(typeBase.ms)})`;
  return [
    row('field (type)', `type:${v.type}`, typeBase, typeBaseline, '< 300 ms'),
    row('field (actor email)', `actor:${v.email}`, actorBase, `archive filter actorEmails (${ms(actorBase.ms)})`, '< 300 ms'),
    row('field the API cannot filter (ip)', `ip:${v.ip}`, typeBase, typeBaseline, '< 300 ms'),
    row('text (FTS5)', v.word, textBase, `archive.search of the same word (${ms(textBase.ms)})`, '< 300 ms'),
    row('text prefix', 'Firef*', textBase, `archive.search of "${v.word}" (${ms(textBase.ms)})`),
    row('combined', `type:${v.type.split('.')[0]}.* -actor:${v.email} last:30d`, typeBase, typeBaseline),
    row('phrase (FTS5, then the wire text)', '"Mozilla/5.0 (X11"', textBase, `archive.search of "${v.word}" (${ms(textBase.ms)})`),
    row('JSON path (json_each over the wire text)', 'actor.session.ip_address_details.country:JP', typeBase, typeBaseline),
  ];
}

interface Live {
  readonly keystrokes: number;
  readonly median: number;
  readonly max: number;
  /** CPU ms per keystroke (steadier than wall time on a shared machine). */
  readonly cpuMedian: number;
  readonly cpuMax: number;
  readonly baseline: number;
  readonly query: string;
}

/** Types `query` one character at a time: each keystroke compiles, counts, lists 20 and completes. */
function measureLive(archive: AuditArchive, now: number): Live {
  const v = pick(archive);
  const query = `type:${v.type} -ip:${v.ip} ${v.word.toLowerCase()}`;
  const per: number[] = [];
  const cpu: number[] = [];
  for (let i = 1; i <= query.length; i++) {
    const text = query.slice(0, i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const q = withSearch({}, text, now);
    archive.count(q);
    archive.events(q, { limit: 20 });
    archive.readSql((sql) => completionsFor(text, sql));
    per.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const base = timed(() => archive.count({ eventTypes: [v.type] }));
  return { keystrokes: per.length, median: median(per), max: Math.max(...per), cpuMedian: median(cpu), cpuMax: Math.max(...cpu), baseline: base.ms, query };
}

export async function runSearchBench(count = 1_000_000, log: (line: string) => void = console.log, command = 'npm run bench -- --only search'): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-search-bench-'));
  try {
    const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
    const liveFile = path.join(dir, 'live.sqlite3');
    const bigFile = path.join(dir, 'big.sqlite3');
    log(`  search: building archives of ${fmt(LIVE)} and ${fmt(count)} events`);
    build(LIVE, liveFile);
    build(count, bigFile);
    const now = Date.now() / 1000;
    const liveArchive = await AuditArchive.open(liveFile);
    let live: Live;
    try {
      log(`  search: live count at ${fmt(LIVE)} events`);
      live = measureLive(liveArchive, now);
    } finally {
      liveArchive.close();
    }
    const archive = await AuditArchive.open(bigFile);
    let rows: Row[];
    try {
      log(`  search: queries at ${fmt(count)} events`);
      rows = measureBig(archive, now);
    } finally {
      archive.close();
    }
    return report(count, rows, live, { command, load });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(count: number, rows: Row[], live: Live, run: { command: string; load: string }): string {
  return [
    SECTION,
    '',
    `\`${run.command}\` on ${os.cpus()[0]?.model ?? 'this machine'} (nproc ${os.cpus().length}, load ${run.load} at the start), Node ${process.version}. An archive file of ${fmt(count)} events of the sample organization (seed 6), in this process. A search's answer is its count and its newest ${PAGE} events (what the search command and the box read); median of ${REPS} runs after a warm-up.`,
    '',
    '| search | query | matches | answer | baseline | ratio | target |',
    '| --- | --- | ---: | ---: | --- | ---: | --- |',
    ...rows.map((r) => `| ${r.what} | \`${r.query.replace(/\|/g, '\\|')}\` | ${fmt(r.matches)} | ${ms(r.ms)} | ${r.baseline} | ${(r.ms / r.baselineMs).toFixed(2)}x | ${r.target ?? ''} |`),
    '',
    `Live count in the search box at ${fmt(LIVE)} events: \`${live.query}\` typed one character at a time (${live.keystrokes} keystrokes), each compiling the text, counting, listing the newest 20 and completing the last word: median ${ms(live.median)}, slowest ${ms(live.max)} per keystroke (CPU: median ${ms(live.cpuMedian)}, slowest ${ms(live.cpuMax)}; target < 100 ms), against ${ms(live.baseline)} for the plain count of the same type filter (${(live.median / live.baseline).toFixed(2)}x). The box also waits 40 ms after the last keystroke before it asks.`,
    '',
    'Fields go to the indexed columns (`=` on `ip`, `resource_id`, `id`) or to the dictionary tables (types, actors, projects, agents: a few hundred rows), so a field query costs about what the same API filter costs the archive; words go to the FTS5 index; a phrase narrows by its words first and then checks the wire text; a JSON path reads the wire text of every event the other terms leave (the slowest kind: combine it with a field). Single runs on a shared machine: compare the ratios, not the wall times.',
    '',
  ].join('\n');
}

export function spliceSearchSection(doc: string, section: string): string {
  return spliceSection(doc, SECTION, section);
}
