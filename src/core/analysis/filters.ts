/**
 * The explorer's filters and how they map onto the API's own query
 * parameters. Nothing here filters client-side: every filter becomes a
 * parameter the server applies (`effective_at[…]`, `event_types[]`,
 * `project_ids[]`, `actor_ids[]`, `actor_emails[]`, `resource_ids[]`).
 */
import type { AuditLogQuery } from '../api/query';
import { AUDIT_LOG_EVENT_TYPES } from '../model/generated';
import { eventFamily } from '../model/eventHelpers';
import type { FilterNames } from './filterNames';

export { describeZone, formatTimeInput, parseTimeInput, type InputZone, type TimeInputOptions } from './timeInput';

export const TIME_PRESETS = {
  lastHour: { label: 'Last hour', seconds: 3_600 },
  last24Hours: { label: 'Last 24 hours', seconds: 86_400 },
  last7Days: { label: 'Last 7 days', seconds: 7 * 86_400 },
  last30Days: { label: 'Last 30 days', seconds: 30 * 86_400 },
} as const;
export type TimePreset = keyof typeof TIME_PRESETS;

/** A relative range is evaluated at query time, so "last hour" stays the last hour. */
export type TimeRange =
  | { readonly kind: 'preset'; readonly preset: TimePreset }
  | { readonly kind: 'custom'; readonly start?: number; readonly end?: number };

export interface EventFilters {
  readonly time?: TimeRange;
  readonly eventTypes?: readonly string[];
  readonly projectIds?: readonly string[];
  readonly actorIds?: readonly string[];
  readonly actorEmails?: readonly string[];
  readonly resourceIds?: readonly string[];
  /** A search in the query language (src/core/query), ANDed with the other filters. */
  readonly query?: string;
}

export const NO_FILTERS: EventFilters = Object.freeze({});

const LIST_KEYS = ['eventTypes', 'projectIds', 'actorIds', 'actorEmails', 'resourceIds'] as const;
export type ListFilterKey = (typeof LIST_KEYS)[number];

/** Caps that keep a hand-edited or hostile stored value from producing a huge URL. */
const MAX_VALUES = 200;
const MAX_VALUE_LENGTH = 512;
/** The query language's own limit (src/core/query MAX_QUERY_LENGTH; not imported, core/query reads the archive). */
const MAX_SEARCH_LENGTH = 2_000;

function cleanList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const v = item.trim();
    if (v === '' || v.length > MAX_VALUE_LENGTH || out.includes(v)) continue;
    out.push(v);
    if (out.length >= MAX_VALUES) break;
  }
  return out.length > 0 ? out : undefined;
}

function cleanSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e11 ? value : undefined;
}

/**
 * Rebuilds filters from an untrusted value (workspace state written by an
 * older version, a command argument): unknown keys dropped, lists trimmed and
 * de-duplicated, empty lists removed.
 */
