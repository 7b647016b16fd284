/**
 * A user's search text as a safe FTS5 query: its words (letters and digits,
 * as the unicode61 tokenizer splits them), each quoted so no FTS5 operator
 * can be injected, ANDed; a word typed with a trailing `*` is a prefix.
 */

const WORD = /[\p{L}\p{N}\p{Co}]+\*?/gu;
const MAX_TERMS = 16;

/** The FTS5 MATCH expression for `text`, or undefined when it has no word. */
export function ftsQuery(text: string): string | undefined {
  const terms = (String(text).match(WORD) ?? []).slice(0, MAX_TERMS).map((w) => {
    const prefix = w.endsWith('*');
    const word = prefix ? w.slice(0, -1) : w;
    return `"${word.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
  });
  return terms.length > 0 ? terms.join(' AND ') : undefined;
}
