/**
 * What a count covers: whether the archive holds every event of the filters' time range (its synced
 * coverage spans the range), and the range itself, so the view never presents "newest 100 loaded" as
 * the whole log.
 */
import type { AuditLogQuery } from '../api/query';
import type { CoveredRange } from './coverage';

export interface CoverageSummary {
  /** Every event of the range is archived (up to `through`). */
  readonly complete: boolean;
  /** Oldest second the statement is about: the range's start, else the oldest covered or archived second. */
  readonly since: number | null;
  /** Newest second known complete (end of the covering interval), or null when nothing is synced. */
  readonly through: number | null;
}

/** Whole-second bounds `[low, high)` of a query's time range (unbounded sides as ±Infinity). */
export function queryBounds(query: AuditLogQuery): { low: number; high: number } {
  const r = query.effectiveAt ?? {};
  const low = Math.max(r.gte ?? -Infinity, r.gt !== undefined ? Math.floor(r.gt) + 1 : -Infinity);
  const high = Math.min(r.lt ?? Infinity, r.lte !== undefined ? Math.floor(r.lte) + 1 : Infinity);
  return { low, high };
}

/**
 * Whether the coverage holds `query`'s range. An open end is complete when the covering interval reaches
 * the last sync (`[x, syncedTo)`); an open start when it reaches back to 0 (the first sync found where the
 * API's history begins). `oldestArchived` names the start when the range has none.
 */
export function summarizeCoverage(coverage: readonly CoveredRange[], query: AuditLogQuery, oldestArchived: number | null): CoverageSummary {
  const { low, high } = queryBounds(query);
  const newestEnd = coverage.length ? Math.max(...coverage.map((c) => c.lt)) : null;
  if (newestEnd === null) return { complete: false, since: Number.isFinite(low) ? low : oldestArchived, through: null };
  const start = Number.isFinite(low) ? Math.max(0, low) : 0;
  // Past the last sync nothing is known yet: a range reaching beyond it is complete up to it, and a
  // range that starts at or after it is not complete at all (an empty range is trivially complete).
  const end = Math.min(high, newestEnd);
  const complete = high <= start || (start < newestEnd && coverage.some((c) => c.gte <= start && c.lt >= end));
  const since = Number.isFinite(low) ? low : oldestArchived;
  return { complete, since, through: complete ? end : newestEnd };
}
