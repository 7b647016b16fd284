/** Multi-row statements: `(?, ?), (?, ?)…` in a few fixed shapes, so each table has only a handful of statements to prepare and cache. */

export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
export const repeated = (group: string, n: number): string => Array.from({ length: n }, () => group).join(', ');

/** Rows per multi-row INSERT at most (9 parameters each for the events: far below SQLite's 32,766). */
export const ROWS_PER_STATEMENT = 128;

/**
 * `[from, size]` slices covering `n` rows: full statements of
 * `ROWS_PER_STATEMENT`, then the rest in powers of two, so a table has at
 * most eight statement shapes to prepare and cache.
 */
export function chunks(n: number): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (; n - from >= ROWS_PER_STATEMENT; from += ROWS_PER_STATEMENT) out.push([from, ROWS_PER_STATEMENT]);
  for (let size = ROWS_PER_STATEMENT >> 1; size >= 1; size >>= 1) {
    if (n - from < size) continue;
    out.push([from, size]);
    from += size;
  }
  return out;
}