export function normalizeFilters(value: unknown): EventFilters {
  if (typeof value !== 'object' || value === null) return NO_FILTERS;
  const v = value as Record<string, unknown>;
  const out: { -readonly [K in keyof EventFilters]: EventFilters[K] } = {};
  const time = v.time as Record<string, unknown> | undefined;
  if (typeof time === 'object' && time !== null) {
    if (time.kind === 'preset' && typeof time.preset === 'string' && Object.hasOwn(TIME_PRESETS, time.preset)) {
      out.time = { kind: 'preset', preset: time.preset as TimePreset };
    } else if (time.kind === 'custom') {
      const start = cleanSeconds(time.start);
      const end = cleanSeconds(time.end);
      if (start !== undefined || end !== undefined) {
        out.time = { kind: 'custom', ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
      }
    }
  }
  for (const key of LIST_KEYS) {
    const list = cleanList(v[key]);
    if (list) out[key] = list;
  }
  if (typeof v.query === 'string' && v.query.trim() !== '' && v.query.length <= MAX_SEARCH_LENGTH) out.query = v.query.trim();
  return out;
}

export function hasFilters(filters: EventFilters): boolean {
  return filters.time !== undefined || filters.query !== undefined || LIST_KEYS.some((k) => (filters[k]?.length ?? 0) > 0);
}

/** Adds one value to a list filter (the "Filter to this …" commands). */
export function withListValue(filters: EventFilters, key: ListFilterKey, value: string): EventFilters {
  return normalizeFilters({ ...filters, [key]: [...(filters[key] ?? []), value] });
}

/** The filters as the API's query (without paging): evaluated at `nowSeconds`. */
export function filtersToQuery(filters: EventFilters, nowSeconds: number): AuditLogQuery {
  const query: { -readonly [K in keyof AuditLogQuery]: AuditLogQuery[K] } = {};
  const time = filters.time;
  if (time?.kind === 'preset') {
    query.effectiveAt = { gte: Math.floor(nowSeconds) - TIME_PRESETS[time.preset].seconds };
  } else if (time?.kind === 'custom') {
    query.effectiveAt = {
      ...(time.start !== undefined ? { gte: time.start } : {}),
      ...(time.end !== undefined ? { lte: time.end } : {}),
    };
  }
  for (const key of LIST_KEYS) {
    const list = filters[key];
    if (list && list.length > 0) query[key] = [...list];
  }
  return query;
}

function isoMinute(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function describeTimeRange(time: TimeRange): string {
  if (time.kind === 'preset') return TIME_PRESETS[time.preset].label.toLowerCase();
  if (time.start !== undefined && time.end !== undefined) return `${isoMinute(time.start)} – ${isoMinute(time.end)}`;
  if (time.start !== undefined) return `since ${isoMinute(time.start)}`;
  return `until ${isoMinute(time.end ?? 0)}`;
}

function describeList(noun: string, plural: string, values: readonly string[] | undefined, name?: (id: string) => string | undefined): string | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length === 1) return `${noun} ${name?.(values[0]!) ?? values[0]}`;
  return `${values.length} ${plural}`;
}

/** The known types of each family with more than one ("role" → role.created, role.updated, …). */
export const EVENT_TYPE_FAMILIES: ReadonlyMap<string, readonly string[]> = (() => {
  const families = new Map<string, string[]>();
  for (const type of AUDIT_LOG_EVENT_TYPES) {
    const family = eventFamily(type);
    families.set(family, [...(families.get(family) ?? []), type]);
  }
  for (const [family, members] of families) if (members.length < 2) families.delete(family);
  return families;
})();

/** The types as they read: a family whose every known type is there as `role.*`, the others as they are. */
export function typeTokens(types: readonly string[]): string[] {
  const chosen = new Set(types);
  const tokens: string[] = [];
  for (const type of types) {
    const family = eventFamily(type);
    const members = EVENT_TYPE_FAMILIES.get(family);
    const token = members?.includes(type) && members.every((t) => chosen.has(t)) ? `${family}.*` : type;
    if (!tokens.includes(token)) tokens.push(token);
  }
  return tokens;
}

function describeTypes(types: readonly string[] | undefined): string | undefined {
  if (!types || types.length === 0) return undefined;
  const tokens = typeTokens(types);
  if (tokens.length === 1) return `${tokens[0]!.endsWith('.*') ? 'types' : 'type'} ${tokens[0]}`;
  if (tokens.length === 2) return `types ${tokens.join(', ')}`;
  return `${types.length} types`;
}

/**
 * One short line for the view's description, e.g. "last 24 hours · type api_key.created · 2 projects";
 * with `names`, a project or actor the archive knows by name reads by its name.
 */
export function describeFilters(filters: EventFilters, names?: FilterNames): string {
  return describeFilterParts(filters, names).join(' · ');
}

/** The active filters, one short phrase each. */
export function describeFilterParts(filters: EventFilters, names?: FilterNames): string[] {
  return [
    filters.time ? describeTimeRange(filters.time) : undefined,
    describeTypes(filters.eventTypes),
    describeList('project', 'projects', filters.projectIds, names?.project),
    describeList('actor', 'actors', [...(filters.actorIds ?? []), ...(filters.actorEmails ?? [])], names?.actor),
    describeList('resource', 'resources', filters.resourceIds),
    filters.query !== undefined ? describeSearch(filters.query) : undefined,
  ].filter((p): p is string => p !== undefined);
}

/** The search's chip: `search "ip:198.51.100.23"`, a long one cut with an ellipsis. */
function describeSearch(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ');
  return `search ${JSON.stringify(oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine)}`;
}

/** Splits a free-text answer ("a, b c") into values. */
export function splitValues(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
