/**
 * The explorer's filters and how they map onto the API's own query
 * parameters. Nothing here filters client-side: every filter becomes a
 * parameter the server applies (`effective_at[…]`, `event_types[]`,
 * `project_ids[]`, `actor_ids[]`, `actor_emails[]`, `resource_ids[]`).
 */
import type { AuditLogQuery } from '../api/query';

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
}

export const NO_FILTERS: EventFilters = Object.freeze({});

const LIST_KEYS = ['eventTypes', 'projectIds', 'actorIds', 'actorEmails', 'resourceIds'] as const;
export type ListFilterKey = (typeof LIST_KEYS)[number];

/** Caps that keep a hand-edited or hostile stored value from producing a huge URL. */
const MAX_VALUES = 200;
const MAX_VALUE_LENGTH = 512;

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
  return out;
}

export function hasFilters(filters: EventFilters): boolean {
  return filters.time !== undefined || LIST_KEYS.some((k) => (filters[k]?.length ?? 0) > 0);
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

function describeList(noun: string, plural: string, values: readonly string[] | undefined): string | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length === 1) return `${noun} ${values[0]}`;
  return `${values.length} ${plural}`;
}

/** One short line for the view's description, e.g. "last 24 hours · type api_key.created · 2 projects". */
export function describeFilters(filters: EventFilters): string {
  return describeFilterParts(filters).join(' · ');
}

/** The active filters, one short phrase each. */
export function describeFilterParts(filters: EventFilters): string[] {
  return [
    filters.time ? describeTimeRange(filters.time) : undefined,
    describeList('type', 'types', filters.eventTypes),
    describeList('project', 'projects', filters.projectIds),
    describeList('actor', 'actors', [...(filters.actorIds ?? []), ...(filters.actorEmails ?? [])]),
    describeList('resource', 'resources', filters.resourceIds),
  ].filter((p): p is string => p !== undefined);
}

/** Splits a free-text answer ("a, b c") into values. */
export function splitValues(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Reads a point in time typed by a user: Unix seconds, or an ISO date/time
 * (`2025-01-31`, `2025-01-31T12:00`, `2025-01-31 12:00Z`). A date/time
 * without zone is read in UTC, which the prompt says. `undefined` if unreadable.
 */
export function parseTimeInput(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^\d{1,11}$/.test(t)) return Number(t);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return undefined;
  const zone = m[7] ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) : undefined;
}
