/**
 * Parallel, time-sliced fetching of the audit log.
 *
 * Design note
 * -----------
 * A cursor chain is sequential: one round trip per page of 100. Time windows
 * are independent, so the requested `effective_at` range is cut into windows
 * that are paged concurrently, at most `concurrency` requests at a time.
 *
 * Windows. Every window is half-open on whole seconds, `[low, high)`, sent as
 * `effective_at[gte]=low&effective_at[lt]=high`. Windows never overlap and
 * together cover the range, so every event belongs to exactly one window.
 * Inside a window pages follow the cursor (`after=last_id`), so a second
 * holding a thousand events is never cut in two: it lies in one window and is
 * paged there by cursor, in the API's own order.
 *
 * Adaptive splitting (work stealing). The range starts as `initialWindows`
 * equal slices (twice the concurrency). Whenever a request slot is free and no window is waiting for
 * one, the fetcher splits the window with the most estimated work left: its
 * last page ended at second `s`, so what is left of it is `[low, s]` plus the
 * rest of second `s`; the estimate is the window's events per second so far
 * times `s - low`. It keeps `[m, high)` (and its cursor) and hands
 * `[low, m)` to a new window, `m` halfway between `low` and `s` (so
 * `low < m <= s`: second `s` stays with the cursor). A window is split only
 * when at least `1.5` pages are expected below `s`; each split costs about
 * one extra request. The shrunk window sends its new `gte` with its next
 * cursor and, belt and braces, drops any event below `low` in a page that was
 * already in flight (those belong to the new window), then stops.
 *
 * Merge. Windows are kept in a list ordered newest first; a split inserts the
 * new (older) window right after the one it came from. Each window's pages
 * are newest first by cursor, so emitting the windows in list order, each
 * window's pages in arrival order, gives one newest-first stream with no gap
 * and no duplicate. Pages of windows behind the head are buffered. Requests
 * go to the windows nearest the head first, and a window may fetch only while
 * it and the windows between it and the head buffer fewer than
 * `maxBufferedEvents` events (backpressure for streaming consumers such as export); under that
 * pressure only the head window is split, so its pieces, next in line, keep
 * the workers busy without growing the buffer far.
 *
 * Rate limits. The client already retries a 429 itself; every worker also
 * waits at one shared {@link RateLimitGate} before each request. The gate
 * closes when a request ends in `RateLimitError` (the client gave up; the
 * fetcher then waits and tries that page again, up to `rateLimitRetries`
 * times) and, when the client's `log` hook is wired to `gate.observe`, as
 * soon as any worker sees a 429.
 *
 * Cancellation. The caller's signal and any failure abort one internal
 * controller shared by every request, and the stream ends only after every
 * request in flight has settled, so no worker outlives the stream.
 *
 * Unknown range. Without an upper bound the newest matching event
 * (`limit=1`) gives it. Without a lower bound the fetcher gallops back from
 * there: `limit=1` probes for anything older than 1, 2, 4, 8… days,
 * `concurrency` probes at a time; the first probe that finds nothing bounds
 * the range (the API keeps a limited history, so this is a handful of probes).
 */
import { setMaxListeners } from 'node:events';
import { CancelledError, InvalidResponseError } from '../api/errors';
import type { AuditLogQuery } from '../api/query';
import type { AuditLogPage, ParsedEvent } from '../model';
import { RateLimitGate } from './rateLimitGate';

/** What the fetcher needs of `AuditLogClient`. */
export interface PageLister {
  listPage(query: AuditLogQuery, options?: { readonly signal?: AbortSignal }): Promise<AuditLogPage>;
}

export interface FetchProgress {
  /** Events received so far (emitted or buffered). */
  readonly events: number;
  /** Events handed to the consumer so far. */
  readonly emitted: number;
  readonly windowsDone: number;
  readonly windowsTotal: number;
  readonly requests: number;
  /** Times the shared rate-limit gate closed. */
  readonly rateLimitPauses: number;
}

export interface ParallelFetchOptions {
  /** Requests in flight at most; 1-16, default 6. */
  readonly concurrency?: number;
  /** Events per page; default the query's `limit`, else 100. */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchProgress) => void;
  /** Share a gate between fetches (or with the client's `log` hook). */
  readonly gate?: RateLimitGate;
  /** Events buffered behind the head window before other windows pause; default 20,000. */
  readonly maxBufferedEvents?: number;
  /** Extra tries of one page after the client gave up on a 429; default 3. */
  readonly rateLimitRetries?: number;
  /** Wait after a `RateLimitError` that names no delay; default 1 s, doubled per try. */
  readonly rateLimitBackoffMs?: number;
  /** Slices the range starts with; default twice `concurrency`. */
  readonly initialWindows?: number;
}

