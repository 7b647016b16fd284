/**
 * Runs the rules over the archive, incrementally: each run reads only the events after the last evaluated
 * `seq` (and, for windowed rules, the events of their types within their window around them), so a sync
 * that added 100 events costs the same at any archive size. Events arrive out of time order (a first sync
 * goes newest first; a resumed one fills older gaps), which every rule kind tolerates: windowed findings
 * merge with the stored ones they touch, first-seen rules keep each value's earliest event.
 *
 * New events are cut into time slices (at most SLICE events, and a new slice wherever two new events are
 * more than twice the longest window apart), each read with its lookback in one indexed time-range query
 * and merged in one transaction. The last evaluated `seq` is written when every slice is done; a run that
 * stops half way is repeated, which stores nothing twice.
 */
import type { ArchiveSql, AuditArchive, SqlValue } from '../archive';
import type { AuditEvent } from '../model';
import { compileRule, describeFinding, type CompiledRule } from './compiledRule';
import { detectEach, detectSequence, detectThreshold, newValues, seenPairs, type Candidate, type FindingDraft } from './detect';
import { factsOf, type RoleDirectory } from './eventFacts';
import { clearFindings, deleteFinding, mergeWindowed, putFinding, putPair, readState, storedPairs, writeState } from './findingsStore';
import { globToRegExp } from './predicate';
import { ArchiveRoles } from './roles';
import type { Rule, Severity } from './ruleSchema';

/**
 * New events per slice at most: small enough that one slice (read, parse, rules, merge) holds the extension
 * host for a few tens of milliseconds, since a first run over 1,000,000 events would otherwise starve every
 * other asynchronous task for its whole run (measured in the host, a filter change during that run: 19.9 s with
 * slices of 25,000, 1.7 s with 2,500 and the store's loads awaited). Slices of 1,000 measured 1.5x slower from
 * scratch and found 2 findings fewer of 189,553 at 1,000,000 events: how a windowed finding merges across slice
 * edges is not yet independent of the slicing at that size (not investigated yet).
 */
const SLICE = 2_500;
/** Up to this many new events the run walks them by seq (the primary key); more (a first run), by time. */
const SEQ_WALK = 25_000;

export interface EvaluationResult {
  /** Events evaluated in this run (after the last evaluated seq). */
  readonly evaluated: number;
  /** Findings this run created, with their severity. */
  readonly created: readonly { id: string; severity: Severity }[];
  /** True when the rules changed and every finding was computed again. */
  readonly recomputed: boolean;
}

export class FindingsEngine {
  readonly rules: readonly CompiledRule[];
  private readonly hash: string;

  constructor(rules: readonly Rule[]) {
    this.rules = rules.filter((r) => r.enabled).map(compileRule);
    this.hash = hashText(JSON.stringify(this.rules.map((r) => r.rule)));
  }

