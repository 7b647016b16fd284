/**
 * The scope of a tree group the panel was opened on: the group's path (type, project, actor, day) as the
 * archive's resolved steps, ANDed to the filters by the same WHERE builder the tree's counts use. A day key
 * (YYYY-MM-DD) is that calendar day in the zone the tree groups days in.
 */
import type { ResolvedStep } from '../archive/repository';
import { AUDIT_LOG_EVENT_TYPES } from '../model/generated';
import type { ArchiveSql } from '../archive/archiveSql';
import { chartFamily } from './timeline';
import { instantOfWallTime, offsetSegments } from './zone';

export interface ScopeStep {
  readonly kind: 'type' | 'project' | 'actor' | 'day';
  readonly key: string;
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The steps with day keys as their `[gte, lt)` seconds in `zone`; undefined for a malformed day key. */
export function resolveScope(steps: readonly ScopeStep[], zone: string): ResolvedStep[] | undefined {
  const out: ResolvedStep[] = [];
  for (const step of steps) {
    if (step.kind !== 'day') {
      out.push({ kind: step.kind, key: step.key });
      continue;
    }
    const m = DAY_KEY.exec(step.key);
    if (!m) return undefined;
    const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000;
    const segments = offsetSegments(local - 2 * 86_400, local + 3 * 86_400, zone);
    out.push({ kind: 'dayRange', gte: instantOfWallTime(local, segments), lt: instantOfWallTime(local + 86_400, segments) });
  }
  return out;
}

/** Every type of a chart family ({@link chartFamily}): those the archive has seen and those this build knows. */
export function familyTypes(sql: ArchiveSql, family: string): string[] {
  const names = new Set<string>(AUDIT_LOG_EVENT_TYPES.filter((t) => chartFamily(t) === family));
  for (const row of sql.all('SELECT name FROM types')) {
    const name = String(row.name);
    if (chartFamily(name) === family) names.add(name);
  }
  return [...names].sort();
}
