/**
 * The API reads of the filters' own query that are not an archive sync: everything older than what this
 * session paged by cursor (Load All with filters), and what is newer than an event (auto refresh before
 * the archive was synced). They only fetch; the store writes what they yield into the archive.
 */
import type { AuditLogClient, AuditLogQuery } from '../core/api';
import { boundsOf, fetchAuditLogBatches, type RateLimitGate } from '../core/fetch';
import type { ParsedEvent } from '../core/model';

export interface RestOfQueryOptions {
  /** The last event this session paged by cursor, and whether the cursor had more. */
  readonly cursor?: { readonly id: string; readonly second: number; readonly hasMore: boolean };
  readonly pageSize: number;
  readonly concurrency: number;
  readonly gate: RateLimitGate;
  readonly signal: AbortSignal;
  /** Requests answered so far (cursor pages plus the fetcher's). */
  readonly onRequests?: (requests: number) => void;
}

/**
 * Every event of `base` after the cursor, newest first, in batches with the cursor each one ends on.
 * The cursor's second is finished by cursor first (a second is never split between a cursor and a time
 * window); everything older comes from the parallel time-sliced fetcher.
 */
export async function* fetchRestOfQuery(
  client: AuditLogClient,
  base: AuditLogQuery,
  options: RestOfQueryOptions,
): AsyncGenerator<{ readonly events: readonly ParsedEvent[]; readonly cursor: string | undefined }> {
  const { signal, pageSize: limit } = options;
  const { low, high } = boundsOf(base);
  let olderThan = high;
  let requests = 0;
  const cursor = options.cursor;
  if (cursor) {
    let after = cursor.id;
    let more = cursor.hasMore;
    while (more) {
      const page = await client.listPage({ ...base, effectiveAt: secondsRange(Math.max(low, cursor.second), cursor.second + 1), after, limit }, { signal });
      options.onRequests?.(++requests);
      after = page.last_id ?? page.data[page.data.length - 1]?.event.id ?? after;
      more = page.has_more && page.data.length > 0;
      yield { events: page.data, cursor: after };
    }
    olderThan = cursor.second;
  }
  if (low >= olderThan) return;
  const cursorPages = requests;
  const batches = fetchAuditLogBatches(client, { ...base, effectiveAt: secondsRange(low, olderThan), limit }, {
    concurrency: options.concurrency,
    gate: options.gate,
    signal,
    onProgress: (p) => options.onRequests?.(cursorPages + p.requests),
  });
  for await (const batch of batches) yield { events: batch, cursor: batch[batch.length - 1]?.event.id };
}

/** Every event of `base` newer than `after` (its own lower bounds replaced), all pages. */
export async function fetchNewerThan(client: AuditLogClient, base: AuditLogQuery, after: number, pageSize: number, signal: AbortSignal): Promise<ParsedEvent[]> {
  const range = { ...base.effectiveAt };
  delete range.gte;
  delete range.gt;
  const fresh: ParsedEvent[] = [];
  for await (const page of client.pages({ ...base, effectiveAt: { ...range, gt: after }, limit: pageSize }, { signal })) fresh.push(...page.data);
  return fresh;
}

/** `effective_at` for whole seconds `[low, high)`; an infinite side is left open. */
function secondsRange(low: number, high: number): AuditLogQuery['effectiveAt'] {
  return { ...(Number.isFinite(low) ? { gte: low } : {}), ...(Number.isFinite(high) ? { lt: high } : {}) };
}
