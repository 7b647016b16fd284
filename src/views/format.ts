import type { TimeDisplay } from '../config/settings';
import { localDay, utcDay } from '../core/analysis/grouping';
import { clip } from '../core/text/oneLine';

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

/** Longest actor label a group row shows (the full one is in its tooltip and accessibility label). */
const ACTOR_LABEL_MAX = 28;

/**
 * An actor group's label, short enough that the count after it stays in a 300 px sidebar: an email's
 * name part (its domain goes after the count), or the id cut to {@link ACTOR_LABEL_MAX} characters.
 */
export function shortActorLabel(label: string): { name: string; domain?: string } {
  const at = label.lastIndexOf('@');
  if (at > 0 && at < label.length - 1) return { name: clip(label.slice(0, at), ACTOR_LABEL_MAX), domain: clip(label.slice(at + 1), 60) };
  return { name: clip(label, ACTOR_LABEL_MAX) };
}