  /** Evaluates what is new, in one go. */
  evaluate(archive: AuditArchive): EvaluationResult {
    const steps = this.steps(archive);
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
    }
  }

  /**
   * Evaluates what is new, yielding to the event loop between slices (the extension host stays responsive on a
   * first run over a large archive), and before each next slice awaiting `between` when given (the host passes
   * "the store's loads are done", so a filter change or a page load is not kept waiting behind the run).
   */
  async evaluateAsync(archive: AuditArchive, between?: () => Promise<unknown>): Promise<EvaluationResult> {
    const steps = this.steps(archive);
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
      await between?.();
    }
  }

  /** The run, one slice per step; each slice is committed on its own, the last evaluated seq at the end. */
  private *steps(archive: AuditArchive): Generator<void, EvaluationResult> {
    const { lastSeq, maxSeq, recomputed } = this.prepare(archive);
    if (maxSeq <= lastSeq) return { evaluated: 0, created: [], recomputed };
    const refs = archive.readSql((sql) => this.typeRefs(sql));
    const range = { lastSeq, maxSeq };
    const buckets = archive.readSql((sql) => newBuckets(sql, range, refs.union));
    const created: { id: string; severity: Severity }[] = [];
    const roles = new ArchiveRoles(archive);
    for (const slice of slices(buckets, 2 * this.longestWindow())) {
      const candidates = archive.readSql((sql) => this.readSlice(sql, slice, range, refs));
      archive.writeSql((sql) => {
        for (const r of this.rules) created.push(...this.applyRule(sql, r, candidates.filter((c) => refs.byRule.get(r)!(c.typeRef)), roles));
      });
      yield;
    }
    archive.writeSql((sql) => writeState(sql, 'last_seq', String(maxSeq)));
    return { evaluated: buckets.reduce((n, b) => n + b.count, 0), created, recomputed };
  }

  /** The stored state; a change of rules (or an archive whose events were replaced) starts over. */
  private prepare(archive: AuditArchive): { lastSeq: number; maxSeq: number; recomputed: boolean } {
    const state = archive.readSql((sql) => ({
      hash: readState(sql, 'rules_hash'),
      lastSeq: Number(readState(sql, 'last_seq') ?? 0),
      maxSeq: Number(sql.get('SELECT max(seq) AS m FROM events')?.['m'] ?? 0),
    }));
    if (state.hash === this.hash && state.lastSeq <= state.maxSeq) return { ...state, recomputed: false };
    archive.writeSql((sql) => {
      clearFindings(sql);
      writeState(sql, 'rules_hash', this.hash);
      writeState(sql, 'last_seq', '0');
    });
    return { lastSeq: 0, maxSeq: state.maxSeq, recomputed: state.hash !== undefined };
  }

  private longestWindow(): number {
    return Math.max(0, ...this.rules.map((r) => (r.rule.kind === 'threshold' || r.rule.kind === 'sequence' ? (r.rule.windowSeconds ?? 0) : 0)));
  }

  /** Each rule's test of a type ref, and the refs any rule can match (undefined: every type). */
  private typeRefs(sql: ArchiveSql): TypeRefs {
    const types = sql.all('SELECT ref, name FROM types').map((r) => ({ ref: Number(r['ref']), name: String(r['name']) }));
    const byRule = new Map<CompiledRule, (ref: number) => boolean>();
    const union = new Set<number>();
    const windowed = new Set<number>();
    let everything = false;
    let everyWindowed = false;
    for (const r of this.rules) {
      const isWindowed = r.rule.kind === 'threshold' || r.rule.kind === 'sequence';
      if (!r.types) {
        everything = true;
        everyWindowed ||= isWindowed;
        byRule.set(r, () => true);
        continue;
      }
      const globs = r.types.map(globToRegExp);
      const refs = new Set(types.filter((t) => globs.some((g) => g.test(t.name))).map((t) => t.ref));
      for (const ref of refs) {
        union.add(ref);
        if (isWindowed) windowed.add(ref);
      }
      byRule.set(r, (ref) => refs.has(ref));
    }
    return { union: everything ? undefined : [...union], windowed: everyWindowed ? undefined : [...windowed], byRule };
  }

  /**
   * The slice's new events (any rule type), and its lookback for the windowed rules: the events of their
   * types within the longest window around the slice that are not new events of this slice (older ones, and
   * new ones of the neighbouring slices, which are not new here).
   */
  private readSlice(sql: ArchiveSql, slice: Slice, range: SeqRange, refs: TypeRefs): (Candidate & { typeRef: number })[] {
    const w = this.longestWindow();
    // Few new events: walk them by seq (the primary key); many (a first run): by time, and `+` keeps SQLite off the other index.
    const bySeq = range.maxSeq - range.lastSeq <= SEQ_WALK;
    const where = bySeq ? 'e.seq > ? AND e.seq <= ? AND +e.effective_at >= ? AND +e.effective_at <= ?' : '+e.seq > ? AND +e.seq <= ? AND e.effective_at >= ? AND e.effective_at <= ?';
    const fresh = readEvents(sql, where, [range.lastSeq, range.maxSeq, slice.from, slice.to], refs.union, true, bySeq);
    if (refs.windowed !== undefined && refs.windowed.length === 0) return fresh;
    const lookback = readEvents(
      sql,
      'e.effective_at >= ? AND e.effective_at <= ? AND +e.seq <= ? AND NOT (e.seq > ? AND e.effective_at >= ? AND e.effective_at <= ?)',
      [slice.from - w, slice.to + w, range.maxSeq, range.lastSeq, slice.from, slice.to],
      refs.windowed,
      false,
    );
    return [...fresh, ...lookback];
  }

  private applyRule(sql: ArchiveSql, r: CompiledRule, candidates: Candidate[], roles: RoleDirectory): { id: string; severity: Severity }[] {
    if (candidates.length === 0) return [];
    const kind = r.rule.kind;
    if (kind === 'firstSeen') return applyFirstSeen(sql, r, candidates.filter((c) => c.isNew), roles);
    const window = r.rule.windowSeconds ?? 0;
    const drafts = kind === 'each' ? detectEach(r, candidates, roles) : kind === 'threshold' ? detectThreshold(r, candidates, roles) : detectSequence(r, candidates, roles);
    return drafts.filter((d) => (kind === 'each' ? putFinding(sql, d) : mergeWindowed(sql, d, window))).map((d) => ({ id: d.id, severity: d.severity }));
  }
}

/**
 * A first-seen rule over new events: each (group, value) pair keeps its earliest event; every value of a
 * group but the earliest is a finding on the event that first brought it. An older event arriving later can
 * make a new baseline, so the group's findings are recomputed from its stored pairs.
 */
