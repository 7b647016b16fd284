/**
 * Compiles a parsed query to one SQL predicate over the archive's `events e`
 * (the alias every repository read uses), with bound parameters only: the
 * statement text is built from this file's constants and `?`; whatever the
 * user typed travels as a parameter. Fields use the indexed columns and the
 * small dictionary tables, bare words the FTS5 index, dotted paths
 * `json_each` over the event's wire JSON.
 */
import type { SqlValue } from '../archive/archiveSql';
import { ftsQuery } from '../archive/searchText';
import { TENANT_TYPES_SQL } from '../archive/repository';
import { queryError, type FieldTerm, type QueryError, type QueryNode, type Result, type TextTerm } from './ast';
import { didYouMean, fieldSpec, JSON_PATH } from './fields';
import { parseDuration, parseInstant } from './timeValue';

export interface SqlPredicate {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

export interface CompileOptions {
  /** Unix seconds that `last:` counts back from. */
  readonly nowSeconds: number;
}

const ESC = ` ESCAPE '\\'`;
/** A scalar `j` of json_each as text (`true`, `false`, `null`, a number or the string) LIKE the pattern. */
const SCALAR_LIKE = `j.type NOT IN ('object', 'array') AND (CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null' ELSE CAST(j.atom AS TEXT) END) LIKE ?${ESC}`;
/** Word characters as the FTS5 tokenizer (unicode61) sees them. */
const WORD_ONLY = /^[\p{L}\p{N}\p{Co}]+$/u;

/** A LIKE pattern matching `value` literally (`%`, `_` and `\` escaped), `%` appended for a prefix. */
export function likePattern(value: string, prefix: boolean, contains = false): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return `${contains ? '%' : ''}${escaped}${prefix || contains ? '%' : ''}`;
}

export function compileNode(text: string, node: QueryNode, options: CompileOptions): Result<SqlPredicate> {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts: SqlPredicate[] = [];
      for (const child of node.children) {
        const c = compileNode(text, child, options);
        if (!c.ok) return c;
        parts.push(c.value);
      }
      const glue = node.kind === 'and' ? ' AND ' : ' OR ';
      return ok(parts.map((p) => `(${p.sql})`).join(glue), parts.flatMap((p) => p.params));
    }
    case 'not': {
      const c = compileNode(text, node.child, options);
      // coalesce: a NULL column (no project) is "not this project", as a user reads "-project:x".
      return c.ok ? ok(`NOT coalesce((${c.value.sql}), 0)`, c.value.params) : c;
    }
    case 'text':
      return compileText(text, node);
    case 'field':
      return compileField(text, node, options);
  }
}

function ok(sql: string, params: readonly SqlValue[]): { ok: true; value: SqlPredicate } {
  return { ok: true, value: { sql, params } };
}

/** The predicate of words in the full-text index (its one parameter is the FTS5 match). */
export const FTS_WORDS = 'e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)';

/** A word: the FTS5 index. A phrase (or a word the tokenizer splits, like an IP): its words there, then the text itself in the JSON. */
function compileText(text: string, term: TextTerm): Result<SqlPredicate> {
  const match = ftsQuery(term.value + (term.prefix ? '*' : ''));
  if (match === undefined) return queryError(text, term.offset, `nothing to search for in ${JSON.stringify(term.value.slice(0, 40))} (no letters or digits)`);
  const fts = FTS_WORDS;
  if (!term.phrase && WORD_ONLY.test(term.value)) return ok(fts, [match]);
  // The wire text has the phrase JSON-escaped (a quote as \", a backslash as \\).
  const inJson = JSON.stringify(term.value).slice(1, -1);
  const raw = `EXISTS (SELECT 1 FROM event_raw r WHERE r.seq = e.seq AND r.raw LIKE ?${ESC})`;
  return ok(`${fts} AND ${raw}`, [match, likePattern(inJson, false, true)]);
}

type FieldCompiler = (term: FieldTerm, like: string, options: CompileOptions, text: string) => Result<SqlPredicate>;

