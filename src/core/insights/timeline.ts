/**
 * The timeline: counts of the filters' events per bucket, stacked by event family, as one GROUP BY over the
 * archive (bucket number × type reference); families are folded in here from the small types dictionary.
 */
import type { AuditLogQuery } from '../api/query';
import type { ArchiveSql } from '../archive/archiveSql';
import { whereOf, type ResolvedStep } from '../archive/repository';
import { ROLLUP_GRAINS } from '../archive/rollups';
import { planBuckets, type BucketPlan, type BucketUnit } from './buckets';
import { rangeOfQuery, rollupAnswers, rollupCounts, rollupScope } from './rollupCounts';

export interface TimelineBucket {
  readonly start: number;
  readonly end: number;
  readonly count: number;
  /** Counts by family (only those present in this bucket; families past the busiest ten as (other)). */
  readonly byFamily: Readonly<Record<string, number>>;
}

export interface Timeline {
  /** The range shown, inclusive Unix seconds; null when there is nothing to show (no events, no bounds). */
  readonly from: number | null;
  readonly to: number | null;
  readonly unit: BucketUnit;
  readonly step: number;
  readonly zone: string;
  readonly total: number;
  /** Families present ({@link chartFamily}), busiest first (the chart's stacking and legend order), the rest as (other). */
  readonly families: readonly string[];
  readonly buckets: readonly TimelineBucket[];
}

export interface TimelineOptions {
  readonly zone: string;
  /** For a range with a start and no end ("last 24 hours"): the end is now (Unix seconds). Without bounds: the events' span. */
  readonly now: number;
  /** A tree group the panel was opened on (its path), narrowing the filters. */
  readonly path?: readonly ResolvedStep[];
  /** False counts every event (the rollups' reference in tests and the bench); default true. */
  readonly rollups?: boolean;
}

/** The range `[from, to]` (inclusive) of the query: its bounds, or the matching events' oldest and newest. */
export function rangeOf(sql: ArchiveSql, query: AuditLogQuery, now: number, path: readonly ResolvedStep[] = []): { from: number; to: number } | undefined {
  const r = query.effectiveAt ?? {};
  let from = r.gte ?? (r.gt !== undefined ? r.gt + 1 : undefined);
  let to = r.lte ?? (r.lt !== undefined ? r.lt - 1 : undefined);
  if (from === undefined || to === undefined) {
    const where = whereOf(query, path);
    // Two statements: a lone min() or max() is one probe of an index, both in one statement a scan of every match.
    const lo = sql.get(`SELECT min(e.effective_at) AS m FROM events e${where.sql}`, where.params)?.m;
    const hi = sql.get(`SELECT max(e.effective_at) AS m FROM events e${where.sql}`, where.params)?.m;
    // "Since …" (a preset) runs to now, quiet end included; no bounds at all is the events' own span.
    if (to === undefined) to = from !== undefined ? Math.max(Math.floor(now), typeof hi === 'number' ? hi : from) : typeof hi === 'number' ? hi : undefined;
    if (from === undefined) from = typeof lo === 'number' ? lo : to;
  }
  if (from === undefined || to === undefined) return undefined;
  return { from: Math.floor(from), to: Math.floor(to) };
}

/**
 * A type's family on the chart: the part before the first dot (`tenant.sso.created` → `tenant`). Coarser than
 * the tree's family (`eventFamily`, before the last dot: `tenant.sso`), because a stack of bars stays
 * readable with a dozen colours, not with the hundred families the API's types make that way.
 */
export function chartFamily(type: string): string {
  const dot = type.indexOf('.');
  return dot < 0 ? type : type.slice(0, dot);
}

/** Stacks on the chart at most: the busiest families, the rest together as {@link OTHER_FAMILIES}. */
export const MAX_STACKS = 10;
export const OTHER_FAMILIES = '(other)';

