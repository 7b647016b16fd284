/**
 * Points in time as a user types them into the filter editor's custom range:
 * Unix seconds; a date or date and time, read in a zone the prompt names
 * (local time or UTC) unless the text gives its own (`Z`, `UTC`, `+02:00`);
 * the words `now`, `today` and `yesterday` (the day's start, in that zone);
 * and durations back from now (`7d`, `24h`, `30m`, `2w`, `3 days ago`).
 *
 * Plain data in, plain data out: the clock and the zone are parameters, so
 * tests pin both.
 */

/** Where a date/time without its own zone is read: the machine's local time, or UTC. */
export type InputZone = 'utc' | 'local';

export interface TimeInputOptions {
  /** Default 'utc'. */
  readonly zone?: InputZone;
  /** The clock, in milliseconds (words and durations count from it). Default `Date.now()`. */
  readonly nowMs?: number;
}

const DAY = 86_400;
const UNIT_SECONDS: Readonly<Record<string, number>> = { m: 60, h: 3_600, d: DAY, w: 7 * DAY };
const DURATION = /^(\d{1,6})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)(?:\s+ago)?$/i;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(z|utc|[+-]\d{2}:?\d{2})?$/i;

/** Unix seconds for `text`, or undefined when it is none of the forms above. */
export function parseTimeInput(text: string, options: TimeInputOptions = {}): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const zone = options.zone ?? 'utc';
  const nowMs = options.nowMs ?? Date.now();
  if (/^\d{1,11}$/.test(t)) return Number(t);
  const word = t.toLowerCase();
  if (word === 'now') return Math.floor(nowMs / 1000);
  if (word === 'today') return dayStart(nowMs, zone, 0);
  if (word === 'yesterday') return dayStart(nowMs, zone, -1);
  const duration = DURATION.exec(t);
  if (duration) {
    const unit = UNIT_SECONDS[duration[2]!.toLowerCase()[0]!]!;
    const seconds = Math.floor(nowMs / 1000) - Number(duration[1]) * unit;
    return seconds >= 0 ? seconds : undefined;
  }
  const m = DATE_TIME.exec(t);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const own = m[7]?.toLowerCase();
  let ms: number;
  if (own === undefined && zone === 'local') ms = new Date(y, mo - 1, d, h, mi, s).getTime();
  else {
    const offset = offsetMinutes(own);
    if (offset === undefined) return undefined;
    ms = Date.UTC(y, mo - 1, d, h, mi, s) - offset * 60_000;
  }
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) : undefined;
}

/** The zone as the prompt names it: "UTC", or "local time, Europe/Berlin (UTC+01:00)". */
export function describeZone(zone: InputZone, nowMs = Date.now()): string {
  if (zone === 'utc') return 'UTC';
  const offset = -new Date(nowMs).getTimezoneOffset();
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const utc = `UTC${offset < 0 ? '−' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return name ? `local time, ${name} (${utc})` : `local time (${utc})`;
}

/** `seconds` written so that {@link parseTimeInput} with the same zone reads it back: "2025-01-31 14:00" (+ " UTC"). */
export function formatTimeInput(seconds: number, zone: InputZone): string {
  const d = new Date(seconds * 1000);
  const parts =
    zone === 'local'
      ? [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()]
      : [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  const [y, mo, day, h, mi, s] = parts as [number, number, number, number, number, number];
  const text = `${String(y).padStart(4, '0')}-${pad(mo)}-${pad(day)} ${pad(h)}:${pad(mi)}${s !== 0 ? `:${pad(s)}` : ''}`;
  return zone === 'utc' ? `${text} UTC` : text;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

/** Minutes east of UTC of a zone written in the text (`Z`, `UTC`, `+0530`, `-08:00`). */
function offsetMinutes(own: string | undefined): number | undefined {
  if (own === undefined || own === 'z' || own === 'utc') return 0;
  const digits = own.slice(1).replace(':', '');
  const [h, m] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  if (h > 14 || m > 59) return undefined;
  return (own.startsWith('-') ? -1 : 1) * (h * 60 + m);
}

/** The start of today (`days` 0) or an earlier day, in the zone. */
function dayStart(nowMs: number, zone: InputZone, days: number): number {
  const now = new Date(nowMs);
  const ms =
    zone === 'local'
      ? new Date(now.getFullYear(), now.getMonth(), now.getDate() + days).getTime()
      : Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days);
  return Math.floor(ms / 1000);
}
