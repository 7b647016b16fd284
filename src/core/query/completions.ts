/**
 * Completions for the search box: what the last word of the text is (a field
 * name being typed, or a value after `field:`), and the suggestions for it:
 * field names from the field table, values the archive knows (types,
 * projects, actors, IPs) through the one SQL door.
 */
import type { ArchiveSql } from '../archive/archiveSql';
import { FIELDS } from './fields';

export interface Completion {
  /** What replaces the last word (a field ends with `:`; a value with a space is quoted). */
  readonly insert: string;
  readonly label: string;
  readonly detail: string;
}

/** The text as it would read with the last word replaced by `insert` (and a space after a value). */
export function applyCompletion(text: string, c: Completion): string {
  const { start } = lastWord(text);
  return text.slice(0, start) + c.insert + (c.insert.endsWith(':') ? '' : ' ');
}

/** The word at the end of `text` (after the last space or parenthesis, a leading `-` kept out). */
export function lastWord(text: string): { start: number; word: string } {
  let start = text.length;
  while (start > 0 && !/[\s()]/.test(text[start - 1]!)) start--;
  if (text[start] === '-') start++;
  return { start, word: text.slice(start) };
}

const VALUE_FIELDS = ['type', 'project', 'actor', 'ip'] as const;
type ValueField = (typeof VALUE_FIELDS)[number];
const MAX = 12;
/** How many of the newest events the IP completions look at. */
const RECENT = 5_000;

/** Values the archive holds for a field, most frequent or newest first where cheap; `partial` narrows them. */
export function knownValues(sql: ArchiveSql, field: ValueField, partial: string): { value: string; detail: string }[] {
  const like = `%${partial.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  switch (field) {
    case 'type':
      return sql.all(`SELECT name AS v FROM types WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ${MAX}`, [like]).map((r) => ({ value: String(r.v), detail: 'event type' }));
    case 'project':
      return sql
        .all(`SELECT DISTINCT coalesce(project_id, name) AS v, name FROM projects WHERE project_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' LIMIT ${MAX}`, [like, like])
        .map((r) => ({ value: String(r.v), detail: r.name === null ? 'project' : `project ${String(r.name)}` }));
    case 'actor':
      return sql
        .all(`SELECT DISTINCT coalesce(email, actor_id) AS v, kind FROM actors WHERE coalesce(email, actor_id) LIKE ? ESCAPE '\\' LIMIT ${MAX}`, [like])
        .filter((r) => r.v !== null)
        .map((r) => ({ value: String(r.v), detail: String(r.kind) }));
    case 'ip':
      return sql
        // The addresses of the newest events (bounded: a count over every event's IP costs ~100 ms at 100,000).
        .all(
          `SELECT ip AS v, count(*) AS n FROM (SELECT ip FROM events ORDER BY effective_at DESC LIMIT ${RECENT}) WHERE ip LIKE ? ESCAPE '\\' GROUP BY ip ORDER BY n DESC, ip LIMIT ${MAX}`,
          [like],
        )
        .map((r) => ({ value: String(r.v), detail: `${Number(r.n).toLocaleString('en-US')} of the newest ${RECENT.toLocaleString('en-US')} events` }));
  }
}

/** Suggestions for the last word of `text`; `sql` is undefined without an archive (field names only). */
export function completionsFor(text: string, sql: ArchiveSql | undefined): Completion[] {
  const { word } = lastWord(text);
  const colon = word.indexOf(':');
  if (colon < 0) {
    const partial = word.toLowerCase();
    return FIELDS.filter((f) => f.name.startsWith(partial) && partial.length > 0).map((f) => ({ insert: `${f.name}:`, label: `${f.name}:`, detail: f.detail }));
  }
  const field = word.slice(0, colon).toLowerCase();
  const partial = word.slice(colon + 1).replace(/^"/, '');
  if (!sql || !(VALUE_FIELDS as readonly string[]).includes(field)) return [];
  return knownValues(sql, field as ValueField, partial)
    .filter((v) => v.value !== partial)
    .map((v) => ({ insert: `${field}:${/[\s()"]/.test(v.value) ? JSON.stringify(v.value) : v.value}`, label: `${field}:${v.value}`, detail: v.detail }));
}
