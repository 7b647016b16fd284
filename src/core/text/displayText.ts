/**
 * Text from the API (and from servers in between) is shown in places that
 * interpret it: notifications render `[label](command:…)` as a clickable link
 * that runs a command, tree labels and titles honour bidi overrides (U+202E
 * turns "txt.exe" into "exe.txt"), and control characters break layouts.
 * Everything the extension shows outside a webview's textContent goes through
 * these helpers first.
 */

/**
 * Characters that reorder or hide text: C0/C1 controls (but the line breaks and tab, see below), bidi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), marks (U+200E, U+200F, U+061C),
 * zero-width characters, word joiners and the BOM. A name holding U+202E could show "exe.txt" as "txt.exe".
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
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
