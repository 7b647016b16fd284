/**
 * What of a query the API's own parameters can express, and what stays
 * local. Only a top-level AND of positive, exact terms can be pushed: the
 * API ANDs different parameters and ORs the values of one, so `type:a
 * type:b` (an intersection) stays local, as does anything under OR or NOT,
 * wildcards, text and fields the API has no parameter for. What is pushed
 * narrows what is fetched; the archive's SQL still applies the whole query.
 */
import type { AuditLogQuery, EffectiveAtRange } from '../api/query';
import type { FieldTerm, QueryNode } from './ast';
import { parseDuration, parseInstant } from './timeValue';

export interface ApiPart {
  /** The parameters for the pushed terms (no paging). */
  readonly query: AuditLogQuery;
  /** The query's text of each term the API cannot filter by, in order. */
  readonly localOnly: readonly string[];
}

type ListKey = 'eventTypes' | 'projectIds' | 'actorIds' | 'actorEmails' | 'resourceIds';

/** An actor value the API's `actor_ids[]` matches (a user, API key or service account id), not a name. */
const ACTOR_ID = /^(user-|key_|svc_acct_|sa_)/;

function listKey(term: FieldTerm): ListKey | undefined {
  if (term.prefix) return undefined;
  switch (term.field.toLowerCase()) {
    case 'type':
      return 'eventTypes';
    case 'project':
      return term.value.startsWith('proj_') ? 'projectIds' : undefined;
    case 'actor':
      return term.value.includes('@') ? 'actorEmails' : ACTOR_ID.test(term.value) ? 'actorIds' : undefined;
    case 'resource':
      return 'resourceIds';
    default:
      return undefined;
  }
}

/** `last:`, `after:`, `before:` as a range (undefined when the term is not a valid time). */
function timeBound(term: FieldTerm, nowSeconds: number): EffectiveAtRange | undefined {
  const field = term.field.toLowerCase();
  if (field === 'last') {
    const d = parseDuration(term.value);
    return d === undefined ? undefined : { gte: Math.floor(nowSeconds) - d };
  }
  if (field !== 'after' && field !== 'before') return undefined;
  const s = parseInstant(term.value);
  if (s === undefined) return undefined;
  return field === 'after' ? { gte: Math.ceil(s) } : { lt: Math.ceil(s) };
}

function narrower(a: EffectiveAtRange | undefined, b: EffectiveAtRange): EffectiveAtRange {
  const gte = Math.max(a?.gte ?? -Infinity, b.gte ?? -Infinity);
  const lt = Math.min(a?.lt ?? Infinity, b.lt ?? Infinity);
  return { ...(Number.isFinite(gte) ? { gte } : {}), ...(Number.isFinite(lt) ? { lt } : {}) };
}

/** The API part of a parsed query (`text` gives each local term its source). */
export function apiPartOf(text: string, tree: QueryNode | undefined, nowSeconds: number): ApiPart {
  const terms = tree === undefined ? [] : tree.kind === 'and' ? tree.children : [tree];
  const source = (n: QueryNode): string => text.slice(n.offset, n.offset + n.length);
  const lists = new Map<ListKey, FieldTerm[]>();
  const local: QueryNode[] = [];
  let range: EffectiveAtRange | undefined;
  let tenantOnly = false;
  for (const node of terms) {
    if (node.kind !== 'field') {
      local.push(node);
      continue;
    }
    const bound = timeBound(node, nowSeconds);
    const key = listKey(node);
    if (bound) range = narrower(range, bound);
    else if (key) lists.set(key, [...(lists.get(key) ?? []), node]);
    else if (node.field.toLowerCase() === 'tenant' && node.value.toLowerCase() === 'true' && !node.prefix) tenantOnly = true;
    else local.push(node);
  }
  const query: { -readonly [K in keyof AuditLogQuery]: AuditLogQuery[K] } = {};
  if (range) query.effectiveAt = range;
  for (const [key, list] of lists) {
    // Two values of one parameter would be ORed by the API: an AND of them is only local.
    if (list.length === 1) query[key] = [list[0]!.value];
    else local.push(...list);
  }
  if (tenantOnly) query.tenantOnly = true;
  local.sort((a, b) => a.offset - b.offset);
  return { query, localOnly: local.map(source) };
}
