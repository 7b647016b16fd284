/**
 * Coverage: which whole-second, half-open intervals `[gte, lt)` the archive
 * holds completely (every event the API had there, unfiltered). Pure interval
 * arithmetic; the repository stores the merged list.
 */

export interface CoveredRange {
  readonly gte: number;
  readonly lt: number;
}

/** `ranges` merged with `added` (overlapping or touching intervals become one), sorted by `gte`. */
export function mergeRange(ranges: readonly CoveredRange[], added: CoveredRange): CoveredRange[] {
  if (!(added.lt > added.gte)) return [...ranges];
  let { gte, lt } = added;
  const out: CoveredRange[] = [];
  for (const r of ranges) {
    if (r.lt < gte || r.gte > lt) out.push(r);
    else {
      gte = Math.min(gte, r.gte);
      lt = Math.max(lt, r.lt);
    }
  }
  out.push({ gte, lt });
  return out.sort((a, b) => a.gte - b.gte);
}

/** The parts of `[gte, lt)` that `ranges` (merged, sorted) do not cover, newest first. */
export function gapsIn(ranges: readonly CoveredRange[], gte: number, lt: number): CoveredRange[] {
  const gaps: CoveredRange[] = [];
  let high = lt;
  for (let i = ranges.length - 1; i >= 0 && high > gte; i--) {
    const r = ranges[i]!;
    if (r.gte >= high) continue;
    if (r.lt < high) gaps.push({ gte: Math.max(r.lt, gte), lt: high });
    high = Math.min(high, r.gte);
  }
  if (high > gte) gaps.push({ gte, lt: high });
  return gaps.filter((g) => g.lt > g.gte);
}

/** Whether `ranges` (merged) cover all of `[gte, lt)`. */
export function coversRange(ranges: readonly CoveredRange[], gte: number, lt: number): boolean {
  if (!(lt > gte)) return true;
  return ranges.some((r) => r.gte <= gte && r.lt >= lt);
}
