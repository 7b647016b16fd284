/**
 * Re-indents JSON text token by token, without turning it into values: keys
 * keep their order, numbers their lexemes (`1.0`, `1e3`, 20-digit integers)
 * and strings their escapes. For ordinary input the result equals
 * `JSON.stringify(JSON.parse(raw), null, indent)`.
 */
import { COLON, COMMA, LBRACE, LBRACK, QUOTE, RBRACE, RBRACK, isJsonWhitespace, skipString, skipValue, skipWhitespace } from './jsonScanner';

/**
 * Pretty-prints `raw` with `indent` spaces (or the given string, as
 * `JSON.stringify` does; at most 10 characters) per level. `indent` 0 or ''
 * gives the compact form. Throws `SyntaxError` if `raw` is not valid JSON.
 */
export function prettyRawJson(raw: string, indent: number | string = 2): string {
  JSON.parse(raw); // the formatter below is structural; reject invalid input up front
  const unit = typeof indent === 'number' ? ' '.repeat(Math.max(0, Math.min(10, Math.floor(indent)))) : indent.slice(0, 10);
  const breaks: string[] = [];
  const lineBreak = (depth: number): string => {
    if (unit === '') return '';
    return (breaks[depth] ??= '\n' + unit.repeat(depth));
  };
  const colon = unit === '' ? ':' : ': ';

  let out = '';
  let depth = 0;
  const n = raw.length;
  let i = skipWhitespace(raw, 0);
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === LBRACE || c === LBRACK) {
      const next = skipWhitespace(raw, i + 1);
      const close = c === LBRACE ? RBRACE : RBRACK;
      if (raw.charCodeAt(next) === close) {
        out += c === LBRACE ? '{}' : '[]';
        i = next + 1;
      } else {
        depth++;
        out += raw[i] + lineBreak(depth);
        i = next;
        continue;
      }
    } else if (c === RBRACE || c === RBRACK) {
      depth--;
      out += lineBreak(depth) + raw[i];
      i++;
    } else if (c === COMMA) {
      out += ',' + lineBreak(depth);
      i++;
    } else if (c === COLON) {
      out += colon;
      i++;
    } else if (c === QUOTE) {
      const end = skipString(raw, i);
      out += raw.slice(i, end);
      i = end;
    } else if (isJsonWhitespace(c)) {
      i++;
      continue;
    } else {
      const end = skipValue(raw, i);
      out += raw.slice(i, end);
      i = end;
    }
    i = skipWhitespace(raw, i);
  }
  return out;
}