/** Type reference → family, from the types dictionary. */
export function familiesByRef(sql: ArchiveSql): Map<number, string> {
  const out = new Map<number, string>();
  for (const row of sql.all('SELECT ref, name FROM types')) out.set(Number(row.ref), chartFamily(String(row.name)));
  return out;
}

export function timeline(sql: ArchiveSql, query: AuditLogQuery, options: TimelineOptions): Timeline {
  const range = rangeOf(sql, query, options.now, options.path);
  const plan = planBuckets(range?.from ?? 0, range?.to ?? -1, options.zone);
  const empty = { unit: plan.unit, step: plan.step, zone: options.zone, total: 0, families: [], buckets: [] };
  if (!range) return { from: null, to: null, ...empty };
  const rows = countByGroupBy(sql, query, range, plan, options.path ?? [], options.rollups !== false);
  const family = familiesByRef(sql);
  const counts = plan.buckets.map(() => new Map<string, number>());
  const totals = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    const i = Number(row.b);
    const n = Number(row.n);
    const f = family.get(Number(row.t)) ?? '';
    const bucket = counts[Math.min(Math.max(i, 0), counts.length - 1)];
    if (!bucket) continue;
    bucket.set(f, (bucket.get(f) ?? 0) + n);
    totals.set(f, (totals.get(f) ?? 0) + n);
    total += n;
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f);
  const shown = ranked.length > MAX_STACKS + 1 ? new Set(ranked.slice(0, MAX_STACKS)) : new Set(ranked);
  const families = shown.size < ranked.length ? [...shown, OTHER_FAMILIES] : ranked;
  const buckets = plan.buckets.map((b, i) => {
    const byFamily: Record<string, number> = {};
    for (const [f, n] of counts[i]!) {
      const key = shown.has(f) ? f : OTHER_FAMILIES;
      Object.defineProperty(byFamily, key, { value: (byFamily[key] ?? 0) + n, enumerable: true, writable: true, configurable: true });
    }
    return { start: b.start, end: b.end, count: [...counts[i]!.values()].reduce((a, n) => a + n, 0), byFamily };
  });
  return { from: range.from, to: range.to, ...empty, total, families, buckets };
}

interface CountRow {
  readonly b: number;
  readonly t: number;
  readonly n: number;
}

/**
 * Counts per bucket × type: from the rollups when the filters allow (rollupCounts.ts: whole 15-minute slots or
 * days the buckets are aligned to, the edges from the events), otherwise one GROUP BY bucket × type. SQLite sorts the matching rows by bucket (a temporary B-tree, most of the time at a
 * million events); counting each busy type bar by bar from the (type, time) index instead was measured slower
 * (300,000 events: 889 ms against 557 ms), so the sort stays.
 */
function countByGroupBy(sql: ArchiveSql, query: AuditLogQuery, range: { from: number; to: number }, plan: BucketPlan, path: readonly ResolvedStep[], rollups: boolean): CountRow[] {
  if (rollups && rollupAnswers(rollupScope(query, path), 'type')) {
    const { gte, lt } = rangeOfQuery({ ...query, effectiveAt: { gte: range.from, lte: range.to } }, path, () => ({ gte: range.from, lt: range.to + 1 }));
    const grains = ROLLUP_GRAINS.filter((g) => plan.alignment % g === 0);
    return rollupCounts(sql, 'type', query, path, { gte, lt, grains, bucket: { sql: plan.indexSql, params: plan.indexParams } }).map((r) => ({ b: r.b, t: Number(r.k), n: r.n }));
  }
  const where = whereOf({ ...query, effectiveAt: { gte: range.from, lte: range.to } }, path);
  return sql
    .all(`SELECT ${plan.indexSql} AS b, e.type_ref AS t, count(*) AS n FROM events e${where.sql} GROUP BY b, t`, [...plan.indexParams, ...where.params])
    .map((r) => ({ b: Number(r.b), t: Number(r.t), n: Number(r.n) }));
}
