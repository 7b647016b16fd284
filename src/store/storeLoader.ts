import * as vscode from 'vscode';
import type { ExtensionSettings } from '../config/settings';
import { CancelledError, MissingKeyError, isCancelledError, type AuditLogClient, type AuditLogQuery } from '../core/api';
import { applyRetention, syncArchive, type AuditArchive, type SyncResult } from '../core/archive';
import type { ArchiveQuery } from '../core/archive/repository';
import { RateLimitGate } from '../core/fetch';
import type { EventFilters } from '../core/analysis/filters';
import type { ParsedEvent } from '../core/model';
import { fetchNewerThan, fetchRestOfQuery } from './filteredFetch';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';
export type SourceKind = 'none' | 'live' | 'sample';

/** `key`: where the key comes from changed (stored, forgotten, here or in another window). `archive`: the archive was opened, replaced or deleted. */
export type EventStoreChange = 'events' | 'status' | 'filters' | 'source' | 'key' | 'newEvents' | 'archive';

export interface LoadAllProgress {
  readonly loaded: number;
  readonly pages: number;
}

/** What `openaiAuditLogs.syncArchive` resolves. */
export interface SyncSummary {
  readonly added: number;
  readonly total: number;
  readonly oldest: number | null;
  readonly newest: number | null;
}

type Operation = 'refresh' | 'more' | 'sync';

/** What the loader reads of the store it loads for: the source, the archive and what is shown. */
export interface LoaderSource {
  readonly source: SourceKind;
  readonly isSample: boolean;
  readonly archive: AuditArchive | undefined;
  readonly filters: EventFilters;
  query(): ArchiveQuery;
  count(): number;
  getEvent(id: string): ParsedEvent | undefined;
  client(): Promise<AuditLogClient>;
  ready(): Promise<void>;
}

/** How the loader tells the store what it did. */
export interface LoaderHooks {
  /** Evaluates relative filters ("last hour") again, at the start of a refresh. */
  reevaluate(): void;
  /** The archive's content (may have) changed: what the views cached from it is stale. */
  bumpVersion(): void;
  fire(...changes: EventStoreChange[]): void;
}

/**
 * How the store's events are loaded into the archive, one load at a time: Refresh and Load More page the
 * API's filtered query by cursor; Load All without filters and Sync Archive run the archive's sync (which
 * records what is complete), with filters Load All fetches them in parallel windows; auto refresh polls
 * what is newer. `refresh()` cancels whatever runs and starts over (a new generation); the others queue
 * behind. A failure keeps what was written (a failure on page 7 keeps pages 1-6), and Retry repeats the
 * operation that failed from where it failed.
 */
export class StoreLoader {
  /** Shared by every parallel fetch of this window (Load All, sync, export) and fed by every client's retries. */
  readonly rateLimitGate = new RateLimitGate();

  private cursor: string | undefined;
  private _hasMore = false;
  private _status: LoadStatus = 'idle';
  private _error: Error | undefined;
  private failedOperation: Operation = 'refresh';
  private _loadAll: LoadAllProgress | undefined;
  private _newEvents = 0;
  private _syncProgress: { readonly added: number; readonly total: number } | undefined;
  private generation = 0;
  private running: Promise<void> = Promise.resolve();
  private abort: AbortController | undefined;
  /** The load started for the current generation (what {@link ensureLoaded} joins). */
  private currentLoad: { readonly generation: number; readonly done: Promise<void> } | undefined;

