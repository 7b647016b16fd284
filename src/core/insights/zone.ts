/**
 * Time-zone offsets without a time-zone library: `Intl.DateTimeFormat` knows every IANA zone (Node and the
 * webview both ship ICU), so the offset of a zone at an instant is its wall time minus the instant.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/** The zone this process runs in (the user's, in the extension host). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether `zone` is a zone `Intl` knows. */
export function isKnownZone(zone: string): boolean {
  try {
    formatOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** Seconds to add to a Unix time to get the wall clock of `zone` at that instant (e.g. 3600 for Berlin in winter). */
export function zoneOffset(seconds: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const p of formatOf(zone).formatToParts(new Date(seconds * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) / 1000;
  return wall - Math.floor(seconds);
}

/** A stretch of time with one offset: from `start` (inclusive) to the next segment's start. */
export interface OffsetSegment {
  readonly start: number;
  readonly offset: number;
}

/** Sampling step when looking for offset changes: zones change at most a few times a year, never twice in 12 hours. */
const PROBE_SECONDS = 12 * 3600;

/**
 * The offsets of `zone` over `[from, to]`: the first segment starts at `from`, each next one at the exact
 * second the offset changes (a DST transition), found by bisection between two probes.
 */
export function offsetSegments(from: number, to: number, zone: string): OffsetSegment[] {
  const segments: OffsetSegment[] = [{ start: from, offset: zoneOffset(from, zone) }];
  if (zone === 'UTC') return segments;
  let prev = from;
  let prevOffset = segments[0]!.offset;
  while (prev < to) {
    const next = Math.min(prev + PROBE_SECONDS, to);
    const offset = zoneOffset(next, zone);
    if (offset !== prevOffset) {
      let lo = prev; // offset prevOffset
      let hi = next; // offset `offset`
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (zoneOffset(mid, zone) === prevOffset) lo = mid;
        else hi = mid;
      }
      segments.push({ start: hi, offset });
      prevOffset = offset;
    }
    prev = next;
  }
  return segments;
}

/**
 * The first instant whose wall clock reads `local` (wall seconds), given the segments: in a gap (the clock
 * jumps over `local`, e.g. a midnight skipped by DST) the instant the clock jumps; in an overlap (the clock
 * reads it twice) the earlier one. Before the first segment its offset holds, after the last the last one's.
 */
export function instantOfWallTime(local: number, segments: readonly OffsetSegment[]): number {
  let best = Number.POSITIVE_INFINITY;
  segments.forEach((seg, i) => {
    const start = i === 0 ? Number.NEGATIVE_INFINITY : seg.start;
    const end = i + 1 < segments.length ? segments[i + 1]!.start : Number.POSITIVE_INFINITY;
    const candidate = local - seg.offset;
    if (candidate < end) best = Math.min(best, Math.max(candidate, start));
  });
  return best;
}
