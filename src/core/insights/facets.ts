/**
 * Facets: the top values with counts of actor, IP, country, project, type and user agent over the filters'
 * events. Each is counted from the archive's rollups when the filters allow (no filter but time; a type filter
 * for the type facet: rollupCounts.ts), otherwise by one GROUP BY over the narrow `events` rows (indexed columns
 * and dictionary references); names come from the dictionaries. Country is not a column: it is read from `ip_address_details` in the raw
 * JSON once per IP address (an address's country does not change from one event to the next) and the IP counts
 * are summed by it, so a million events cost a JSON read per distinct address, not per event.
 */
import type { AuditLogQuery } from '../api/query';
import type { ArchiveSql } from '../archive/archiveSql';
import { whereOf, type ResolvedStep } from '../archive/repository';
import { ROLLUP_COLUMNS, type RollupDim } from '../archive/rollups';
import { eventSpan, rangeOfQuery, rollupAnswers, rollupCounts, rollupScope } from './rollupCounts';

export const FACET_KEYS = ['actor', 'ip', 'country', 'project', 'type', 'userAgent'] as const;
export type FacetKey = (typeof FACET_KEYS)[number];

/** What a click on a value filters by (a list filter of the Events view), when it can. */
export interface FacetFilter {
  readonly key: 'actorIds' | 'actorEmails' | 'projectIds' | 'eventTypes' | 'ip' | 'country' | 'userAgent';
  readonly value: string;
}

export interface FacetValue {
  readonly value: string;
  /** How it reads (a project's name, an actor's label); the value when no better name is known. */
  readonly label: string;
  readonly count: number;
  /** Undefined for a value no filter can express (no project, no actor). */
  readonly filter?: FacetFilter;
}

export type Facets = Readonly<Record<FacetKey, readonly FacetValue[]>>;

export const DEFAULT_TOP = 10;

/** The country of each IP address seen so far (null: its events carry none). Kept per archive. */
export type CountryCache = Map<string, string | null>;

const COUNTRY_SQL =
  "coalesce(json_extract(r.raw, '$.actor.session.ip_address_details.country'), json_extract(r.raw, '$.actor.api_key.ip_address_details.country'))";
/** Past this many unknown addresses one pass over one event per address beats a look-up each. */
const BATCH_LOOKUP = 64;

export interface FacetOptions {
  /** False leaves the user agents out (empty). */
  readonly userAgent?: boolean;
  /** False counts every event (the rollups' reference in tests and the bench); default true. */
  readonly rollups?: boolean;
}

/**
 * The facets; `userAgent: false` leaves the user agents out (empty), for {@link userAgentFacet} to follow: without an
 * index on the agent column its GROUP BY scans and sorts the table, as long as the rest together at a million events.
 */
export function facets(sql: ArchiveSql, query: AuditLogQuery, countries: CountryCache, top = DEFAULT_TOP, path: readonly ResolvedStep[] = [], options: FacetOptions = {}): Facets {
  const grouped = facetCounter(sql, query, path, options.rollups !== false);
  const ips = grouped('ip', undefined).filter((r): r is { k: string; n: number } => typeof r.k === 'string');
  ips.sort((a, b) => b.n - a.n || a.k.localeCompare(b.k));
  return {
    // One person acts through a session and through API keys (several actor rows, one email): merged by value.
    actor: actorFacet(sql, grouped('actor', top * 3)).slice(0, top),
    ip: ips.slice(0, top).map((r) => ({ value: r.k, label: r.k, count: r.n, filter: { key: 'ip', value: r.k } })),
    country: countryFacet(sql, ips, countries, top),
    project: projectFacet(sql, grouped('project', top)),
    type: dictionaryFacet(sql, grouped('type', top), 'SELECT name AS v FROM types WHERE ref = ?', 'eventTypes'),
    userAgent: options.userAgent === false ? [] : userAgentFacet(sql, query, top, path, options),
  };
}

export function userAgentFacet(sql: ArchiveSql, query: AuditLogQuery, top = DEFAULT_TOP, path: readonly ResolvedStep[] = [], options: FacetOptions = {}): FacetValue[] {
  return dictionaryFacet(sql, facetCounter(sql, query, path, options.rollups !== false)('agent', top), 'SELECT user_agent AS v FROM agents WHERE ref = ?', 'userAgent');
}

type Counted = { k: unknown; n: number };

/**
 * Counts by a dimension's column, busiest first (ties by value, as SQLite orders them), the top `limit`: from
 * the rollups when the filters allow it (rollupCounts.ts), otherwise one GROUP BY over the matching events.
 */
