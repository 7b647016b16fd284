/**
 * The one definition of the characters that reorder or hide text, shared by
 * the host (displayText.ts: removed or replaced in tree labels, titles,
 * notifications) and the details page (shown as visible `U+202E` markers).
 *
 * The set: C0 and C1 controls but tab, line feed and carriage return (which
 * each side handles as line breaks); the bidi embeddings, overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069), whose misuse turns
 * "Research Team \u202Etxt.exe" into "…exe.txt"; the bidi marks (U+200E,
 * U+200F, U+061C); the zero-width space, the word joiner and the invisible
 * operators (U+200B, U+2060-U+2064, U+2065); and the BOM (U+FEFF).
 *
 * Not in it: the zero-width non-joiner and joiner (U+200C, U+200D). Persian
 * and Indic scripts and emoji sequences need them, and neither reorders
 * text nor stands for a character on its own.
 *
 * No imports: the details page bundles this file too.
 */

/** The set as the body of a regular-expression character class (`[…]`). */
export const INVISIBLE_CHARACTER_CLASS =
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u061C\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2069\\uFEFF]';

/** A fresh expression matching every character of the set (`g` for replace and matchAll). */
export function invisibleCharacters(flags = 'g'): RegExp {
  return new RegExp(INVISIBLE_CHARACTER_CLASS, flags);
}

const NAMES: Readonly<Record<number, string>> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** `U+202E`: how the page writes a character of the set. */
export function codePointLabel(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The Unicode name of a character of the set (`RIGHT-TO-LEFT OVERRIDE`; controls are `CONTROL CHARACTER`). */
export function invisibleCharacterName(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return 'CONTROL CHARACTER';
  return NAMES[code] ?? 'INVISIBLE CHARACTER';
}