export const DEFAULT_CONCURRENCY = 6;
export const MAX_CONCURRENCY = 16;
export const DEFAULT_MAX_BUFFERED_EVENTS = 20_000;
const DEFAULT_PAGE_SIZE = 100;
const DAY = 86_400;
/** Split only when at least this many pages are expected in the part split off. */
const MIN_PAGES_TO_SPLIT = 1.5;

/** A half-open range of whole seconds, `[low, high)`. */
export interface SecondsRange {
  readonly low: number;
  readonly high: number;
}

interface Window {
  low: number;
  readonly high: number;
  cursor: string | undefined;
  /** The oldest `effective_at` accepted so far. */
  oldest: number | undefined;
  accepted: number;
  inFlight: boolean;
  done: boolean;
  readonly pages: ParsedEvent[][];
  next: Window | undefined;
}

export function clampConcurrency(value: number | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_CONCURRENCY;
  return Math.min(MAX_CONCURRENCY, Math.max(1, Math.round(value)));
}

/**
 * Every event matching `query`, newest first, in batches (one batch per page
 * received, after clipping to its window). Throws `CancelledError` when
 * `options.signal` aborts, or the first error a request ends with.
 */
export function fetchAuditLogBatches(
  lister: PageLister,
  query: AuditLogQuery,
  options: ParallelFetchOptions = {},
): AsyncGenerator<ParsedEvent[], void, undefined> {
  return new ParallelFetch(lister, query, options).run();
}

/** Every event matching `query`, newest first, in one array (the store's "load all"). */
export async function fetchAllEvents(
  lister: PageLister,
  query: AuditLogQuery,
  options: ParallelFetchOptions = {},
): Promise<ParsedEvent[]> {
  const out: ParsedEvent[] = [];
  for await (const batch of fetchAuditLogBatches(lister, query, { maxBufferedEvents: Infinity, ...options })) {
    for (const e of batch) out.push(e);
  }
  return out;
}

/** `[low, high)` in whole seconds from a query's bounds (either side may be infinite). */
export function boundsOf(query: AuditLogQuery): SecondsRange {
  const r = query.effectiveAt ?? {};
  const low = Math.max(r.gte !== undefined ? Math.ceil(r.gte) : -Infinity, r.gt !== undefined ? Math.floor(r.gt) + 1 : -Infinity);
  const high = Math.min(r.lt !== undefined ? Math.ceil(r.lt) : Infinity, r.lte !== undefined ? Math.floor(r.lte) + 1 : Infinity);
  return { low, high };
}

/** Cuts `[low, high)` into at most `count` windows of whole seconds, newest first. */
export function sliceRange(range: SecondsRange, count: number): SecondsRange[] {
  const span = range.high - range.low;
  if (!(span > 0)) return [];
  const n = Math.max(1, Math.min(Math.floor(count), span));
  const out: SecondsRange[] = [];
  let high = range.high;
  for (let i = 1; i <= n; i++) {
    const low = i === n ? range.low : range.high - Math.round((span * i) / n);
    if (low < high) out.push({ low, high });
    high = low;
  }
  return out;
}

class ParallelFetch {
  private readonly concurrency: number;
  private readonly pageSize: number;
  private readonly maxBuffered: number;
  private readonly gate: RateLimitGate;
  private readonly rateLimitRetries: number;
  private readonly rateLimitBackoffMs: number;
  private readonly base: AuditLogQuery;
  private readonly controller = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  private head: Window | undefined;
  private failure: unknown;
  private waiter: (() => void) | undefined;
  private inFlight = 0;
  private buffered = 0;
  private received = 0;
  private emitted = 0;
  private requests = 0;
  private windowsTotal = 0;
  private windowsDone = 0;

