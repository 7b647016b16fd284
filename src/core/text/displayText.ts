/**
 * Text from the API (and from servers in between) is shown in places that
 * interpret it: notifications render `[label](command:…)` as a clickable link
 * that runs a command, tree labels and titles honour bidi overrides (U+202E
 * turns "txt.exe" into "exe.txt"), and control characters break layouts.
 * Everything the extension shows outside a webview's textContent goes through
 * these helpers first.
 */

// C0/C1 controls, line and paragraph separators, bidi embeddings/overrides/isolates, LRM/RLM/ALM.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** `](` closes a markdown link label and opens its target; a space between them breaks the syntax. */
const LINK_JOIN = /\]\s*\(/g;
/** `<http://…>` autolinks. */
const AUTOLINK = /<((?:https?|command|file|vscode):)/gi;

/**
 * One line with no direction tricks and no link syntax: whitespace controls
 * become spaces, other controls and bidi marks become U+FFFD (visible, so a
 * tampered value looks tampered), `](` becomes `] (`.
 */
export function neutralizeDisplayText(text: string): string {
  return text
    .replace(UNSAFE, (ch) => (ch === '\n' || ch === '\r' || ch === '\t' || ch === '\u2028' || ch === '\u2029' ? ' ' : '\uFFFD'))
    .replace(LINK_JOIN, '] (')
    .replace(AUTOLINK, '< $1');
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
