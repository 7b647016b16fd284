import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { ExtensionSettings } from '../config/settings';
import {
  AuditLogClient,
  MissingKeyError,
  isCancelledError,
  timeoutsFromSeconds,
  type AuditLogClientEvent,
  type AuditLogQuery,
} from '../core/api';
import { filtersToQuery, normalizeFilters, type EventFilters } from '../core/analysis/filters';
import { RateLimitGate, boundsOf, fetchAuditLogBatches } from '../core/fetch';
import type { ParsedEvent } from '../core/model';
import type { AdminKeySource, AdminKeyStore } from '../secrets/adminKeyStore';
import type { SampleSession } from './sampleSession';

/** Where events come from: nothing yet, the live API with the Admin key, or the sample organization. */
export type SourceKind = 'none' | 'live' | 'sample';
export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

/** `key`: where the key comes from changed (stored, forgotten, here or in another window). */
export type EventStoreChange = 'events' | 'status' | 'filters' | 'source' | 'key' | 'newEvents';

export interface LoadAllProgress {
  readonly loaded: number;
  readonly pages: number;
}

const FILTERS_STATE_KEY = 'openaiAuditLogs.filters';

/**
 * Holds the loaded events (newest first, by id), the source, the filters
 * (persisted per workspace), the paging cursor and the loading/error state,
 * and fires `onDidChange`. Views read it; only this class talks to the client.
 *
 * One load runs at a time: `refresh()` cancels whatever runs and starts over;
 * `loadMore()`/`loadAll()` queue behind a running load. A failure keeps what
 * was already loaded (a failure on page 7 keeps pages 1-6).
 */
