/**
 * Syncing the archive with the API.
 *
 * 1. The top: one page of everything at or after the newest archived second
 *    (`effective_at[gte]=newest`, re-reading that second, since many events
 *    share one). When it has no more, that page was all of it: an unchanged
 *    log costs this one request. Otherwise the range from there up to the
 *    page's newest second is streamed by the parallel fetcher.
 * 2. The gaps: every part of `[since ?? 0, top]` the coverage does not hold,
 *    newest first, streamed by the parallel fetcher (the oldest gap without a
 *    lower bound, so the fetcher finds where the API's history begins). On a
 *    first sync that is everything; after a cancel or a crash it is exactly
 *    what was not committed, so covered ranges are never fetched again.
 *
 * Every commit stores a batch and, in the same transaction, the coverage the
 * stream has completed so far: the stream is newest first with no gap, so
 * after a batch whose oldest event is at second `s`, `[s + 1, high)` is
 * complete (second `s` itself may continue in the next batch).
 */
import type { AuditLogQuery } from '../api/query';
import { fetchAuditLogBatches, type PageLister, type RateLimitGate } from '../fetch';
import type { ParsedEvent } from '../model';
import type { AuditArchive } from './archive';
import { gapsIn, type CoveredRange } from './coverage';
import { secondsOf } from './eventRow';
import { StreamOrder } from './streamOrder';

export interface SyncProgress {
  /** Events new to the archive so far. */
  readonly added: number;
  /** Events in the archive now. */
  readonly total: number;
  /** The oldest second of the covered interval being extended (null before the first commit). */
  readonly oldestCovered: number | null;
  readonly newestCovered: number | null;
  readonly requests: number;
  readonly phase: 'top' | 'backfill';
}

export interface SyncOptions {
  /** Unix seconds: do not reach back further than this. */
  readonly since?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Requests in flight for the parallel fetcher (1-16, default 6). */
  readonly concurrency?: number;
  readonly gate?: RateLimitGate;
  /** Events per page, default 100. */
  readonly pageSize?: number;
  /** Events per transaction at most (pages are committed together up to this); default 2,000. */
  readonly commitEvery?: number;
}

export interface SyncResult {
  readonly added: number;
  readonly total: number;
  /** Oldest and newest `effective_at` in the archive, null when empty. */
  readonly oldest: number | null;
  readonly newest: number | null;
  /** Events that came back with a different text (both kept). */
  readonly conflicts: number;
  readonly requests: number;
}

export async function syncArchive(archive: AuditArchive, client: PageLister, options: SyncOptions = {}): Promise<SyncResult> {
  const run = new SyncRun(archive, client, options);
  await run.top();
  await run.gaps();
  return run.result();
}

/** Deletes what is older than `keepDays` days before `nowSeconds`; no-op without a positive `keepDays`. */
export function applyRetention(
  archive: AuditArchive,
  keepDays: number | undefined,
  nowSeconds = Date.now() / 1000,
): { deleted: number; cutoff: number | null } {
  if (keepDays === undefined || !(keepDays > 0) || !Number.isFinite(keepDays)) return { deleted: 0, cutoff: null };
  const cutoff = Math.floor(nowSeconds - keepDays * 86_400);
  return { deleted: archive.deleteOlderThan(cutoff), cutoff };
}

class SyncRun {
  private added = 0;
  private conflicts = 0;
  private requests = 0;
  private readonly total0: number;
  private readonly floor: number;
  private readonly lister: PageLister;
  private phase: SyncProgress['phase'] = 'top';

  constructor(
    private readonly archive: AuditArchive,
    client: PageLister,
    private readonly options: SyncOptions,
  ) {
    this.total0 = archive.stats().total;
    this.floor = options.since !== undefined ? Math.max(0, Math.floor(options.since)) : 0;
    this.lister = {
      listPage: (query, o) => {
        this.requests++;
        return client.listPage(query, o);
      },
    };
  }

  /** Step 1: what is at or after the newest archived second. */
  async top(): Promise<void> {
    const newest = this.archive.newestSecond();
    const from = newest !== null ? Math.max(newest, this.floor) : this.options.since !== undefined ? this.floor : undefined;
    const signal = this.options.signal;
    await this.options.gate?.ready(signal);
    const page = await this.lister.listPage(
      { ...(from !== undefined ? { effectiveAt: { gte: from } } : {}), limit: this.pageSize },
      signal ? { signal } : {},
    );
    const first = page.data[0];
    if (!first) return;
    const high = secondsOf(first.event.effective_at) + 1;
    const low = from ?? this.floor;
    if (!page.has_more) {
      this.commit(page.data, new StreamOrder(), { gte: low, lt: high });
      return;
    }
    await this.stream({ gte: low, lt: high }, from !== undefined);
  }

  /** Step 2: every uncovered part below the top, newest first. */
  async gaps(): Promise<void> {
    this.phase = 'backfill';
    const coverage = this.archive.coverage();
    const top = coverage.length > 0 ? coverage[coverage.length - 1]!.lt : undefined;
    if (top === undefined) return;
    for (const gap of gapsIn(coverage, this.floor, top)) {
      await this.stream(gap, gap.gte > 0 || this.options.since !== undefined);
    }
  }

  result(): SyncResult {
    const s = this.archive.stats();
    return { added: this.added, total: s.total, oldest: s.oldest, newest: s.newest, conflicts: this.conflicts, requests: this.requests };
  }

  private get pageSize(): number {
    return Math.min(100, Math.max(1, Math.floor(this.options.pageSize ?? 100)));
  }

  /** Streams `[range.gte, range.lt)` newest first, committing batches with the coverage they complete. */
  private async stream(range: CoveredRange, bounded: boolean): Promise<void> {
    const query: AuditLogQuery = { effectiveAt: bounded ? { gte: range.gte, lt: range.lt } : { lt: range.lt }, limit: this.pageSize };
    const order = new StreamOrder();
    const commitEvery = Math.max(1, this.options.commitEvery ?? 2_000);
    let pending: ParsedEvent[] = [];
    const batches = fetchAuditLogBatches(this.lister, query, {
      ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.options.gate ? { gate: this.options.gate } : {}),
      pageSize: this.pageSize,
    });
    for await (const batch of batches) {
      for (const e of batch) pending.push(e);
      if (pending.length < commitEvery) continue;
      const oldest = secondsOf(pending[pending.length - 1]!.event.effective_at);
      this.commit(pending, order, { gte: oldest + 1, lt: range.lt });
      pending = [];
    }
    this.commit(pending, order, range);
  }

  private commit(events: readonly ParsedEvent[], order: StreamOrder, coverage: CoveredRange): void {
    const result = this.archive.commitWindow(events, coverage, { ords: order.assign(events) });
    this.added += result.added;
    this.conflicts += result.conflicts.length;
    const extended = result.coverage.find((r) => r.gte <= coverage.gte && r.lt >= coverage.lt);
    this.options.onProgress?.({
      added: this.added,
      total: this.total0 + this.added,
      oldestCovered: extended?.gte ?? null,
      newestCovered: extended?.lt !== undefined ? extended.lt - 1 : null,
      requests: this.requests,
      phase: this.phase,
    });
  }
}