  constructor(
    private readonly host: LoaderSource,
    private readonly hooks: LoaderHooks,
    private readonly settings: ExtensionSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get status(): LoadStatus {
    return this._status;
  }
  get error(): Error | undefined {
    return this._error;
  }
  /** The API's cursor has more for the filters' query (Load More). */
  get hasMore(): boolean {
    return this._hasMore;
  }
  get loadAllProgress(): LoadAllProgress | undefined {
    return this._loadAll;
  }
  /** Events auto refresh added since the last refresh or {@link clearNewEvents}. */
  get newEvents(): number {
    return this._newEvents;
  }
  get syncProgress(): { readonly added: number; readonly total: number } | undefined {
    return this._syncProgress;
  }
  /** True once a load was started for the current source (a change of source or archive loads again). */
  get inUse(): boolean {
    return this.currentLoad !== undefined;
  }

  /** Resolves once the loads queued so far have ended (what background work waits for, to stay out of their way). */
  idle(): Promise<void> {
    return this.running;
  }

  clearNewEvents(): void {
    if (this._newEvents === 0) return;
    this._newEvents = 0;
    this.hooks.fire('newEvents');
  }

  /** Loads unless a load for the current generation already ran or runs (then it joins that one). */
  ensureLoaded(): Promise<void> {
    const current = this.currentLoad;
    if (current && current.generation === this.generation) return current.done;
    return this._status === 'idle' ? this.refresh() : Promise.resolve();
  }

  /** Stops what runs and forgets the current load: nothing loads again until asked. */
  forgetCurrentLoad(): void {
    this.cancel();
    this.currentLoad = undefined;
  }

  /**
   * Brings the view up to date: with archive sync on, an incremental sync (the first one reaches back as
   * far as the API returns); otherwise the first page of the filters' query. Resolves once it is archived
   * (and the error, if any, recorded).
   */
  refresh(): Promise<void> {
    this.cancel();
    this._newEvents = 0;
    const generation = ++this.generation;
    const done = this.enqueue(async () => {
      await this.host.ready();
      if (generation !== this.generation) return;
      this.hooks.reevaluate();
      this.resetPaging();
      if (this.settings.archiveSyncOnOpen || this.host.isSample) await this.runSync(generation, {}, 'refresh');
      else await this.loadPage(generation, 'refresh');
    });
    this.currentLoad = { generation, done };
    return done;
  }

  /** Loads the next page of the filters' query, if the API's cursor has one; after a failed sync, resumes it. */
  loadMore(): Promise<void> {
    if (this._status === 'error' && this.failedOperation === 'sync') return this.loadAll().then(() => undefined);
    const generation = this.generation;
    return this.enqueue(async () => {
      await this.host.ready();
      if (generation !== this.generation || !this._hasMore) return;
      await this.loadPage(generation, 'more');
    });
  }

  /**
   * Loads every event of the filters' range. Without filters that is a sync of the archive (which records
   * the range as complete); with filters a parallel fetch of them. Resolves with false when cancelled or
   * failed (what arrived stays).
   */
  loadAll(onProgress?: (progress: LoadAllProgress) => void, token?: vscode.CancellationToken): Promise<boolean> {
    const generation = this.generation;
    let completed = false;
    return this.enqueue(async () => {
      await this.host.ready();
      if (generation !== this.generation || this.host.source === 'none') return;
      this._loadAll = { loaded: this.host.count(), pages: 0 };
      this.hooks.fire('status');
      const sub = token?.onCancellationRequested(() => this.abort?.abort());
      const report = (p: LoadAllProgress) => {
        this._loadAll = p;
        onProgress?.(p);
      };
      try {
        if (Object.keys(this.host.filters).length === 0) {
          const result = await this.runSync(generation, { onProgress: (p) => report({ loaded: p.total, pages: p.requests }) }, 'sync');
          completed = result !== undefined;
          // Synced: the archive holds the whole log, no cursor paging is left. Failed: Load More resumes the sync.
          if (generation === this.generation) this._hasMore = !completed && this._status === 'error';
        } else {
          completed = await this.loadFilteredInParallel(generation, report);
        }
      } finally {
        sub?.dispose();
        this._loadAll = undefined;
        this.hooks.fire('status');
      }
    }).then(() => completed);
  }

  /**
   * Sync Archive: fetches what the archive lacks, newest first (the first sync reaches back as far as the
   * API returns, or to `since`); later syncs fetch only what is newer. Resolves with the archive's totals;
   * rejects with the failure (what was committed stays, and the next sync resumes there).
   */
  async sync(options: { since?: number; token?: vscode.CancellationToken; onProgress?: (added: number, total: number) => void } = {}): Promise<SyncSummary> {
    let result: SyncResult | undefined;
    let failure: unknown;
    const generation = this.generation;
    await this.enqueue(async () => {
      await this.host.ready();
      if (this.host.source === 'none') {
        failure = new MissingKeyError();
        return;
      }
      const sub = options.token?.onCancellationRequested(() => this.abort?.abort());
      try {
        result = await this.runSync(generation, {
          ...(options.since !== undefined ? { since: options.since } : {}),
          onProgress: (p) => options.onProgress?.(p.added, p.total),
          onError: (e) => (failure = e),
        }, 'refresh');
      } finally {
        sub?.dispose();
      }
    });
    if (!result) throw failure ?? new CancelledError(vscode.l10n.t('The sync was cancelled.'));
    const stats = this.host.archive!.stats();
    return { added: result.added, total: stats.total, oldest: stats.oldest, newest: stats.newest };
  }

  /** Stops the running load or sync (the view's Cancel). What was committed stays; a sync resumes from its committed coverage next time. */
  cancelLoad(): void {
    if (this._status === 'loading') this.abort?.abort();
  }

  /** What Retry does: the operation that failed, from where it failed. */
  retry(): Promise<void> {
    return this.failedOperation !== 'refresh' && this._hasMore ? this.loadMore() : this.refresh();
  }

  /**
   * Auto refresh: an incremental sync once the archive holds synced ranges; before that, only events
   * newer than the newest matching archived one (`effective_at[gt]`). Returns how many were new.
   */
  async pollNewer(): Promise<number> {
    await this.host.ready();
    if (this.host.source === 'none' || this._status === 'loading') return 0;
    const archive = this.host.archive;
    const newest = archive?.events(this.host.query(), { limit: 1 })[0];
    if (!archive || !newest) {
      await this.refresh();
      return 0;
    }
    const generation = this.generation;
    let added = 0;
    await this.enqueue(async () => {
      if (generation !== this.generation) return;
      try {
        const client = await this.host.client();
        const controller = (this.abort = new AbortController());
        if (archive.coverage().length > 0) {
          added = (await syncArchive(archive, client, this.syncOptions(controller.signal))).added;
        } else {
          const fresh = await fetchNewerThan(client, this.host.query(), newest.event.effective_at, this.settings.pageSize, controller.signal);
          added = generation === this.generation && fresh.length > 0 ? archive.commitWindow(fresh).added : 0;
        }
      } catch (e) {
        if (!isCancelledError(e)) this.log.warn(`Auto refresh failed: ${errorText(e)}`);
        return;
      }
      if (generation !== this.generation || added === 0) return;
      this.hooks.bumpVersion();
      this._newEvents += added;
      this.hooks.fire('events', 'newEvents');
    });
    return added;
  }

  /** Cancels what runs (a new generation: queued loads of the old one end without loading). */
  cancel(): void {
    this.generation++;
    this.abort?.abort();
  }

  /** Forgets this session's paging and error (the archive keeps its events). */
  resetPaging(): void {
    this.cursor = undefined;
    this._hasMore = false;
    this._error = undefined;
    this._status = 'idle';
  }

  // ---- internals ----------------------------------------------------------

  /** What a sync's progress and end tell the views: read the archive again. */
  private changed(): void {
    this.hooks.bumpVersion();
    this.hooks.fire('events');
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.running.then(task, task);
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Writes events into the archive; true when any was new. */
  private archiveEvents(events: readonly ParsedEvent[]): boolean {
    const archive = this.host.archive;
    if (events.length === 0 || !archive) return false;
    for (const e of events) if (e.unreadable) this.log.warn(`Unreadable event kept as its raw JSON (${e.event.id}): ${e.unreadable}`);
    const { added } = archive.commitWindow(events);
    if (added > 0) this.hooks.bumpVersion();
    return added > 0;
  }

  /** Loads the next page from the cursor (the first page after a reset). */
  private async loadPage(generation: number, operation: 'refresh' | 'more'): Promise<void> {
    const controller = this.beginLoad();
    if (!controller) return;
    try {
      const client = await this.host.client();
      const query: AuditLogQuery = { ...this.host.query(), limit: this.settings.pageSize, ...(this.cursor ? { after: this.cursor } : {}) };
      const page = await client.listPage(query, { signal: controller.signal });
      if (generation !== this.generation) return;
      this.archiveEvents(page.data);
      this.cursor = page.last_id ?? page.data[page.data.length - 1]?.event.id ?? this.cursor;
      this._hasMore = page.has_more && page.data.length > 0;
      this.hooks.fire('events');
      this.endLoad();
    } catch (e) {
      if (generation === this.generation) this.endLoadWithError(e, controller.signal, operation);
    }
  }

  private syncOptions(signal: AbortSignal) {
    return { signal, concurrency: this.settings.maxConcurrentRequests, gate: this.rateLimitGate, pageSize: this.settings.pageSize };
  }

  /**
   * Runs the archive's sync as this store's load: status, progress in the view (at most every 250 ms),
   * retention afterwards. Resolves with the result, or undefined when it failed or was cancelled (the
   * error is recorded as the load's).
   */
  private async runSync(
    generation: number,
    extra: { since?: number; onProgress?: (p: { added: number; total: number; requests: number }) => void; onError?: (e: unknown) => void },
    operation: Operation,
  ): Promise<SyncResult | undefined> {
    const controller = this.beginLoad();
    const archive = this.host.archive;
    if (!controller || !archive) return undefined;
    let lastShown = Date.now();
    try {
      const client = await this.host.client();
      const result = await syncArchive(archive, client, {
        ...this.syncOptions(controller.signal),
        ...this.syncFloor(extra.since),
        onProgress: (p) => {
          extra.onProgress?.(p);
          this._syncProgress = { added: p.added, total: p.total };
          // The views regroup on each tell: less often as the archive grows (1 s at a million events).
          if (Date.now() - lastShown < 250 + p.total / 1_300) return;
          lastShown = Date.now();
          this.changed();
        },
      });
      this._syncProgress = undefined;
      if (generation !== this.generation) return undefined;
      const retention = applyRetention(archive, this.settings.archiveKeepDays);
      if (retention.deleted > 0) this.log.info(`Archive retention: ${retention.deleted} event(s) older than ${this.settings.archiveKeepDays} days deleted.`);
      this.changed();
      this.endLoad();
      return result;
    } catch (e) {
      this._syncProgress = undefined;
      this.changed();
      extra.onError?.(e);
      if (generation === this.generation) this.endLoadWithError(e, controller.signal, operation);
      return undefined;
    }
  }

  /** How far back a sync reaches: `since`, but with a retention never further back than it keeps (the deleted would come back). */
  private syncFloor(since: number | undefined): { since?: number } {
    const keepDays = this.settings.archiveKeepDays;
    const floor = keepDays > 0 ? Math.floor(Date.now() / 1000 - keepDays * 86_400) : undefined;
    const reach = since !== undefined && floor !== undefined ? Math.max(since, floor) : (since ?? floor);
    return reach !== undefined ? { since: reach } : {};
  }

  /** Starts a load: a fresh abort controller and the 'loading' status; undefined (status 'idle') without a source. */
  private beginLoad(): AbortController | undefined {
    if (this.host.source === 'none') {
      this._status = 'idle';
      this.hooks.fire('status');
      return undefined;
    }
    const controller = (this.abort = new AbortController());
    this._status = 'loading';
    this._error = undefined;
    this.hooks.fire('status');
    return controller;
  }

  private endLoad(): void {
    this._status = 'loaded';
    this.hooks.fire('status');
  }

  /** A load that threw: cancelled, it just ends; otherwise the error is kept, with the operation Retry repeats. */
  private endLoadWithError(e: unknown, signal: AbortSignal, operation: Operation): void {
    if (isCancelledError(e) || signal.aborted) {
      this.endLoad();
      return;
    }
    this._error = e instanceof Error ? e : new Error(String(e));
    this.failedOperation = operation;
    this._status = 'error';
    this.log.error(`Loading the audit log failed: ${errorText(e)}`);
    this.hooks.fire('status');
  }

  /**
   * Load All with filters: everything after what this session paged by cursor, newest first, into the
   * archive (see fetchRestOfQuery). A cancel or a failure keeps what arrived, and Retry continues after it.
   */
  private async loadFilteredInParallel(generation: number, onProgress: (progress: LoadAllProgress) => void): Promise<boolean> {
    const controller = this.beginLoad();
    if (!controller) return false;
    const signal = controller.signal;
    let pages = 0;
    let lastShown = Date.now();
    const show = (force: boolean) => {
      if (!force && Date.now() - lastShown < 250) return;
      lastShown = Date.now();
      this.hooks.fire('events');
      onProgress({ loaded: this.host.count(), pages });
    };
    try {
      const client = await this.host.client();
      const last = this.cursor ? this.host.getEvent(this.cursor) : undefined;
      const batches = fetchRestOfQuery(client, this.host.query(), {
        ...(last ? { cursor: { id: last.event.id, second: Math.floor(last.event.effective_at), hasMore: this._hasMore } } : {}),
        pageSize: this.settings.pageSize,
        concurrency: this.settings.maxConcurrentRequests,
        gate: this.rateLimitGate,
        signal,
        onRequests: (n) => (pages = n),
      });
      for await (const batch of batches) {
        if (generation !== this.generation) return false;
        this.archiveEvents(batch.events);
        this.cursor = batch.cursor ?? this.cursor;
        show(false);
      }
      this._hasMore = false;
      show(true);
      this.endLoad();
      return true;
    } catch (e) {
      if (generation !== this.generation) return false;
      // What arrived is a contiguous prefix: Load More and Retry continue after its last event.
      this._hasMore = true;
      show(true);
      this.endLoadWithError(e, signal, 'more');
      return false;
    }
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