export class EventStore extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<EventStoreChange>());
  readonly onDidChange = this._onDidChange.event;

  private _events: ParsedEvent[] = [];
  private readonly byId = new Map<string, ParsedEvent>();
  private _version = 0;
  private cursor: string | undefined;
  private _hasMore = false;
  private _status: LoadStatus = 'idle';
  private _error: Error | undefined;
  private failedOperation: 'refresh' | 'more' = 'refresh';
  private _filters: EventFilters;
  private _keySource: AdminKeySource = 'none';
  private _sample: SampleSession | undefined;
  private _loadAll: LoadAllProgress | undefined;
  private _newEvents = 0;

  /** Shared by every parallel fetch of this window (Load All, export) and fed by every client's retries. */
  readonly rateLimitGate = new RateLimitGate();

  private liveClient: AuditLogClient | undefined;
  private generation = 0;
  private running: Promise<void> = Promise.resolve();
  private abort: AbortController | undefined;
  /** The latest reading of where the key comes from; every load waits for it (see {@link ready}). */
  private keyResolution: Promise<void> = Promise.resolve();
  /** False until the first reading: loads queued before it wait for it and must not be cancelled by it. */
  private keyKnown = false;
  /** The load started for the current generation (what {@link ensureLoaded} joins). */
  private currentLoad: { readonly generation: number; readonly done: Promise<void> } | undefined;

  constructor(
    private readonly keyStore: AdminKeyStore,
    private readonly settings: ExtensionSettings,
    private readonly workspaceState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    private readonly extensionVersion: string,
    private readonly startSample: () => Promise<SampleSession>,
  ) {
    super();
    this._filters = normalizeFilters(workspaceState.get(FILTERS_STATE_KEY));
    this._register(
      settings.onDidChange((keys) => {
        if (keys.has('apiBaseUrl') || keys.has('requestTimeoutSeconds') || keys.has('maxRetries')) this.dropLiveClient();
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.proxyStrictSSL') || e.affectsConfiguration('http.noProxy')) {
          this.dropLiveClient();
        }
      }),
    );
    this._register({ dispose: () => this.stop() });
    // The store owns where the key comes from: it reads it now and on every change, and every load waits
    // for the reading, so no caller has to refresh it first (a command that activates the extension
    // before the view was ever shown sees the stored key).
    this._register(keyStore.onDidChange(() => void this.resolveKeySource()));
    void this.resolveKeySource();
  }

  // ---- state --------------------------------------------------------------

  get source(): SourceKind {
    if (this._sample) return 'sample';
    return this._keySource === 'none' ? 'none' : 'live';
  }
  get keySource(): AdminKeySource {
    return this._keySource;
  }
  get status(): LoadStatus {
    return this._status;
  }
  get error(): Error | undefined {
    return this._error;
  }
  get hasMore(): boolean {
    return this._hasMore;
  }
  /** Loaded events, newest first. */
  get events(): readonly ParsedEvent[] {
    return this._events;
  }
  /** Bumps whenever the set of loaded events changes (for caches of derived data). */
  get version(): number {
    return this._version;
  }
  get filters(): EventFilters {
    return this._filters;
  }
  get loadAllProgress(): LoadAllProgress | undefined {
    return this._loadAll;
  }
  /** Events that auto refresh found since the count was last cleared. */
  get newEvents(): number {
    return this._newEvents;
  }

  getEvent(id: string): ParsedEvent | undefined {
    return this.byId.get(id);
  }

  findEvents(predicate: (event: ParsedEvent) => boolean): ParsedEvent[] {
    return this._events.filter(predicate);
  }

  /**
   * The client for the current source: the sample organization's loopback
   * server, or the live API with the stored key (asked for on every request).
   * Throws `MissingKeyError` without a key.
   */
  async client(): Promise<AuditLogClient> {
    await this.ready();
    if (this._sample) return this._sample.client;
    if (this._keySource === 'none') throw new MissingKeyError();
    if (!this.liveClient) {
      const base = this.settings.apiBaseUrl;
      const http = vscode.workspace.getConfiguration('http');
      const proxyUrl = http.get<string>('proxy');
      const noProxy = http.get<string[]>('noProxy');
      this.liveClient = new AuditLogClient({
        baseUrl: base.url,
        apiKey: async () => (await this.keyStore.get())?.value,
        version: this.extensionVersion,
        maxRetries: this.settings.maxRetries,
        timeouts: timeoutsFromSeconds(this.settings.requestTimeoutSeconds),
        proxy: {
          ...(proxyUrl ? { proxyUrl } : {}),
          ...(Array.isArray(noProxy) ? { noProxy } : {}),
          proxyStrictSsl: http.get<boolean>('proxyStrictSSL', true),
          env: process.env,
        },
        log: (e) => this.logClientEvent(e),
      });
    }
    return this.liveClient;
  }

  // ---- source -------------------------------------------------------------

  /** Resolves once the key source is known (the readings started so far have settled). */
  ready(): Promise<void> {
    return this.keyResolution;
  }

  /**
   * Loads the first page unless a load for the current filters and source already ran or runs
   * (then it joins that one). What showing the view, or setting a key, does.
   */
  async ensureLoaded(): Promise<void> {
    await this.ready();
    if (this.source === 'none') return;
    const current = this.currentLoad;
    if (current && current.generation === this.generation) return current.done;
    if (this._status === 'idle' && this._events.length === 0) return this.refresh();
  }

  /**
   * Reads the key source again; readings run one after another, so the last one wins. A change
   * resets what was loaded for the old source and, when something had been loaded or was loading,
   * loads again for the new one.
   */
  private resolveKeySource(): Promise<void> {
    const reading = this.keyResolution.then(async () => {
      const next = await this.keyStore.source();
      if (!this.keyKnown) {
        this.keyKnown = true;
        this._keySource = next;
        this._onDidChange.fire('key');
        this._onDidChange.fire('source');
        return;
      }
      if (next === this._keySource) return;
      const before = this.source;
      const wasInUse = this.currentLoad !== undefined;
      this._keySource = next;
      if (this.source !== before) {
        this.cancelRunning();
        this.currentLoad = undefined;
        this.resetEvents();
      }
      this._onDidChange.fire('key');
      this._onDidChange.fire('source');
      if (wasInUse && this.source === 'live' && before !== 'sample') void this.refresh();
    });
    this.keyResolution = reading.catch((e: unknown) => this.log.error(`Reading the Admin API key failed: ${errorText(e)}`));
    return this.keyResolution;
  }

  get isSample(): boolean {
    return this._sample !== undefined;
  }

  /** Switches to the sample organization (a loopback server with generated events) and loads it. */
  async openSample(): Promise<void> {
    if (!this._sample) {
      this.cancelRunning();
      this._sample = await this.startSample();
      this.resetEvents();
      this._onDidChange.fire('source');
    }
    await this.refresh();
  }

  /** Leaves the sample organization; the view goes back to the live API (or the welcome). */
  async exitSample(): Promise<void> {
    if (!this._sample) return;
    this.cancelRunning();
    const sample = this._sample;
    this._sample = undefined;
    this.resetEvents();
    this._onDidChange.fire('source');
    await sample.dispose();
    await this.ready();
    if (this.source === 'live') await this.refresh();
  }

  // ---- filters ------------------------------------------------------------

  async setFilters(filters: EventFilters): Promise<void> {
    this._filters = normalizeFilters(filters);
    await this.workspaceState.update(FILTERS_STATE_KEY, Object.keys(this._filters).length ? this._filters : undefined);
    this._onDidChange.fire('filters');
    if (this.source !== 'none') await this.refresh();
  }

  clearNewEvents(): void {
    if (this._newEvents === 0) return;
    this._newEvents = 0;
    this._onDidChange.fire('newEvents');
  }

  // ---- loading ------------------------------------------------------------

  /** Loads the first page for the current filters; resolves once it is in the store (and the error, if any, recorded). */
  refresh(): Promise<void> {
    this.cancelRunning();
    this._newEvents = 0;
    const generation = ++this.generation;
    const done = this.enqueue(async () => {
      await this.ready();
      if (generation !== this.generation) return;
      this.resetEvents(false);
      await this.loadPage(generation, 'refresh');
    });
    this.currentLoad = { generation, done };
    return done;
  }

  /** Loads the next page, if there is one. */
  loadMore(): Promise<void> {
    const generation = this.generation;
    return this.enqueue(async () => {
      await this.ready();
      if (generation !== this.generation || !this._hasMore) return;
      await this.loadPage(generation, 'more');
    });
  }

  /**
   * Loads every remaining page for the filters. Resolves with false when
   * cancelled (the pages loaded so far stay).
   */
  loadAll(onProgress?: (progress: LoadAllProgress) => void, token?: vscode.CancellationToken): Promise<boolean> {
    const generation = this.generation;
    let completed = false;
    return this.enqueue(async () => {
      await this.ready();
      if (generation !== this.generation) return;
      if (this._events.length === 0 && !this._hasMore) {
        // Nothing loaded yet: start from the first page.
        this.resetEvents(false);
        this.cursor = undefined;
        this._hasMore = true;
      }
      this._loadAll = { loaded: this._events.length, pages: 0 };
      this._onDidChange.fire('status');
      const sub = token?.onCancellationRequested(() => this.abort?.abort());
      try {
        completed = await this.loadRemainingInParallel(generation, (p) => {
          this._loadAll = p;
          onProgress?.(p);
        });
      } finally {
        sub?.dispose();
        this._loadAll = undefined;
        this._onDidChange.fire('status');
      }
    }).then(() => completed);
  }

  /** What Retry does: the operation that failed, from where it failed. */
  retry(): Promise<void> {
    return this.failedOperation === 'more' && this._events.length > 0 ? this.loadMore() : this.refresh();
  }

  /**
   * Auto refresh: fetches only events newer than the newest loaded one
   * (`effective_at[gt]`) and puts them on top. Returns how many were new.
   */
  async pollNewer(): Promise<number> {
    await this.ready();
    if (this.source === 'none' || this._status === 'loading') return 0;
    const newest = this._events[0];
    if (!newest) {
      await this.refresh();
      return 0;
    }
    const generation = this.generation;
    let added = 0;
    await this.enqueue(async () => {
      if (generation !== this.generation) return;
      const base = filtersToQuery(this._filters, Date.now() / 1000);
      const range = { ...base.effectiveAt };
      delete range.gte;
      delete range.gt;
      const query: AuditLogQuery = { ...base, effectiveAt: { ...range, gt: newest.event.effective_at }, limit: this.settings.pageSize };
      const fresh: ParsedEvent[] = [];
      try {
        const client = await this.client();
        const controller = (this.abort = new AbortController());
        for await (const page of client.pages(query, { signal: controller.signal })) {
          if (generation !== this.generation) return;
          for (const e of page.data) if (!this.byId.has(e.event.id)) fresh.push(e);
        }
      } catch (e) {
        if (!isCancelledError(e)) this.log.warn(`Auto refresh failed: ${errorText(e)}`);
        return;
      }
      if (generation !== this.generation || fresh.length === 0) return;
      for (const e of fresh) this.byId.set(e.event.id, e);
      this._events = [...fresh, ...this._events];
      this._version++;
      added = fresh.length;
      this._newEvents += added;
      this._onDidChange.fire('events');
      this._onDidChange.fire('newEvents');
    });
    return added;
  }

  // ---- internals ----------------------------------------------------------

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.running.then(task, task);
    this.running = next.catch(() => undefined);
    return next;
  }

  private cancelRunning(): void {
    this.generation++;
    this.abort?.abort();
  }

  private stop(): void {
    this.cancelRunning();
    this.dropLiveClient();
    void this._sample?.dispose();
    this._sample = undefined;
  }

  private dropLiveClient(): void {
    const client = this.liveClient;
    this.liveClient = undefined;
    void client?.close().catch(() => undefined);
  }

  private resetEvents(fire = true): void {
    this._events = [];
    this.byId.clear();
    this.cursor = undefined;
    this._hasMore = false;
    this._error = undefined;
    this._status = 'idle';
    this._version++;
    if (fire) this._onDidChange.fire('events');
  }

  /** Loads the next page from the cursor (the first page after a reset). */
  private async loadPage(generation: number, operation: 'refresh' | 'more'): Promise<void> {
    const controller = this.beginLoad();
    if (!controller) return;
    try {
      const client = await this.client();
      const base = filtersToQuery(this._filters, Date.now() / 1000);
      const query: AuditLogQuery = { ...base, limit: this.settings.pageSize, ...(this.cursor ? { after: this.cursor } : {}) };
      const page = await client.listPage(query, { signal: controller.signal });
      if (generation !== this.generation) return;
      this.append(page.data);
      this.cursor = page.last_id ?? page.data[page.data.length - 1]?.event.id ?? this.cursor;
      this._hasMore = page.has_more && page.data.length > 0;
      this._onDidChange.fire('events');
      this.endLoad();
    } catch (e) {
      if (generation === this.generation) this.endLoadWithError(e, controller.signal, operation);
    }
  }

  /** Starts a load: a fresh abort controller and the 'loading' status; undefined (status 'idle') without a source. */
  private beginLoad(): AbortController | undefined {
    if (this.source === 'none') {
      this._status = 'idle';
      this._onDidChange.fire('status');
      return undefined;
    }
    const controller = (this.abort = new AbortController());
    this._status = 'loading';
    this._error = undefined;
    this._onDidChange.fire('status');
    return controller;
  }

  private endLoad(): void {
    this._status = 'loaded';
    this._onDidChange.fire('status');
  }

  /** A load that threw: cancelled, it just ends; otherwise the error is kept, with the operation Retry repeats. */
  private endLoadWithError(e: unknown, signal: AbortSignal, operation: 'refresh' | 'more'): void {
    if (isCancelledError(e) || signal.aborted) {
      this.endLoad();
      return;
    }
    this._error = e instanceof Error ? e : new Error(String(e));
    this.failedOperation = operation;
    this._status = 'error';
    this.log.error(`Loading the audit log failed: ${errorText(e)}`);
    this._onDidChange.fire('status');
  }

  /**
   * Load All: everything after what is loaded, through the parallel time-sliced fetcher (src/core/fetch).
   * First the oldest loaded second is finished by cursor (a second is never split between a cursor and a
   * time window); then everything older is fetched in parallel windows and merged newest first, so the
   * store always holds a contiguous newest-first prefix: a cancel or a failure keeps it, and Load More
   * or Retry continue from its last event. The view is told at most every 250 ms, not on every page.
   */
  private async loadRemainingInParallel(generation: number, onProgress: (progress: LoadAllProgress) => void): Promise<boolean> {
    if (this.source !== 'none' && this._events.length > 0 && !this._hasMore) return true;
    const controller = this.beginLoad();
    if (!controller) return false;
    const signal = controller.signal;
    let pages = 0;
    let lastShown = Date.now();
    const show = (force: boolean) => {
      if (!force && Date.now() - lastShown < 250) return;
      lastShown = Date.now();
      this._onDidChange.fire('events');
      onProgress({ loaded: this._events.length, pages });
    };
    try {
      const client = await this.client();
      const base = filtersToQuery(this._filters, Date.now() / 1000);
      const limit = this.settings.pageSize;
      const { low, high } = boundsOf(base);
      let olderThan = high;
      const oldest = this._events[this._events.length - 1];
      if (oldest && this.cursor) {
        const second = Math.floor(oldest.event.effective_at);
        let more = true;
        while (more) {
          const page = await client.listPage(
            { ...base, effectiveAt: secondsRange(Math.max(low, second), second + 1), after: this.cursor, limit },
            { signal },
          );
          if (generation !== this.generation) return false;
          pages++;
          this.append(page.data);
          this.cursor = page.last_id ?? page.data[page.data.length - 1]?.event.id ?? this.cursor;
          more = page.has_more && page.data.length > 0;
          show(false);
        }
        olderThan = second;
      }
      if (low < olderThan) {
        const rest: AuditLogQuery = { ...base, effectiveAt: secondsRange(low, olderThan), limit };
        const cursorPages = pages;
        const batches = fetchAuditLogBatches(client, rest, {
          concurrency: this.settings.maxConcurrentRequests,
          gate: this.rateLimitGate,
          signal,
          // The store keeps every event anyway; no reason to hold workers back.
          maxBufferedEvents: Infinity,
          onProgress: (p) => (pages = cursorPages + p.requests),
        });
        for await (const batch of batches) {
          if (generation !== this.generation) return false;
          this.append(batch);
          this.cursor = this._events[this._events.length - 1]?.event.id ?? this.cursor;
          show(false);
        }
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

  private append(events: readonly ParsedEvent[]): void {
    let added = false;
    for (const e of events) {
      if (this.byId.has(e.event.id)) continue;
      this.byId.set(e.event.id, e);
      this._events.push(e);
      added = true;
    }
    if (added) this._version++;
  }

  private logClientEvent(e: AuditLogClientEvent): void {
    // Already redacted by the client; never holds the key or headers.
    this.rateLimitGate.observe(e);
    if (e.type === 'error') this.log.warn(e.message);
    else if (e.type === 'retry') this.log.info(e.message);
    else this.log.debug(e.message);
  }
}

/** `effective_at` for whole seconds `[low, high)`; an infinite side is left open. */
function secondsRange(low: number, high: number): AuditLogQuery['effectiveAt'] {
  return { ...(Number.isFinite(low) ? { gte: low } : {}), ...(Number.isFinite(high) ? { lt: high } : {}) };
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
