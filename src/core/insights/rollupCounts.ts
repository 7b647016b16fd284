/**
 * Counts for the timeline and the facets from the archive's rollups (src/core/archive/rollups.ts) where the
 * filters allow it, exactly as the per-event GROUP BY would count them.
 *
 * A range `[gte, lt)` is cut into whole UTC days (read from the day rows), whole 15-minute slots at its edges
 * (the slot rows), and the seconds left at either end, or before the rollups' `built_from` while an upgraded
 * archive is still being counted: those are counted from the events with the same filters. The rollups are
 * keyed by time and one dimension only, so they answer a query with no filter but time (and a tree day), and,
 * for the type dimension alone (the timeline, the type facet), a type filter too; anything else (a search,
 * an actor, project or resource filter) is counted per event as before.
 */
import type { ArchiveQuery, ResolvedStep } from '../archive/repository';
import { whereOf } from '../archive/repository';
import type { ArchiveSql, SqlValue } from '../archive/archiveSql';
import { ROLLUP_COLUMNS, ROLLUP_DIMS, ROLLUP_GRAINS, rollupsBuiltFrom, type RollupDim } from '../archive/rollups';

/** What the rollups can answer: every dimension (time only), the type dimension only (a type filter too). */
export type RollupScope = 'all' | 'type';

const UNCOVERED_LISTS = ['projectIds', 'actorIds', 'actorEmails', 'resourceIds'] as const;

export function rollupScope(query: ArchiveQuery, path: readonly ResolvedStep[]): RollupScope | undefined {
  if (query.clause) return undefined;
  if (UNCOVERED_LISTS.some((k) => (query[k]?.length ?? 0) > 0)) return undefined;
  let scope: RollupScope = (query.eventTypes?.length ?? 0) > 0 || query.tenantOnly === true ? 'type' : 'all';
  for (const step of path) {
    if (step.kind === 'type') scope = 'type';
    else if (step.kind !== 'dayRange') return undefined;
  }
  return scope;
}

export function rollupAnswers(scope: RollupScope | undefined, dim: RollupDim): boolean {
  return scope === 'all' || (scope === 'type' && dim === 'type');
}

/** A piece of a range: whole slots of `grain` (rollup rows), or `grain` null: counted from the events. */
export interface RangePiece {
  readonly grain: number | null;
  readonly gte: number;
  readonly lt: number;
}

/** `[gte, lt)` as whole slots of the coarsest grain first, finer ones at its edges, events for the rest and before `builtFrom`. */
export function piecesOf(gte: number, lt: number, builtFrom: number, grains: readonly number[]): RangePiece[] {
  if (!(lt > gte)) return [];
  const [grain, ...finer] = grains;
  if (grain === undefined) return [{ grain: null, gte, lt }];
  const a = Math.ceil(Math.max(gte, builtFrom) / grain) * grain;
  const b = Math.floor(lt / grain) * grain;
  if (!(b > a)) return piecesOf(gte, lt, builtFrom, finer);
  return [...piecesOf(gte, a, builtFrom, finer), { grain, gte: a, lt: b }, ...piecesOf(b, lt, builtFrom, finer)];
}

/** `[gte, lt)` of the query's time filter and the path's days; unbounded sides from `span` (the events' own). */
export function rangeOfQuery(query: ArchiveQuery, path: readonly ResolvedStep[], span: () => { gte: number; lt: number }): { gte: number; lt: number } {
  const r = query.effectiveAt ?? {};
  const starts = [r.gte, r.gt === undefined ? undefined : r.gt + 1].filter((v): v is number => v !== undefined);
  const ends = [r.lt, r.lte === undefined ? undefined : r.lte + 1].filter((v): v is number => v !== undefined);
  const s = starts.length === 0 || ends.length === 0 ? span() : undefined;
  let gte = starts.length > 0 ? Math.max(...starts) : s!.gte;
  let lt = ends.length > 0 ? Math.min(...ends) : s!.lt;
  for (const step of path) {
    if (step.kind !== 'dayRange') continue;
    gte = Math.max(gte, step.gte);
    lt = Math.min(lt, step.lt);
  }
  return { gte: Math.ceil(gte), lt: Math.ceil(lt) };
}

