/**
 * Insights rollups (schema v6, issue 14): how many events each 15-minute slot and each UTC day holds, by type,
 * actor, project, IP and user agent, so the Insights timeline and facets of a long range read a few thousand
 * rows instead of every event (src/core/insights/rollupCounts.ts reads them).
 *
 * Exactness is the contract: the repository calls {@link addStoredAfter} for the events it has just stored and
 * {@link trimRollups} after deleting old ones, in the same transaction, so a count here never disagrees with
 * the events (a rollback undoes both). Events are only ever inserted (a known id is not stored again, an order
 * change keeps the second) or deleted by age; nothing else moves an event between slots.
 *
 * An archive upgraded to v6 starts with nothing counted (`built_from` past its newest event): events at or after
 * `built_from` are counted as they arrive, older ones by {@link buildRollupStep}, newest first, about
 * {@link BUILD_STEP_EVENTS} a step, each step in its own transaction (so the host is held briefly each time).
 */
import type { ArchiveSql, SqlValue } from './archiveSql';

/** The slot lengths counted: a UTC day and 15 minutes (every zone offset and DST change is a multiple of it). */
export const ROLLUP_DAY = 86_400;
export const ROLLUP_SLOT = 900;
export const ROLLUP_GRAINS = [ROLLUP_DAY, ROLLUP_SLOT] as const;

/** The schema version that has the rollup tables. */
export const ROLLUPS_VERSION = 6;

/** `dim` values, and the events column each counts (refs stored as 0 for none; events without an IP not counted). */
export const ROLLUP_DIMS = { type: 0, actor: 1, project: 2, ip: 3, agent: 4 } as const;
export type RollupDim = keyof typeof ROLLUP_DIMS;
export const ROLLUP_COLUMNS: Readonly<Record<RollupDim, 'type_ref' | 'actor_ref' | 'project_ref' | 'ip' | 'agent_ref'>> = {
  type: 'type_ref',
  actor: 'actor_ref',
  project: 'project_ref',
  ip: 'ip',
  agent: 'agent_ref',
};
const DIM_NAMES = Object.keys(ROLLUP_DIMS) as RollupDim[];

/** `built_from` when everything is counted (a new archive, or one whose build reached its oldest event). */
export const ALL_BUILT = -Number.MAX_SAFE_INTEGER;

export function rollupsBuiltFrom(sql: ArchiveSql): number {
  const v = sql.get("SELECT value FROM insights_state WHERE key = 'built_from'")?.value;
  return typeof v === 'number' ? v : Number(v ?? ALL_BUILT);
}

function setBuiltFrom(sql: ArchiveSql, seconds: number): void {
  sql.run("UPDATE insights_state SET value = ? WHERE key = 'built_from'", [seconds]);
}

/**
 * Counts the events of `[gte, lt)` into the rollups, adding to what they hold (call with slots that hold none of
 * these events yet: a build step, or after {@link clearSlots}).
 */
function countIn(sql: ArchiveSql, gte: number, lt: number): void {
  if (lt > gte) countWhere(sql, 'effective_at >= ? AND effective_at < ?', [gte, lt]);
}

/** Adds the events that match `where` to the rollups: one aggregate per dimension and grain. */
function countWhere(sql: ArchiveSql, where: string, params: readonly SqlValue[]): void {
  for (const dim of DIM_NAMES) {
    const column = ROLLUP_COLUMNS[dim];
    const key = dim === 'ip' ? 'ip' : `coalesce(${column}, 0)`;
    for (const grain of ROLLUP_GRAINS) {
      sql.run(
        `INSERT INTO insights_counts (dim, grain, slot, key, n) SELECT ${ROLLUP_DIMS[dim]}, ${grain}, effective_at / ${grain} AS s, ${key} AS k, count(*) FROM events ` +
          `WHERE ${where}${dim === 'ip' ? ' AND ip IS NOT NULL' : ''} GROUP BY s, k ON CONFLICT (dim, grain, slot, key) DO UPDATE SET n = n + excluded.n`,
        params,
      );
    }
  }
}

/**
 * Adds the events stored after `seq` (those just inserted: a new row's seq is above every stored one) to the
 * rollups, those before `built_from` left for the build; in SQL, so the rows never cross into JavaScript.
 */
export function addStoredAfter(sql: ArchiveSql, seq: number): void {
  countWhere(sql, 'seq > ? AND effective_at >= ?', [seq, rollupsBuiltFrom(sql)]);
}

/** Removes the rows of the slots inside `[gte, lt)` (grain-aligned bounds: the slots wholly inside). */
function clearSlots(sql: ArchiveSql, gte: number, lt: number): void {
  for (const dim of DIM_NAMES) {
    for (const grain of ROLLUP_GRAINS) {
      sql.run('DELETE FROM insights_counts WHERE dim = ? AND grain = ? AND slot >= ? AND slot < ?', [ROLLUP_DIMS[dim], grain, Math.ceil(gte / grain), Math.floor(lt / grain)]);
    }
  }
}

/**
 * After the events older than `seconds` were deleted: the slots before it go, and the day it cuts (whose
 * 15-minute slot it may cut too) is counted again from the events left.
 */
export function trimRollups(sql: ArchiveSql, seconds: number): void {
  const day = Math.floor(seconds / ROLLUP_DAY) * ROLLUP_DAY;
  clearSlots(sql, ALL_BUILT, day + ROLLUP_DAY);
  countIn(sql, Math.max(day, rollupsBuiltFrom(sql)), day + ROLLUP_DAY);
}

export interface RollupProgress {
  /** Counted from here on (Unix seconds, a 15-minute boundary); {@link ALL_BUILT} when everything is. */
  readonly builtFrom: number;
  readonly done: boolean;
}

/** Events a build step counts (about: it ends at a 15-minute boundary), so one step holds the host briefly. */
export const BUILD_STEP_EVENTS = 5_000;

/** Counts the newest events not counted yet, about {@link BUILD_STEP_EVENTS} (call inside a transaction). */
export function buildRollupStep(sql: ArchiveSql, events = BUILD_STEP_EVENTS): RollupProgress {
  const builtFrom = rollupsBuiltFrom(sql);
  if (builtFrom === ALL_BUILT) return { builtFrom, done: true };
  const last = sql.get('SELECT effective_at AS t FROM events WHERE effective_at < ? ORDER BY effective_at DESC LIMIT 1 OFFSET ?', [builtFrom, events - 1])?.t;
  const from = typeof last === 'number' ? Math.floor(last / ROLLUP_SLOT) * ROLLUP_SLOT : ALL_BUILT;
  countIn(sql, from, builtFrom);
  const done = from === ALL_BUILT || sql.get('SELECT 1 AS one FROM events WHERE effective_at < ? LIMIT 1', [from]) === undefined;
  setBuiltFrom(sql, done ? ALL_BUILT : from);
  return { builtFrom: done ? ALL_BUILT : from, done };
}
