/**
 * The audit-log query and its wire encoding, exactly as the API expects it:
 * `effective_at[gte]=…`, repeated bracketed keys for lists
 * (`project_ids[]=a&project_ids[]=b`), `tenant_only=true`. Only the
 * parameters present are sent; the order is fixed so a query always encodes
 * to the same string.
 */
import { MAX_PLAUSIBLE_SECONDS } from '../model/effectiveAt';
import { InvalidQueryError } from './errors';

export const MIN_PAGE_SIZE = 1;
export const MAX_PAGE_SIZE = 100;

/** Bounds on `effective_at`, in Unix seconds. */
export interface EffectiveAtRange {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
}

export interface AuditLogQuery {
  readonly effectiveAt?: EffectiveAtRange;
  readonly projectIds?: readonly string[];
  /** Event types; unknown (newer) types are passed through as they are. */
  readonly eventTypes?: readonly string[];
  /** User ids, service-account ids or API key tracking ids. */
  readonly actorIds?: readonly string[];
  readonly actorEmails?: readonly string[];
  readonly resourceIds?: readonly string[];
  readonly tenantOnly?: boolean;
  /** Page size, 1-100 (the API's default is 20). */
  readonly limit?: number;
  /** Cursor: the events older than this event id. */
  readonly after?: string;
  /** Cursor: the events newer than this event id. */
  readonly before?: string;
}

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

const LIST_PARAMETERS = [
  ['projectIds', 'project_ids[]'],
  ['eventTypes', 'event_types[]'],
  ['actorIds', 'actor_ids[]'],
  ['actorEmails', 'actor_emails[]'],
  ['resourceIds', 'resource_ids[]'],
] as const;


/** Throws {@link InvalidQueryError} when the API would reject the query. */
export function validateAuditLogQuery(query: AuditLogQuery): void {
  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < MIN_PAGE_SIZE || query.limit > MAX_PAGE_SIZE) {
      throw new InvalidQueryError(
        'limit',
        `The page size (limit) must be a whole number from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}, not ${String(query.limit)}.`,
      );
    }
  }
  const range = query.effectiveAt;
  if (range !== undefined) {
    for (const key of RANGE_KEYS) {
      const value = range[key];
      if (value === undefined) continue;
      const name = `effective_at[${key}]`;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new InvalidQueryError(name, `${name} must be a whole, non-negative number of Unix seconds, not ${String(value)}.`);
      }
      if (value > MAX_PLAUSIBLE_SECONDS) {
        throw new InvalidQueryError(name, `${name} is ${value}: that looks like milliseconds; the API takes Unix seconds.`);
      }
    }
    const { lower, upper } = effectiveBounds(range);
    if (lower > upper) {
      throw new InvalidQueryError('effective_at', 'The time range is empty: its start is after its end.');
    }
  }
  for (const [field, wire] of LIST_PARAMETERS) {
    const values = query[field];
    if (values === undefined) continue;
    if (!Array.isArray(values)) {
      throw new InvalidQueryError(wire, `${wire} must be a list of strings.`);
    }
    for (const value of values) {
      if (typeof value !== 'string' || value.length === 0) {
        throw new InvalidQueryError(wire, `${wire} must not contain empty values.`);
      }
    }
  }
  if (query.tenantOnly !== undefined && typeof query.tenantOnly !== 'boolean') {
    throw new InvalidQueryError('tenant_only', 'tenant_only must be true or false.');
  }
  for (const cursor of ['after', 'before'] as const) {
    const value = query[cursor];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new InvalidQueryError(cursor, `The ${cursor} cursor must be a non-empty event id.`);
    }
  }
  if (query.after !== undefined && query.before !== undefined) {
    throw new InvalidQueryError('after', 'A query takes either an after or a before cursor, not both.');
  }
}

/**
 * The first and last whole second a validated range admits. Every bound
 * applies at once (the API ANDs them), so the lower bound is the larger of
 * `gte` and `gt + 1`, the upper the smaller of `lte` and `lt - 1`; the bounds
 * are whole non-negative seconds, so `gt: 4` admits 5 and `lt: 0` nothing.
 */
function effectiveBounds(range: EffectiveAtRange): { lower: number; upper: number } {
  let lower = 0;
  let upper = Number.POSITIVE_INFINITY;
  if (range.gte !== undefined) lower = Math.max(lower, range.gte);
  if (range.gt !== undefined) lower = Math.max(lower, range.gt + 1);
  if (range.lte !== undefined) upper = Math.min(upper, range.lte);
  if (range.lt !== undefined) upper = Math.min(upper, range.lt - 1);
  return { lower, upper };
}

/**
 * Validates and encodes a query as the API's query string (without `?`).
 * Brackets are sent literally, values are percent-encoded.
 */
export function encodeAuditLogQuery(query: AuditLogQuery): string {
  validateAuditLogQuery(query);
  const parts: string[] = [];
  const add = (key: string, value: string): void => {
    parts.push(`${key}=${encodeURIComponent(value)}`);
  };
  const range = query.effectiveAt;
  if (range !== undefined) {
    for (const key of RANGE_KEYS) {
      const value = range[key];
      if (value !== undefined) add(`effective_at[${key}]`, String(value));
    }
  }
  for (const [field, wire] of LIST_PARAMETERS) {
    for (const value of query[field] ?? []) add(wire, value);
  }
  if (query.tenantOnly !== undefined) add('tenant_only', query.tenantOnly ? 'true' : 'false');
  if (query.limit !== undefined) add('limit', String(query.limit));
  if (query.after !== undefined) add('after', query.after);
  if (query.before !== undefined) add('before', query.before);
  return parts.join('&');
}
