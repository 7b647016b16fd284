/**
 * The loopback server's reading of a list request's query string, checked as
 * strictly as the API does: an unknown or repeated parameter, a value of the
 * wrong type, or a cursor the server does not hold is a 400 naming `param`.
 */

export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

export interface ListQuery {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  projectIds?: Set<string>;
  eventTypes?: Set<string>;
  actorIds?: Set<string>;
  actorEmails?: Set<string>;
  resourceIds?: Set<string>;
  tenantOnly: boolean;
  limit: number;
  after?: string;
  before?: string;
}

/** A request the API would refuse with 400 and OpenAI's error body. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

const ARRAY_PARAMS = {
  'project_ids[]': 'projectIds',
  'event_types[]': 'eventTypes',
  'actor_ids[]': 'actorIds',
  'actor_emails[]': 'actorEmails',
  'resource_ids[]': 'resourceIds',
} as const;
const TIME_PARAMS = { 'effective_at[gt]': 'gt', 'effective_at[gte]': 'gte', 'effective_at[lt]': 'lt', 'effective_at[lte]': 'lte' } as const;
const SCALAR_PARAMS = new Set(['tenant_only', 'limit', 'after', 'before', ...Object.keys(TIME_PARAMS)]);

export function isTenantScopedEventType(type: string): boolean {
  return type.startsWith('tenant.') || type === 'role.bound_to_resource' || type === 'role.unbound_from_resource';
}

/** Parses the decoded query; `holds(id)` says whether a cursor names an event the server has. Throws `BadRequest`. */
export function parseListQuery(query: Readonly<Record<string, string[]>>, holds: (id: string) => boolean): ListQuery {
  const q: ListQuery = { tenantOnly: false, limit: DEFAULT_PAGE_LIMIT };
  for (const [name, values] of Object.entries(query)) {
    if (name in ARRAY_PARAMS) {
      q[ARRAY_PARAMS[name as keyof typeof ARRAY_PARAMS]] = new Set(values);
      continue;
    }
    if (!SCALAR_PARAMS.has(name)) throw new BadRequest(`Unrecognized request argument supplied: ${name}`, name, 'unknown_parameter');
    if (values.length > 1) throw new BadRequest(`Duplicate parameter: ${name} was given ${values.length} times.`, name, 'invalid_value');
    readScalar(q, name, values[0] as string, holds);
  }
  if (q.after !== undefined && q.before !== undefined) throw new BadRequest("Only one of 'after' and 'before' may be given.", 'before', 'invalid_value');
  if (q.tenantOnly && q.eventTypes) {
    const other = [...q.eventTypes].find((t) => !isTenantScopedEventType(t));
    if (other !== undefined) throw new BadRequest(`'${other}' is not a tenant-scoped event type; with tenant_only=true every event type must be tenant-scoped.`, 'event_types[]', 'invalid_value');
  }
  return q;
}

function readScalar(q: ListQuery, name: string, value: string, holds: (id: string) => boolean): void {
  if (name in TIME_PARAMS) {
    if (!/^-?\d+$/.test(value)) throw new BadRequest(`Invalid '${name}': expected an integer (Unix seconds), got '${value}'.`, name, 'invalid_type');
    q[TIME_PARAMS[name as keyof typeof TIME_PARAMS]] = Number(value);
  } else if (name === 'limit') {
    if (!/^-?\d+$/.test(value)) throw new BadRequest(`Invalid 'limit': expected an integer, got '${value}'.`, 'limit', 'invalid_type');
    const limit = Number(value);
    if (limit < 1) throw new BadRequest(`Invalid 'limit': integer below minimum value. Expected a value >= 1, but got ${limit} instead.`, 'limit', 'integer_below_min_value');
    if (limit > MAX_PAGE_LIMIT) {
      throw new BadRequest(`Invalid 'limit': integer above maximum value. Expected a value <= ${MAX_PAGE_LIMIT}, but got ${limit} instead.`, 'limit', 'integer_above_max_value');
    }
    q.limit = limit;
  } else if (name === 'tenant_only') {
    if (value !== 'true' && value !== 'false') throw new BadRequest(`Invalid 'tenant_only': expected true or false, got '${value}'.`, 'tenant_only', 'invalid_type');
    q.tenantOnly = value === 'true';
  } else {
    // after / before
    if (value === '') throw new BadRequest(`Invalid '${name}': expected an audit log id.`, name, 'invalid_value');
    if (!holds(value)) throw new BadRequest(`Invalid '${name}': no audit log with id '${value}'.`, name, 'invalid_value');
    q[name as 'after' | 'before'] = value;
  }
}