/**
 * The events' span `[oldest, newest + 1)`; empty for an empty archive. Two statements: SQLite answers a lone
 * min() or max() with one probe of the time index, both in one statement with a scan of every row.
 */
export function eventSpan(sql: ArchiveSql): { gte: number; lt: number } {
  const lo = sql.get('SELECT min(effective_at) AS m FROM events')?.m;
  const hi = sql.get('SELECT max(effective_at) AS m FROM events')?.m;
  return typeof lo === 'number' && typeof hi === 'number' ? { gte: lo, lt: hi + 1 } : { gte: 0, lt: 0 };
}

export interface KeyCount {
  /** The bucket number (0 without a bucket expression). */
  readonly b: number;
  /** The events column's value (a dictionary reference or null, an IP address). */
  readonly k: SqlValue;
  readonly n: number;
}

export interface RollupCountOptions {
  /** The time range `[gte, lt)`, already within the query's and the path's. */
  readonly gte: number;
  readonly lt: number;
  /** The grains that may be read (coarsest first): the timeline passes those its buckets are aligned to. */
  readonly grains?: readonly number[];
  /** SQL of a bucket number over `e.effective_at`, and its parameters. */
  readonly bucket?: { readonly sql: string; readonly params: readonly SqlValue[] };
}

/**
 * Counts of the events matching `query` and `path` in `[gte, lt)` by the column of `dim` (and bucket), from the
 * rollups and the events (see the file's note); the caller checks {@link rollupAnswers} first.
 */
export function rollupCounts(sql: ArchiveSql, dim: RollupDim, query: ArchiveQuery, path: readonly ResolvedStep[], options: RollupCountOptions): KeyCount[] {
  const column = ROLLUP_COLUMNS[dim];
  const bucketSql = options.bucket?.sql ?? '0';
  const bucketParams = options.bucket?.params ?? [];
  const groupBy = options.bucket ? 'b, k' : 'k';
  // The type filters, over the rollup rows as `e.type_ref` (the other dimensions are only read unfiltered).
  const typeWhere = dim === 'type' ? whereOf({ eventTypes: query.eventTypes, tenantOnly: query.tenantOnly }, path.filter((s) => s.kind === 'type')) : { sql: '', params: [] };
  const key = dim === 'ip' ? 'key' : 'nullif(key, 0)';
  const sums = new Map<number, Map<SqlValue, number>>();
  for (const piece of piecesOf(options.gte, options.lt, rollupsBuiltFrom(sql), options.grains ?? ROLLUP_GRAINS)) {
    let rows;
    if (piece.grain === null) {
      const where = whereOf({ ...query, effectiveAt: { gte: piece.gte, lt: piece.lt } }, path);
      rows = sql.all(`SELECT ${bucketSql} AS b, e.${column} AS k, count(*) AS n FROM events e${where.sql} GROUP BY ${groupBy}`, [...bucketParams, ...where.params]);
    } else {
      const g = piece.grain;
      const slots = `SELECT slot * ${g} AS effective_at, ${key} AS ${column}, n FROM insights_counts WHERE dim = ? AND grain = ${g} AND slot >= ? AND slot < ?`;
      rows = sql.all(`SELECT ${bucketSql} AS b, e.${column} AS k, sum(e.n) AS n FROM (${slots}) e${typeWhere.sql} GROUP BY ${groupBy}`, [
        ...bucketParams,
        ROLLUP_DIMS[dim],
        piece.gte / g,
        piece.lt / g,
        ...typeWhere.params,
      ]);
    }
    for (const r of rows) {
      const b = Number(r.b);
      let byKey = sums.get(b);
      if (!byKey) sums.set(b, (byKey = new Map()));
      byKey.set(r.k ?? null, (byKey.get(r.k ?? null) ?? 0) + Number(r.n));
    }
  }
  const out: KeyCount[] = [];
  for (const [b, byKey] of sums) for (const [k, n] of byKey) if (n > 0) out.push({ b, k, n });
  return out;
}