const dictionary =
  (column: 'type_ref' | 'actor_ref' | 'project_ref' | 'agent_ref', table: string, columns: readonly string[]): FieldCompiler =>
  (_term, like) =>
    ok(`e.${column} IN (SELECT ref FROM ${table} WHERE ${columns.map((c) => `${c} LIKE ?${ESC}`).join(' OR ')})`, columns.map(() => like));

/** An events column: `=` (its index) for an exact value, LIKE for a prefix. */
const column =
  (name: 'resource_id' | 'ip' | 'id'): FieldCompiler =>
  (term, like) =>
    term.prefix ? ok(`e.${name} LIKE ?${ESC}`, [like]) : ok(`e.${name} = ?`, [term.value]);

/** Directory kinds whose names (and emails) name an actor: a user, a service account, an API key. */
const ACTOR_KINDS = "kind IN ('user', 'projectUser', 'serviceAccount', 'apiKey', 'adminApiKey')";

/**
 * Also matches by the names the organization's directory gives (issue 15), where it has been read:
 * `actor:"Grace Hopper"` finds the events of that user's id, `project:Atlas` those of a project renamed since.
 * The directory's table is empty until a Refresh Directory, so the clause then matches nothing extra.
 */
function withDirectoryNames(base: Result<SqlPredicate>, like: string, field: 'actor' | 'project'): Result<SqlPredicate> {
  if (!base.ok) return base;
  const named = (kinds: string) => `SELECT id FROM directory_entries WHERE ${kinds} AND (name LIKE ?${ESC} OR email LIKE ?${ESC})`;
  if (field === 'project') {
    return ok(`${base.value.sql} OR e.project_ref IN (SELECT ref FROM projects WHERE project_id IN (${named("kind = 'project'")}))`, [...base.value.params, like, like]);
  }
  const ids = named(ACTOR_KINDS);
  return ok(
    `${base.value.sql} OR e.actor_ref IN (SELECT ref FROM actors WHERE user_id IN (${ids}) OR service_account_id IN (${ids}) OR api_key_id IN (${ids}))`,
    [...base.value.params, like, like, like, like, like, like],
  );
}

const FIELD_COMPILERS: Record<string, FieldCompiler> = {
  type: dictionary('type_ref', 'types', ['name']),
  actor: (term, like, options, text) => withDirectoryNames(dictionary('actor_ref', 'actors', ['email', 'actor_id', 'user_id', 'api_key_id', 'service_account_id', 'label'])(term, like, options, text), like, 'actor'),
  'actor.type': dictionary('actor_ref', 'actors', ['actor_type']),
  project: (term, like, options, text) => withDirectoryNames(dictionary('project_ref', 'projects', ['project_id', 'name'])(term, like, options, text), like, 'project'),
  ua: (term) => dictionary('agent_ref', 'agents', ['user_agent'])(term, likePattern(term.value, false, true), { nowSeconds: 0 }, ''),
  resource: column('resource_id'),
  ip: column('ip'),
  id: column('id'),
  key: (term, like) => {
    const byKey = `e.actor_ref IN (SELECT ref FROM actors WHERE api_key_id LIKE ?${ESC})`;
    return term.prefix ? ok(`${byKey} OR e.resource_id LIKE ?${ESC}`, [like, like]) : ok(`${byKey} OR e.resource_id = ?`, [like, term.value]);
  },
  tenant: (term) => {
    const scoped = `e.type_ref IN (SELECT ref FROM types WHERE ${TENANT_TYPES_SQL})`;
    const v = term.value.toLowerCase();
    if (v === 'true' && !term.prefix) return ok(scoped, []);
    if (v === 'false' && !term.prefix) return ok(`NOT (${scoped})`, []);
    return ok(`${scoped} AND ${term.prefix ? `e.resource_id LIKE ?${ESC}` : 'e.resource_id = ?'}`, [term.prefix ? likePattern(term.value, true) : term.value]);
  },
  country: (term, like) => withWords(term, jsonPath('actor.session.ip_address_details.country', like, false)),
  after: (term, _like, _o, text) => instant(text, term, (s) => ok('e.effective_at >= ?', [s])),
  before: (term, _like, _o, text) => instant(text, term, (s) => ok('e.effective_at < ?', [s])),
  last: (term, _like, options, text) => {
    const seconds = parseDuration(term.value);
    if (seconds === undefined || term.prefix) return queryError(text, term.valueOffset, `last: takes a duration like 30m, 24h, 7d or 2w, not ${JSON.stringify(term.value.slice(0, 40))}`);
    return ok('e.effective_at >= ?', [Math.floor(options.nowSeconds) - seconds]);
  },
};

