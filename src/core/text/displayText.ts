/**
 * Text from the API (and from servers in between) is shown in places that
 * interpret it: notifications render `[label](command:…)` as a clickable link
 * that runs a command, tree labels and titles honour bidi overrides (U+202E
 * turns "txt.exe" into "exe.txt"), and control characters break layouts.
 * Everything the extension shows outside a webview's textContent goes through
 * these helpers first.
 */
import { invisibleCharacters } from './invisibleCharacters';

/**
 * Characters that reorder or hide text (invisibleCharacters.ts, the one definition the details page
 * uses too): C0/C1 controls (but the line breaks and tab, see below), bidi embeddings, overrides,
 * isolates and marks, zero-width characters, word joiners and the BOM. A name holding U+202E could
 * show "exe.txt" as "txt.exe".
 */
const UNSAFE = invisibleCharacters();
/** Line breaks and tabs: one space each run, so the text stays on one line. */
const BREAKS = /[\r\n\t\u2028\u2029]+/g;
/** `](` closes a markdown link label and opens its target; a space between them breaks the syntax. */
const LINK_JOIN = /\]\s*\(/g;
/** `<http://…>` autolinks. */
const AUTOLINK = /<((?:https?|command|file|vscode):)/gi;

/**
 * One line with no direction tricks and no link syntax: line breaks and tabs become a space, the
 * characters above become `replacement` (by default U+FFFD, so a tampered value looks tampered; the
 * tree, which has little room, drops them), and `](` becomes `] (`.
 */
export function neutralizeDisplayText(text: string, replacement = '\uFFFD'): string {
  return text.replace(BREAKS, ' ').replace(UNSAFE, replacement).replace(LINK_JOIN, '] (').replace(AUTOLINK, '< $1');
}

/** {@link neutralizeDisplayText}, then at most `max` characters (an ellipsis marks the cut; surrogate pairs stay whole). */
export function clipDisplayText(text: string, max: number): string {
  // Bound the regex work on huge strings before cleaning.
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  return truncateText(neutralizeDisplayText(head), max);
}

export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 1);
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}
