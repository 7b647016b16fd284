/**
 * What a click in the Insights panel does to the Events view's filters: a brush sets the time range, a family
 * filters to its types, a facet value filters to it (or, with Alt, excludes it).
 *
 * Actor, project and type values go into the list filters the API understands. IP, country, user agent and
 * every exclusion need the search query (`filters.query`, the query language of src/core/query); when this
 * build's filters carry it (`normalizeFilters` keeps a `query`), they are written as a term of it
 * (`ip:"…"`, `-actor:"…"`), otherwise the value is not filterable and the panel says so.
 */
import { normalizeFilters, type EventFilters } from '../analysis/filters';
import type { FacetKey, FacetValue } from './facets';

/** Whether the filters carry a search query in this build (the query language is there and persisted). */
export function filtersHaveQuery(): boolean {
  return Object.hasOwn(normalizeFilters({ query: 'ip:127.0.0.1' }), 'query');
}

const QUERY_FIELD: Record<FacetKey, string> = { actor: 'actor', ip: 'ip', country: 'country', project: 'project', type: 'type', userAgent: 'ua' };

/** A query term for a value: quoted, with `"` and `\` escaped as the parser reads them. */
export function queryTerm(facet: FacetKey, value: string, exclude: boolean): string {
  return `${exclude ? '-' : ''}${QUERY_FIELD[facet]}:"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function canFilter(value: FacetValue, withQuery = filtersHaveQuery()): boolean {
  if (!value.filter) return false;
  if (value.filter.key === 'ip' || value.filter.key === 'country' || value.filter.key === 'userAgent') return withQuery;
  return true;
}

export function canExclude(value: FacetValue, withQuery = filtersHaveQuery()): boolean {
  return value.filter !== undefined && withQuery;
}

/** The filters after a click on `value` of `facet`; undefined when it cannot filter. */
export function filtersForFacet(filters: EventFilters, facet: FacetKey, value: FacetValue, exclude: boolean, withQuery = filtersHaveQuery()): EventFilters | undefined {
  const f = value.filter;
  if (!f) return undefined;
  if (!exclude && (f.key === 'actorEmails' || f.key === 'actorIds' || f.key === 'projectIds' || f.key === 'eventTypes')) {
    // "Filter to it" narrows: the value replaces its list (adding it to the list would OR it with the others,
    // which widens, and the panel only shows values the filters already match). An actor is one person by
    // email or by id, so the other actor list goes.
    const { actorEmails: _e, actorIds: _i, ...rest } = filters;
    const base = f.key === 'actorEmails' || f.key === 'actorIds' ? rest : filters;
    return normalizeFilters({ ...base, [f.key]: [f.value] });
  }
  if (!withQuery) return undefined;
  const current = (filters as { query?: unknown }).query;
  const before = typeof current === 'string' && current.trim() !== '' ? `${current.trim()} ` : '';
  return normalizeFilters({ ...filters, query: `${before}${queryTerm(facet, f.value, exclude)}` });
}

/** The filters narrowed to `[start, end)` (end exclusive; the filter's end is inclusive). */
export function filtersForRange(filters: EventFilters, start: number, end: number): EventFilters {
  return normalizeFilters({ ...filters, time: { kind: 'custom', start: Math.floor(start), end: Math.max(Math.floor(start), Math.ceil(end) - 1) } });
}

export function filtersWithoutTime(filters: EventFilters): EventFilters {
  const { time: _time, ...rest } = filters;
  return normalizeFilters(rest);
}

/** The filters narrowed to the types of one family (those the archive has and those this build knows). */
export function filtersForFamily(filters: EventFilters, types: readonly string[]): EventFilters {
  return normalizeFilters({ ...filters, eventTypes: [...types] });
}
