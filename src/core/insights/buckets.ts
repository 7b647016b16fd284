/**
 * Timeline buckets: the bucket size chosen from the range (a minute to a week), and where each bucket starts.
 *
 * Sub-day buckets are fixed lengths aligned to the user's clock at the range's start (so an hour bucket in
 * India starts at :00 local, not :30). Day and week buckets follow the calendar of the user's zone: they start
 * at local midnight (weeks on Monday), so a day of a DST change is 23 or 25 hours long. The SQL puts an event in
 * its bucket with the same rule (`bucketIndexSql`): its wall-clock seconds (instant + the zone's offset then,
 * a CASE over the few offset changes in the range) divided by the bucket length.
 */
import type { SqlValue } from '../archive/archiveSql';
import { instantOfWallTime, offsetSegments, type OffsetSegment } from './zone';

export type BucketUnit = 'minute' | 'hour' | 'day' | 'week';

interface StepChoice {
  readonly unit: BucketUnit;
  readonly seconds: number;
  readonly calendar: boolean;
}

const DAY = 86_400;
const WEEK = 7 * DAY;

/** The sizes offered, smallest first. */
export const BUCKET_STEPS: readonly StepChoice[] = [
  { unit: 'minute', seconds: 60, calendar: false },
  { unit: 'minute', seconds: 5 * 60, calendar: false },
  { unit: 'minute', seconds: 15 * 60, calendar: false },
  { unit: 'minute', seconds: 30 * 60, calendar: false },
  { unit: 'hour', seconds: 3600, calendar: false },
  { unit: 'hour', seconds: 3 * 3600, calendar: false },
  { unit: 'hour', seconds: 6 * 3600, calendar: false },
  { unit: 'hour', seconds: 12 * 3600, calendar: false },
  { unit: 'day', seconds: DAY, calendar: true },
  { unit: 'week', seconds: WEEK, calendar: true },
];

/** At most this many bars for a range (weeks go beyond it: a two-year archive has 104). */
export const MAX_BUCKETS = 120;

/** The smallest size that keeps `[from, to]` (inclusive seconds) within {@link MAX_BUCKETS} bars. */
export function chooseStep(from: number, to: number): StepChoice {
  const span = Math.max(1, to - from + 1);
  return BUCKET_STEPS.find((s) => span / s.seconds <= MAX_BUCKETS) ?? BUCKET_STEPS[BUCKET_STEPS.length - 1]!;
}

export interface TimeBucket {
  /** First second (inclusive, Unix seconds). */
  readonly start: number;
  /** End (exclusive). */
  readonly end: number;
}

export interface BucketPlan {
  readonly unit: BucketUnit;
  /** Nominal length in seconds (a calendar day of a DST change is longer or shorter). */
  readonly step: number;
  readonly zone: string;
  /** The buckets, clipped to the range: the first starts at `from`, the last ends at `to + 1`. */
  readonly buckets: readonly TimeBucket[];
  /** SQL of an event's bucket number over `events e` (index into `buckets`), and its parameters. */
  readonly indexSql: string;
  readonly indexParams: readonly SqlValue[];
  /**
   * Every bucket boundary (before clipping) and every offset change `indexSql` knows is a multiple of this
   * (seconds): a stretch `[k·g, (k+1)·g)` with `alignment % g === 0` lies inside one bucket, so counts per such
   * stretch (the rollups) add up to the buckets' exactly.
   */
  readonly alignment: number;
}

/**
 * The buckets of `[from, to]` (inclusive Unix seconds) in `zone`; none when `to < from`. `step` forces a size
 * (tests), otherwise it is chosen from the range.
 */
export function planBuckets(from: number, to: number, zone: string, step: StepChoice = chooseStep(from, to)): BucketPlan {
  from = Math.floor(from);
  to = Math.floor(to);
  if (!(to >= from)) return { unit: step.unit, step: step.seconds, zone, buckets: [], indexSql: '0', indexParams: [], alignment: 1 };
  const segments = offsetSegments(from, to, zone);
  return step.calendar ? calendarPlan(from, to, zone, step, segments) : fixedPlan(from, to, zone, step, segments[0]!.offset);
}

function fixedPlan(from: number, to: number, zone: string, step: StepChoice, offset: number): BucketPlan {
  const origin = Math.floor((from + offset) / step.seconds) * step.seconds - offset;
  const buckets: TimeBucket[] = [];
  for (let start = origin; start <= to; start += step.seconds) {
    buckets.push({ start: Math.max(start, from), end: Math.min(start + step.seconds, to + 1) });
  }
  return { unit: step.unit, step: step.seconds, zone, buckets, indexSql: '((e.effective_at - ?) / ?)', indexParams: [origin, step.seconds], alignment: gcd(step.seconds, origin) };
}

function calendarPlan(from: number, to: number, zone: string, step: StepChoice, segments: readonly OffsetSegment[]): BucketPlan {
  const localDay = Math.floor((from + segments[0]!.offset) / DAY);
  // Day 0 of Unix time (1970-01-01) was a Thursday: Monday is 3 days before a day whose (index + 3) % 7 is 0.
  const firstDay = step.unit === 'week' ? localDay - ((((localDay + 3) % 7) + 7) % 7) : localDay;
  const originLocal = firstDay * DAY;
  const buckets: TimeBucket[] = [];
  for (let k = 0; ; k++) {
    const start = instantOfWallTime(originLocal + k * step.seconds, segments);
    if (start > to) break;
    const end = instantOfWallTime(originLocal + (k + 1) * step.seconds, segments);
    buckets.push({ start: Math.max(start, from), end: Math.min(end, to + 1) });
  }
  const offset = offsetCaseSql(segments);
  return {
    unit: step.unit,
    step: step.seconds,
    zone,
    buckets,
    indexSql: `((e.effective_at + ${offset.sql} - ?) / ?)`,
    indexParams: [...offset.params, originLocal, step.seconds],
    // Buckets start at local midnights (whole days of wall time, less the offset then); the CASE switches offsets at the changes.
    alignment: segments.reduce((g, s, i) => gcd(gcd(g, s.offset), i === 0 ? 0 : s.start), DAY),
  };
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The zone's offset at `e.effective_at` as SQL: one bound value, or a CASE over the offset changes. */
function offsetCaseSql(segments: readonly OffsetSegment[]): { sql: string; params: SqlValue[] } {
  if (segments.length === 1) return { sql: '?', params: [segments[0]!.offset] };
  const params: SqlValue[] = [];
  const whens: string[] = [];
  for (let i = 0; i + 1 < segments.length; i++) {
    whens.push('WHEN e.effective_at < ? THEN ?');
    params.push(segments[i + 1]!.start, segments[i]!.offset);
  }
  params.push(segments[segments.length - 1]!.offset);
  return { sql: `(CASE ${whens.join(' ')} ELSE ? END)`, params };
}