function instant(text: string, term: FieldTerm, then: (seconds: number) => Result<SqlPredicate>): Result<SqlPredicate> {
  const seconds = term.prefix ? undefined : parseInstant(term.value);
  if (seconds === undefined) {
    return queryError(text, term.valueOffset, `${term.field}: takes a date (2026-11-01), a UTC date-time (2026-11-01T09:30) or Unix seconds, not ${JSON.stringify(term.value.slice(0, 40))}`);
  }
  return then(seconds);
}

/**
 * A path inside the event: at the top of the JSON (`actor.session.user.email`) or inside the payload,
 * which the API keys by the event's type (`changes_requested.name` of a `project.updated`). A scalar there,
 * or any scalar element of an array there, matches (case-insensitively, `*` for a prefix).
 */
function jsonPath(path: string, like: string, payloadToo: boolean): Result<SqlPredicate> {
  // json_each of an array walks its elements, of a scalar gives the scalar itself, of a missing path nothing.
  const each = (from: string): string => `EXISTS (SELECT 1 FROM event_raw r, json_each(r.raw, ${from}) j WHERE r.seq = e.seq AND ${SCALAR_LIKE})`;
  const top = ok(each('?'), [`$.${path}`, like]);
  if (!payloadToo) return top;
  const payload = payloadPath(path, like);
  return ok(`${top.value.sql} OR ${payload.value.sql}`, [...top.value.params, ...payload.value.params]);
}

/** A path inside the event's payload, the object the API keys by its type (`payload.error_message`). */
function payloadPath(path: string, like: string): { ok: true; value: SqlPredicate } {
  const from = `'$."' || replace((SELECT name FROM types WHERE ref = e.type_ref), '"', '') || '".' || ?`;
  return ok(`EXISTS (SELECT 1 FROM event_raw r, json_each(r.raw, ${from}) j WHERE r.seq = e.seq AND ${SCALAR_LIKE})`, [path, like]);
}

/**
 * The full-text index holds every string of an event: a JSON-path term whose value is text can only match
 * events with its words, so they narrow the rows before json_each parses any wire text (at 20,000 events
 * a path query went from 265 ms to a few). A number, boolean or null is not in the index: no narrowing.
 */
function withWords(term: FieldTerm, path: Result<SqlPredicate>): Result<SqlPredicate> {
  if (!path.ok || /^(true|false|null|-?\d+(\.\d+)?)$/i.test(term.value)) return path;
  const match = ftsQuery(term.value + (term.prefix ? '*' : ''));
  if (match === undefined) return path;
  return ok(`e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?) AND (${path.value.sql})`, [match, ...path.value.params]);
}

function compileField(text: string, term: FieldTerm, options: CompileOptions): Result<SqlPredicate> {
  const like = likePattern(term.value, term.prefix);
  const known = term.field.toLowerCase();
  if (fieldSpec(known)) return FIELD_COMPILERS[known]!({ ...term, field: known }, like, options, text);
  if (term.field.startsWith('payload.') && JSON_PATH.test(term.field)) return withWords(term, payloadPath(term.field.slice('payload.'.length), like));
  if (JSON_PATH.test(term.field)) return withWords(term, jsonPath(term.field, like, true));
  const hint = didYouMean(known);
  return queryError(text, term.offset, `unknown field ${JSON.stringify(known.slice(0, 40))}`, hint ? `, did you mean ${hint}?` : '');
}

export type { QueryError };
