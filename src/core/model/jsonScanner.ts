/**
 * A small structural JSON scanner: finds where values start and end in the
 * text without building them, so that each audit event keeps the exact
 * characters the API sent (key order, number lexemes, escapes, whitespace
 * inside the value).
 *
 * The scanner trusts that the text is valid JSON (the page parser runs
 * `JSON.parse` on it first); it is structural only and throws
 * `JsonScanError` if the text is not shaped as expected, never loops forever.
 */

/** Character codes of JSON's structural characters (shared with the pretty-printer). */
export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACK = 0x5b;
export const RBRACK = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** Half-open character range `[start, end)` of a value in the scanned text. */
export type JsonRange = readonly [start: number, end: number];

export class JsonScanError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonScanError';
  }
}

export function isJsonWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

export function skipWhitespace(text: string, i: number): number {
  const n = text.length;
  while (i < n && isJsonWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** `text[i]` is an opening quote; returns the index just past the closing quote. */
export function skipString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) throw new JsonScanError('unterminated string', i);
    // The quote is escaped when an odd number of backslashes precede it.
    let b = q - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Returns the index just past the value that starts at `i` (no leading whitespace). */
export function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === LBRACE || c === LBRACK) return skipContainer(text, i);
  const n = text.length;
  let j = i;
  for (; j < n; j++) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === RBRACE || d === RBRACK || d === COLON || isJsonWhitespace(d)) break;
  }
  if (j === i) throw new JsonScanError('expected a value', i);
  return j;
}

function skipContainer(text: string, i: number): number {
  const n = text.length;
  let depth = 0;
  let j = i;
  while (j < n) {
    const c = text.charCodeAt(j);
    // Whitespace and '"' are the only characters <= 0x22 in valid JSON
    // outside strings, and indented JSON is mostly whitespace: test them first.
    if (c <= QUOTE) {
      if (c === QUOTE) {
        j = skipString(text, j);
        continue;
      }
    } else {
      // '[' (0x5b) and '{' (0x7b) differ only in bit 0x20, as do ']' and '}'.
      const folded = c | 0x20;
      if (folded === LBRACE) depth++;
      else if (folded === RBRACE && --depth === 0) return j + 1;
    }
    j++;
  }
  throw new JsonScanError('unterminated object or array', i);
}

/**
 * Ranges of the elements of the array found under `key` in the top-level
 * object of `text`. Returns `undefined` when the text is not an object or the
 * key is absent or not an array. A duplicated key resolves like `JSON.parse`
 * (the last one wins); keys are compared after unescaping.
 */
export function topLevelArrayElementRanges(text: string, key: string): JsonRange[] | undefined {
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== LBRACE) return undefined;
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === RBRACE) return undefined;
  let result: JsonRange[] | undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) throw new JsonScanError('expected a key', i);
    const keyEnd = skipString(text, i);
    const rawKey = text.slice(i + 1, keyEnd - 1);
    const name = rawKey.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : rawKey;
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) throw new JsonScanError("expected ':'", i);
    i = skipWhitespace(text, i + 1);
    if (name === key && text.charCodeAt(i) === LBRACK) {
      const ranges: JsonRange[] = [];
      i = scanArrayElements(text, i, ranges);
      result = ranges;
    } else {
      if (name === key) result = undefined;
      i = skipValue(text, i);
    }
    i = skipWhitespace(text, i);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (c === RBRACE) return result;
    throw new JsonScanError("expected ',' or '}'", i);
  }
}

/** `text[i]` is '['; pushes each element's range and returns the index past ']'. */
export function scanArrayElements(text: string, i: number, out: JsonRange[]): number {
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === RBRACK) return i + 1;
  for (;;) {
    const start = i;
    const end = skipValue(text, i);
    out.push([start, end]);
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (c === RBRACK) return i + 1;
    throw new JsonScanError("expected ',' or ']'", i);
  }
}
