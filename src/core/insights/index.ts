/**
 * Insights over the archive (no VS Code here): the timeline (buckets stacked by family), facets (top values),
 * and a resource's state at any moment. Everything is computed in SQL over the archive through
 * `AuditArchive.readSql`; a caller gets buckets and top-N lists, never the events.
 */
import type { AuditLogQuery } from '../api/query';
import type { AuditArchive } from '../archive/archive';
import type { ResolvedStep } from '../archive/repository';
import { ALL_BUILT, rollupsBuiltFrom } from '../archive/rollups';
import { eventSpan } from './rollupCounts';
import { familyTypes } from './scope';
import { facets, userAgentFacet, DEFAULT_TOP, type CountryCache, type Facets, type FacetValue } from './facets';
import { knownResources, type KnownResource } from './resources';
import { stateAsOf, type StateAsOfDetail } from './stateAsOf';
import { timeline, type Timeline } from './timeline';

export { BUCKET_STEPS, chooseStep, MAX_BUCKETS, planBuckets, type BucketPlan, type BucketUnit, type TimeBucket } from './buckets';
export { FACET_KEYS, type FacetFilter, type FacetKey, type Facets, type FacetValue } from './facets';
export type { KnownResource } from './resources';
export { canExclude, canFilter, filtersForFacet, filtersForFamily, filtersForRange, filtersHaveQuery, filtersWithoutTime, queryTerm } from './facetFilters';
export { resolveScope, type ScopeStep } from './scope';
export { compareStates, stateAsOf, UNKNOWN_BEFORE_ARCHIVE, type FieldAsOf, type StateAsOf, type StateAsOfDetail, type StateComparisonRow } from './stateAsOf';
export { chartFamily, MAX_STACKS, OTHER_FAMILIES, type Timeline, type TimelineBucket } from './timeline';
export { localZone, zoneOffset } from './zone';

export interface InsightsSnapshot {
  readonly timeline: Timeline;
  readonly facets: Facets;
}

/** One archive's insights; it remembers each IP address's country between calls. */
export class ArchiveInsights {
  private readonly countries: CountryCache = new Map();

  constructor(readonly archive: AuditArchive) {}

  /** The timeline and the facets; `userAgent: false` leaves the user agents for {@link userAgents} (the slowest facet). */
  snapshot(query: AuditLogQuery, options: { zone: string; now: number; top?: number; path?: readonly ResolvedStep[]; userAgent?: boolean; rollups?: boolean }): InsightsSnapshot {
    const counting = { userAgent: options.userAgent !== false, rollups: options.rollups !== false };
    return this.archive.readSql((sql) => ({
      timeline: timeline(sql, query, options),
      facets: facets(sql, query, this.countries, options.top ?? DEFAULT_TOP, options.path, counting),
    }));
  }

  userAgents(query: AuditLogQuery, options: { top?: number; path?: readonly ResolvedStep[]; rollups?: boolean } = {}): FacetValue[] {
    return this.archive.readSql((sql) => userAgentFacet(sql, query, options.top ?? DEFAULT_TOP, options.path, { rollups: options.rollups !== false }));
  }

  /**
   * Counts the rollups an upgraded archive lacks, about BUILD_STEP_EVENTS (rollups.ts) events per step, yielding between steps so the host stays
   * responsive; `progress` gets the fraction done. Resolves when every event is counted (at once when it is).
   */
  async buildRollups(progress?: (fraction: number) => void, pause: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<void> {
    const span = this.archive.readSql((sql) => eventSpan(sql));
    for (;;) {
      const step = this.archive.buildRollups();
      if (step.done) break;
      progress?.(span.lt > span.gte ? Math.min(1, (span.lt - step.builtFrom) / (span.lt - span.gte)) : 1);
      await pause();
    }
    progress?.(1);
  }

  /** Whether every event is in the rollups (an upgraded archive's are built by {@link buildRollups}). */
  rollupsBuilt(): boolean {
    return this.archive.readSql((sql) => rollupsBuiltFrom(sql) === ALL_BUILT);
  }

  familyTypes(family: string): string[] {
    return this.archive.readSql((sql) => familyTypes(sql, family));
  }

  stateAsOf(resourceId: string, time: number): StateAsOfDetail {
    const events = this.archive.resourceHistory(resourceId).map((p) => p.event);
    return stateAsOf(events, time);
  }

  resources(limit?: number): KnownResource[] {
    return this.archive.readSql((sql) => knownResources(sql, limit));
  }
}