  constructor(
    private readonly lister: PageLister,
    private readonly query: AuditLogQuery,
    private readonly options: ParallelFetchOptions,
  ) {
    this.concurrency = clampConcurrency(options.concurrency);
    const size = options.pageSize ?? query.limit ?? DEFAULT_PAGE_SIZE;
    this.pageSize = Math.min(100, Math.max(1, Math.floor(size)));
    this.maxBuffered = Math.max(0, options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS);
    this.gate = options.gate ?? new RateLimitGate();
    this.rateLimitRetries = Math.max(0, options.rateLimitRetries ?? 3);
    this.rateLimitBackoffMs = Math.max(0, options.rateLimitBackoffMs ?? 1000);
    const { effectiveAt: _range, after: _after, before: _before, limit: _limit, ...filters } = query;
    this.base = filters;
    // Every request in flight (and its retry sleep) listens to the one shared signal.
    setMaxListeners(8 * MAX_CONCURRENCY, this.controller.signal);
  }

  async *run(): AsyncGenerator<ParsedEvent[], void, undefined> {
    const signal = this.options.signal;
    const onAbort = (): void => this.fail(new CancelledError());
    if (signal?.aborted) throw new CancelledError();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const range = await this.resolveRange();
      if (this.failure) throw this.failure;
      if (!range) return;
      this.initWindows(range);
      this.report();
      this.pump();
      for (;;) {
        if (this.failure) throw this.failure;
        const head = this.head;
        if (!head) return;
        const batch = head.pages.shift();
        if (batch) {
          this.buffered -= batch.length;
          this.emitted += batch.length;
          this.pump();
          yield batch;
          continue;
        }
        if (head.done) {
          this.head = head.next;
          this.pump();
          continue;
        }
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.controller.abort();
      while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    }
  }

  // ---- the range ----------------------------------------------------------

  private async resolveRange(): Promise<SecondsRange | undefined> {
    let { low, high } = boundsOf(this.query);
    if (!Number.isFinite(high)) {
      const newest = await this.probe(Number.isFinite(low) ? { gte: low } : undefined);
      if (newest === undefined) return undefined;
      high = Math.floor(newest) + 1;
    }
    if (!Number.isFinite(low)) low = await this.findLowerBound(high);
    return low < high ? { low, high } : undefined;
  }

  /** The `effective_at` of the newest event in the range, or undefined when it is empty. */
  private async probe(effectiveAt: AuditLogQuery['effectiveAt']): Promise<number | undefined> {
    const page = await this.fetchPage({ ...this.base, ...(effectiveAt ? { effectiveAt } : {}), limit: 1 });
    return page.data[0]?.event.effective_at;
  }

  /** Gallops back from `high` (1, 2, 4… days) until a probe finds nothing older. */
  private async findLowerBound(high: number): Promise<number> {
    for (let k = 0; ; ) {
      const bounds: number[] = [];
      for (let i = 0; i < this.concurrency; i++, k++) {
        const bound = high - DAY * 2 ** k;
        bounds.push(Math.max(0, bound));
        if (bound <= 0) break;
      }
      const found = await Promise.all(bounds.map((b) => (b <= 0 ? Promise.resolve(undefined) : this.probe({ lt: b }))));
      const empty = found.findIndex((f) => f === undefined);
      if (empty >= 0) return bounds[empty]!;
    }
  }

  private initWindows(range: SecondsRange): void {
    const slices = sliceRange(range, this.options.initialWindows ?? 2 * this.concurrency);
    let previous: Window | undefined;
    for (const slice of slices) {
      const w = newWindow(slice.low, slice.high);
      if (previous) previous.next = w;
      else this.head = w;
      previous = w;
    }
    this.windowsTotal = slices.length;
  }

  // ---- scheduling ---------------------------------------------------------

  private pump(): void {
    while (this.inFlight < this.concurrency && this.failure === undefined && !this.controller.signal.aborted) {
      const w = this.nextReady() ?? this.split();
      if (!w) return;
      this.request(w);
    }
  }

  /**
   * The window nearest the head that can send its next request. A window
   * behind the head may fetch only while the windows before it buffer fewer
   * than `maxBufferedEvents` events: the frontier near the head keeps going,
   * far windows wait.
   */
  private nextReady(): Window | undefined {
    let ahead = 0;
    for (let w = this.head; w; w = w.next) {
      if (w !== this.head) {
        ahead += bufferedIn(w);
        if (ahead >= this.maxBuffered) return undefined;
      }
      if (!w.done && !w.inFlight) return w;
    }
    return undefined;
  }

