/**
 * Parallel, time-sliced fetching of the audit log (no VS Code here). See
 * `parallelFetcher.ts` for the design note.
 */
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_BUFFERED_EVENTS,
  MAX_CONCURRENCY,
  boundsOf,
  clampConcurrency,
  fetchAllEvents,
  fetchAuditLogBatches,
  sliceRange,
  type FetchProgress,
  type PageLister,
  type ParallelFetchOptions,
  type SecondsRange,
} from './parallelFetcher';
export { RateLimitGate, type RateLimitGateOptions, type RetryEventLike } from './rateLimitGate';
