/**
 * The search language over the archive (VS Code-free): parse, validate
 * against the field table, compile to one parameterised SQL predicate and to
 * the API parameters it implies. See parser.ts for the grammar and why it is
 * not liqe, compile.ts for the SQL.
 */
import type { AuditLogQuery, EffectiveAtRange } from '../api/query';
import type { ArchiveQuery, QueryClause } from '../archive/repository';
import type { QueryError, QueryNode } from './ast';
import { apiPartOf, type ApiPart } from './apiPart';
import { compileNode, FTS_WORDS, type CompileOptions, type SqlPredicate } from './compile';
import { parseQuery } from './parser';

export type { QueryError, QueryNode } from './ast';
export type { ApiPart } from './apiPart';
export { FIELDS, type FieldName, type FieldSpec } from './fields';
export { MAX_QUERY_LENGTH, parseQuery } from './parser';
export { likePattern, type SqlPredicate } from './compile';

export interface CompiledQuery {
  readonly text: string;
  /** Undefined for an empty query (everything matches). */
  readonly tree: QueryNode | undefined;
  /** The predicate over `events e`; undefined for an empty query. */
  readonly where: SqlPredicate | undefined;
  /** The API parameters the query implies and the terms only the archive can apply. */
  readonly api: ApiPart;
}

export type CompileResult = { readonly ok: true; readonly query: CompiledQuery } | { readonly ok: false; readonly error: QueryError };

/** Parses and compiles `text`. Never throws: a wrong query is `{ ok: false, error }` with the message and position. */
export function compileQuery(text: string, options: CompileOptions): CompileResult {
  const parsed = parseQuery(text);
  if (!parsed.ok) return parsed;
  const tree = parsed.value;
  let where: SqlPredicate | undefined;
  if (tree) {
    const compiled = compileNode(text, tree, options);
    if (!compiled.ok) return compiled;
    where = compiled.value;
  }
  return { ok: true, query: { text, tree, where, api: apiPartOf(text, tree, options.nowSeconds) } };
}

/** A query that matches nothing (what an invalid stored search applies: never "everything"). */
const NOTHING: SqlPredicate = { sql: '0', params: [] };

/**
 * The filters' query with a search applied: the archive gets the compiled predicate; the API, its
 * parameters where the filters leave them free (a filter's own list wins; time ranges intersect).
 * An invalid search matches nothing rather than everything.
 */
export function withSearch(query: AuditLogQuery, search: string | undefined, nowSeconds: number): ArchiveQuery {
  if (search === undefined || search.trim() === '') return query;
  const compiled = compileQuery(search, { nowSeconds });
  if (!compiled.ok) return { ...query, clause: NOTHING };
  const { where, api } = compiled.query;
  const out: { -readonly [K in keyof ArchiveQuery]: ArchiveQuery[K] } = { ...query };
  const covers: NonNullable<QueryClause['covers']>[number][] = [];
  for (const key of ['eventTypes', 'projectIds', 'actorIds', 'actorEmails', 'resourceIds'] as const) {
    if (api.query[key] && !query[key]?.length) {
      out[key] = api.query[key];
      covers.push(key);
    }
  }
  const words = ftsOnly(compiled.query.tree, where);
  if (where) out.clause = { ...where, timeOrderSql: timeOrderSql(where.sql), ...(covers.length > 0 ? { covers } : {}), ...(words ? { ftsMatch: words } : {}) };
  if (api.query.tenantOnly) out.tenantOnly = true;
  if (api.query.effectiveAt) out.effectiveAt = intersect(query.effectiveAt, api.query.effectiveAt);
  return out;
}

/** The FTS5 match of a query that is one bare word (or `word*`) and nothing else, for the index-only count. */
function ftsOnly(tree: QueryNode | undefined, where: SqlPredicate | undefined): string | undefined {
  if (tree?.kind !== 'text' || tree.phrase || !where || where.params.length !== 1) return undefined;
  return where.sql === FTS_WORDS ? String(where.params[0]) : undefined;
}

/**
 * The predicate for a read that pages along the time index (many matches): its references to the outer
 * row's indexed columns as `+e.x`, so SQLite keeps walking newest first instead of collecting every match
 * by that column's index and sorting (a word in a quarter of 1,000,000 events: seconds instead of ~0.3 s).
 * The text is this module's own SQL (values are parameters), so the rewrite touches no user input.
 */
function timeOrderSql(sql: string): string {
  return sql.replace(/(^|[^+.\w])e\.(seq|type_ref|actor_ref|project_ref|agent_ref|resource_id|ip|id)\b/g, '$1+e.$2');
}

function intersect(a: EffectiveAtRange | undefined, b: EffectiveAtRange): EffectiveAtRange {
  if (!a) return b;
  const lower = Math.max(a.gt !== undefined ? a.gt + 1 : -Infinity, a.gte ?? -Infinity, b.gte ?? -Infinity);
  const upper = Math.min(a.lt ?? Infinity, a.lte !== undefined ? a.lte + 1 : Infinity, b.lt ?? Infinity);
  return { ...(Number.isFinite(lower) ? { gte: lower } : {}), ...(Number.isFinite(upper) ? { lt: upper } : {}) };
}

export { applyCompletion, completionsFor, lastWord, type Completion } from './completions';
export { CODE_LANGUAGES, queryAsCode, type CodeLanguage } from './asCode';