  /** Splits the window with the most work left (see the design note); returns the new window. */
  private split(): Window | undefined {
    // Under buffer pressure only the head may be split: its pieces are next in line.
    const pressed = this.buffered >= this.maxBuffered;
    let best: Window | undefined;
    let bestEstimate = MIN_PAGES_TO_SPLIT * this.pageSize;
    for (let w = this.head; w; w = pressed ? undefined : w.next) {
      if (w.done || w.oldest === undefined || w.cursor === undefined) continue;
      const s = Math.floor(w.oldest);
      if (s - w.low < 1) continue;
      const perSecond = w.accepted / Math.max(1, w.high - s);
      const estimate = perSecond * (s - w.low);
      if (estimate >= bestEstimate) {
        best = w;
        bestEstimate = estimate;
      }
    }
    if (!best) return undefined;
    const s = Math.floor(best.oldest!);
    const m = best.low + Math.ceil((s - best.low) / 2);
    const lower = newWindow(best.low, m);
    best.low = m;
    lower.next = best.next;
    best.next = lower;
    this.windowsTotal++;
    return lower;
  }

  private request(w: Window): void {
    w.inFlight = true;
    this.inFlight++;
    const query: AuditLogQuery = {
      ...this.base,
      effectiveAt: { gte: w.low, lt: w.high },
      limit: this.pageSize,
      ...(w.cursor !== undefined ? { after: w.cursor } : {}),
    };
    const task = this.fetchPage(query).then(
      (page) => this.accept(w, page),
      (error: unknown) => this.fail(error),
    );
    const tracked = task.finally(() => {
      this.pending.delete(tracked);
      w.inFlight = false;
      this.inFlight--;
      this.pump();
      this.wake();
    });
    this.pending.add(tracked);
  }

  /** One page through the shared gate, trying again after `RateLimitError`. */
  private async fetchPage(query: AuditLogQuery): Promise<AuditLogPage> {
    const signal = this.controller.signal;
    for (let attempt = 0; ; attempt++) {
      await this.gate.ready(signal);
      this.requests++;
      try {
        return await this.lister.listPage(query, { signal });
      } catch (error) {
        if (signal.aborted) throw new CancelledError();
        if (!isRateLimited(error) || attempt >= this.rateLimitRetries) throw error;
        const hinted = (error as { retryAfterMs?: unknown }).retryAfterMs;
        this.gate.pause(typeof hinted === 'number' && hinted > 0 ? hinted : this.rateLimitBackoffMs * 2 ** attempt);
      }
    }
  }

  private accept(w: Window, page: AuditLogPage): void {
    if (this.failure !== undefined) return;
    const kept: ParsedEvent[] = [];
    let crossed = false;
    for (const e of page.data) {
      const at = e.event.effective_at;
      if (at >= w.high) continue; // outside the window asked for: another window's
      if (at < w.low) {
        crossed = true; // split off below while this page was in flight
        continue;
      }
      kept.push(e);
    }
    if (kept.length > 0) {
      w.pages.push(kept);
      w.accepted += kept.length;
      w.oldest = kept[kept.length - 1]!.event.effective_at;
      this.buffered += kept.length;
      this.received += kept.length;
    }
    const last = page.last_id ?? page.data[page.data.length - 1]?.event.id ?? undefined;
    if (crossed || !page.has_more || page.data.length === 0 || last === undefined) {
      w.done = true;
      this.windowsDone++;
    } else if (last === w.cursor) {
      this.fail(new InvalidResponseError(`the page cursor ${last} came back twice; paging stopped to avoid a loop.`));
      return;
    } else {
      w.cursor = last;
    }
    this.report();
  }

  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
    this.controller.abort();
    this.wake();
  }

  private wake(): void {
    const resolve = this.waiter;
    this.waiter = undefined;
    resolve?.();
  }

  private report(): void {
    this.options.onProgress?.({
      events: this.received,
      emitted: this.emitted,
      windowsDone: this.windowsDone,
      windowsTotal: this.windowsTotal,
      requests: this.requests,
      rateLimitPauses: this.gate.pauses,
    });
  }
}

function bufferedIn(w: Window): number {
  let n = 0;
  for (const page of w.pages) n += page.length;
  return n;
}

function newWindow(low: number, high: number): Window {
  return { low, high, cursor: undefined, oldest: undefined, accepted: 0, inFlight: false, done: false, pages: [], next: undefined };
}

function isRateLimited(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { kind?: unknown }).kind === 'rateLimited';
}