function applyFirstSeen(sql: ArchiveSql, r: CompiledRule, fresh: Candidate[], roles: RoleDirectory): { id: string; severity: Severity }[] {
  const created: { id: string; severity: Severity }[] = [];
  const byId = new Map(fresh.map((c) => [c.event.id, c]));
  for (const [key, pairs] of seenPairs(r, fresh, roles)) {
    for (const p of pairs.values()) putPair(sql, r.rule.id, key, p);
    const wanted = new Map(newValues(storedPairs(sql, r.rule.id, key)).map((p) => [`${r.rule.id}:${key}:${p.value}`, p]));
    for (const row of sql.all('SELECT id FROM findings WHERE rule = ? AND group_key = ?', [r.rule.id, key])) {
      if (!wanted.has(String(row['id']))) deleteFinding(sql, String(row['id']));
    }
    for (const [id, p] of wanted) {
      const c = byId.get(p.firstEvent) ?? eventById(sql, p.firstEvent);
      if (!c) continue;
      const d = oneEventDraft(r, id, key, c.event, roles);
      if (putFinding(sql, d)) created.push({ id, severity: d.severity });
    }
  }
  return created;
}

function oneEventDraft(r: CompiledRule, id: string, key: string, event: AuditEvent, roles: RoleDirectory): FindingDraft {
  const at = Math.floor(event.effective_at);
  return { id, rule: r.rule.id, ...describeFinding(r, factsOf(event, roles)), groupKey: key, events: [{ id: event.id, at }], firstSeen: at, lastSeen: at };
}

function eventById(sql: ArchiveSql, id: string): Candidate | undefined {
  const row = sql.get('SELECT e.seq, r.raw FROM events e JOIN event_raw r ON r.seq = e.seq WHERE e.id = ?', [id]);
  const event = row ? parseEvent(String(row['raw'])) : undefined;
  return event ? { seq: Number(row!['seq']), event, isNew: false } : undefined;
}

interface Slice {
  readonly from: number;
  readonly to: number;
}

interface SeqRange {
  readonly lastSeq: number;
  readonly maxSeq: number;
}

/** Each rule's test of a type ref; the refs any rule can match, and those of the windowed rules (undefined: every type). */
interface TypeRefs {
  readonly union: number[] | undefined;
  readonly windowed: number[] | undefined;
  readonly byRule: Map<CompiledRule, (ref: number) => boolean>;
}

/** Seconds per bucket of the new events' time histogram (slices start and end on bucket edges). */
const BUCKET = 300;

interface Bucket {
  readonly start: number;
  readonly count: number;
}

/** Where the new events lie in time: counts per {@link BUCKET} seconds, counted in SQL (no row per event reaches JS). */
function newBuckets(sql: ArchiveSql, range: SeqRange, refs: number[] | undefined): Bucket[] {
  if (refs && refs.length === 0) return [];
  const params: SqlValue[] = [BUCKET, BUCKET, range.lastSeq, range.maxSeq];
  let where = 'seq > ? AND seq <= ?';
  if (refs) {
    // `+type_ref`: walk the seq range of the primary key, not every event of these types in their index.
    where += ` AND +type_ref IN (${refs.map(() => '?').join(',')})`;
    params.push(...refs);
  }
  return sql
    .all(`SELECT (effective_at / ?) * ? AS start, count(*) AS n FROM events WHERE ${where} GROUP BY 1 ORDER BY 1`, params)
    .map((r) => ({ start: Number(r['start']), count: Number(r['n']) }));
}

/** Time slices over the buckets: at most SLICE new events each (unless one bucket holds more), cut where buckets are more than `gap` apart. */
function slices(buckets: readonly Bucket[], gap: number): Slice[] {
  const out: Slice[] = [];
  let from: number | undefined;
  let to = 0;
  let count = 0;
  for (const b of buckets) {
    if (from !== undefined && (count + b.count > SLICE || b.start - to > gap)) {
      out.push({ from, to });
      from = undefined;
      count = 0;
    }
    from ??= b.start;
    to = b.start + BUCKET - 1;
    count += b.count;
  }
  if (from !== undefined) out.push({ from, to });
  return out;
}

/** Events matching `where` (of `refs`, or every type), parsed. */
function readEvents(sql: ArchiveSql, where: string, params: SqlValue[], refs: number[] | undefined, isNew: boolean, bySeq = false): (Candidate & { typeRef: number })[] {
  if (refs && refs.length === 0) return [];
  const all = [...params];
  let clause = where;
  if (refs) {
    clause += ` AND ${bySeq ? '+' : ''}e.type_ref IN (${refs.map(() => '?').join(',')})`;
    all.push(...refs);
  }
  const out: (Candidate & { typeRef: number })[] = [];
  for (const r of sql.all(`SELECT e.seq, e.type_ref, r.raw FROM events e JOIN event_raw r ON r.seq = e.seq WHERE ${clause}`, all)) {
    const event = parseEvent(String(r['raw']));
    if (event) out.push({ seq: Number(r['seq']), typeRef: Number(r['type_ref']), event, isNew });
  }
  return out;
}

function parseEvent(raw: string): AuditEvent | undefined {
  try {
    const v = JSON.parse(raw) as AuditEvent;
    return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.type === 'string' && Number.isFinite(v.effective_at) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** FNV-1a over the text, as 8 hex digits: tells a change of rules. */
function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
