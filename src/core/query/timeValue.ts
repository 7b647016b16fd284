/**
 * Time values of `after:`, `before:` and `last:`. Dates and date-times
 * without a zone are UTC (the archive's and the API's clock); a zone in the
 * text (`Z`, `+02:00`) wins. Unix seconds are 9 to 11 digits.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DURATION = /^(\d{1,6})(m|h|d|w)$/i;
const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3_600, d: 86_400, w: 7 * 86_400 };

/** Unix seconds of an absolute time, or undefined when the text is not one (or names an impossible date). */
export function parseInstant(text: string): number | undefined {
  if (/^\d{9,11}$/.test(text)) return Number(text);
  const d = DATE.exec(text);
  if (d) return utc(Number(d[1]), Number(d[2]), Number(d[3]), 0, 0, 0);
  const t = DATE_TIME.exec(text);
  if (!t) return undefined;
  const base = utc(Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6] ?? 0));
  if (base === undefined) return undefined;
  const zone = t[7];
  if (!zone || zone.toUpperCase() === 'Z') return base;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offset = (Number(m[2]) * 60 + Number(m[3])) * 60;
  return m[1] === '+' ? base - offset : base + offset;
}

/** Seconds of a `last:` duration (`30m`, `24h`, `7d`, `2w`), or undefined. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]!;
  return seconds > 0 ? seconds : undefined;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return undefined;
  return ms / 1000;
}