function facetCounter(sql: ArchiveSql, query: AuditLogQuery, path: readonly ResolvedStep[], rollups: boolean): (dim: RollupDim, limit: number | undefined) => Counted[] {
  const scope = rollups ? rollupScope(query, path) : undefined;
  let range: { gte: number; lt: number } | undefined;
  return (dim, limit) => {
    if (rollupAnswers(scope, dim)) {
      range ??= rangeOfQuery(query, path, () => eventSpan(sql));
      const rows = rollupCounts(sql, dim, query, path, range).map((r) => ({ k: r.k, n: r.n }));
      rows.sort((a, b) => b.n - a.n || compareKeys(a.k, b.k));
      return limit === undefined ? rows : rows.slice(0, limit);
    }
    const where = whereOf(query, path);
    const column = ROLLUP_COLUMNS[dim];
    const tail = limit === undefined ? '' : ' ORDER BY n DESC, k LIMIT ?';
    return sql
      .all(`SELECT e.${column} AS k, count(*) AS n FROM events e${where.sql} GROUP BY e.${column}${tail}`, limit === undefined ? where.params : [...where.params, limit])
      .map((r) => ({ k: r.k, n: Number(r.n) }));
  };
}

/** SQLite's ascending order of the values of one column: NULL first, then numbers, then text. */
function compareKeys(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function byCount(values: FacetValue[]): FacetValue[] {
  return values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

function dictionaryFacet(sql: ArchiveSql, rows: { k: unknown; n: number }[], lookup: string, key: FacetFilter['key']): FacetValue[] {
  const out: FacetValue[] = [];
  for (const r of rows) {
    if (r.k === null) continue;
    const v = sql.get(lookup, [r.k as number])?.v;
    if (typeof v === 'string') out.push({ value: v, label: v, count: r.n, filter: { key, value: v } });
  }
  return byCount(out);
}

function actorFacet(sql: ArchiveSql, rows: { k: unknown; n: number }[]): FacetValue[] {
  const out: FacetValue[] = [];
  for (const r of rows) {
    if (r.k === null) {
      out.push({ value: '', label: 'No actor', count: r.n });
      continue;
    }
    const a = sql.get('SELECT kind, label, email, user_id, api_key_id, service_account_id FROM actors WHERE ref = ?', [r.k as number]);
    if (!a) continue;
    if (a.kind === 'none') {
      out.push({ value: '', label: String(a.label), count: r.n });
      continue;
    }
    const email = typeof a.email === 'string' ? a.email : undefined;
    const id = [a.user_id, a.service_account_id, a.api_key_id].find((v): v is string => typeof v === 'string');
    const value = email ?? id ?? String(a.label);
    const filter: FacetFilter | undefined = email ? { key: 'actorEmails', value: email } : id ? { key: 'actorIds', value: id } : undefined;
    const same = out.find((v) => v.value === value && v.filter?.key === filter?.key);
    if (same) (same as { count: number }).count += r.n;
    else out.push({ value, label: String(a.label), count: r.n, ...(filter ? { filter } : {}) });
  }
  return byCount(out);
}

function projectFacet(sql: ArchiveSql, rows: { k: unknown; n: number }[]): FacetValue[] {
  const out: FacetValue[] = [];
  for (const r of rows) {
    const p = r.k === null ? undefined : sql.get('SELECT label, project_id, name FROM projects WHERE ref = ?', [r.k as number]);
    const id = typeof p?.project_id === 'string' ? p.project_id : undefined;
    if (!id) {
      out.push({ value: '', label: p ? String(p.label) : 'No project', count: r.n });
      continue;
    }
    const label = typeof p?.name === 'string' && p.name !== '' ? p.name : id;
    out.push({ value: id, label, count: r.n, filter: { key: 'projectIds', value: id } });
  }
  return byCount(out);
}

function countryFacet(sql: ArchiveSql, ips: readonly { k: string; n: number }[], countries: CountryCache, top: number): FacetValue[] {
  const unknown = ips.filter((r) => !countries.has(r.k)).map((r) => r.k);
  if (unknown.length > BATCH_LOOKUP) {
    const rows = sql.all(
      `SELECT x.ip AS ip, ${COUNTRY_SQL} AS c FROM (SELECT ip, min(seq) AS seq FROM events WHERE ip IS NOT NULL GROUP BY ip) x JOIN event_raw r ON r.seq = x.seq`,
    );
    for (const row of rows) countries.set(String(row.ip), typeof row.c === 'string' ? row.c : null);
  } else {
    for (const ip of unknown) {
      const row = sql.get(`SELECT ${COUNTRY_SQL} AS c FROM events e JOIN event_raw r ON r.seq = e.seq WHERE e.ip = ? LIMIT 1`, [ip]);
      countries.set(ip, typeof row?.c === 'string' ? row.c : null);
    }
  }
  const sums = new Map<string, number>();
  for (const r of ips) {
    const c = countries.get(r.k);
    if (c) sums.set(c, (sums.get(c) ?? 0) + r.n);
  }
  return byCount([...sums].map(([c, n]) => ({ value: c, label: c, count: n, filter: { key: 'country', value: c } }))).slice(0, top);
}
