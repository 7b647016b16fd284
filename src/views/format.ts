import type { TimeDisplay } from '../config/settings';
import { localDay, utcDay } from '../core/analysis/grouping';
import { neutralizeDisplayText } from '../core/text/displayText';

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatUtc(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return String(seconds);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatLocal(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return String(seconds);
  return `${localDay(seconds)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatRelative(seconds: number, nowMs = Date.now()): string {
  const diff = Math.round(nowMs / 1000 - seconds);
  if (!Number.isFinite(diff)) return String(seconds);
  const future = diff < 0;
  const s = Math.abs(diff);
  const [n, unit] =
    s < 45 ? [0, ''] : s < 3_600 ? [Math.round(s / 60), 'minute'] : s < 86_400 ? [Math.round(s / 3_600), 'hour'] : s < 30 * 86_400 ? [Math.round(s / 86_400), 'day'] : s < 365 * 86_400 ? [Math.round(s / (30 * 86_400)), 'month'] : [Math.round(s / (365 * 86_400)), 'year'];
  if (n === 0) return future ? 'in a moment' : 'just now';
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${text}` : `${text} ago`;
}

export function formatTime(seconds: number, display: TimeDisplay): string {
  switch (display) {
    case 'utc':
      return formatUtc(seconds);
    case 'relative':
      return formatRelative(seconds);
    default:
      return formatLocal(seconds);
  }
}

/** The time of day only, for rows under a day group that already names the date. */
export function formatClock(seconds: number, display: TimeDisplay): string {
  if (display === 'relative') return formatRelative(seconds);
  const full = display === 'utc' ? formatUtc(seconds) : formatLocal(seconds);
  return /^\d{4}-\d{2}-\d{2} /.test(full) ? full.slice(11) : full;
}

/** The day a grouping by day uses: UTC days when times are shown in UTC, local days otherwise. */
export function dayFunction(display: TimeDisplay): (seconds: number) => string {
  return display === 'utc' ? utcDay : localDay;
}

/**
 * Makes an API value safe for one line of the tree (labels, descriptions and
 * tooltips are plain text, never markup): bidi and invisible characters
 * removed, line breaks and tabs turned into spaces, and at most `max`
 * characters (a 5,000-character value ends with "…").
 */
export function clip(text: string, max = 80): string {
  const head = String(text).slice(0, max * 4 + 16);
  const oneLine = neutralizeDisplayText(head, '').replace(/ {2,}/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length > max || head.length < String(text).length ? `${chars.slice(0, max - 1).join('')}…` : oneLine;
}

/** An API string as quick-pick text: one safe line ({@link clip}), and no `$(icon)` syntax taking effect. */
export function quickPickText(text: string, max = 100): string {
  return clip(text, max).replace(/\$\(/g, '$\u2060(');
}

/** Letters written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/;

/**
 * Ends a right-to-left value with a left-to-right mark, so what follows it on
 * the row (a count, " · proj_…") keeps its own order: without it the bidi
 * algorithm shows "مشروع" + "2 events" as "2مشروع events". The value itself
 * still reads right to left; it cannot reorder anything after it.
 */
export function endsLtr(text: string): string {
  return RTL.test(text) ? `${text}\u200E` : text;
}
