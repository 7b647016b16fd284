/**
 * API strings as one safe line of plain text: what the tree, quick picks,
 * panel titles and the editor's tab labels show. No `vscode` here, so the
 * views and the webviews' host side share one definition.
 */
import { neutralizeDisplayText } from './displayText';

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
