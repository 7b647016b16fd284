import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { ExtensionSettings } from '../config/settings';
import { CancelledError, MissingKeyError, isCancelledError, type AuditLogClient, type AuditLogClientEvent, type AuditLogQuery } from '../core/api';
import { filtersToQuery, normalizeFilters, type EventFilters } from '../core/analysis/filters';
import type { Grouping } from '../core/analysis/grouping';
import { applyRetention, syncArchive, type ArchiveGroup, type AuditArchive, type GroupStep, type SyncResult } from '../core/archive';
import { summarizeCoverage, type CoverageSummary } from '../core/archive/coverageSummary';
import type { ArchiveQuery } from '../core/archive/repository';
import { withSearch } from '../core/query';
import { RateLimitGate } from '../core/fetch';
import type { ParsedEvent } from '../core/model';
import { DEFAULT_ORGANIZATION_ID, type Organization, type OrganizationId } from '../organizations/organization';
import type { AdminKeySource, AdminKeyStore } from '../secrets/adminKeyStore';
import { openArchive, type ArchiveMode } from './archiveSession';
import { OrganizationArchive } from './organizationArchive';
import { fetchNewerThan, fetchRestOfQuery } from './filteredFetch';
import { affectsLiveClient, createLiveClient } from './liveClient';
import type { SampleSession } from './sampleSession';

/** Where events come from: nothing yet, the live API with the Admin key, or the sample organization. */
export type SourceKind = 'none' | 'live' | 'sample';
export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

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

const FILTERS_STATE_KEY = 'openaiAuditLogs.filters';

export interface EventStoreOptions {
  readonly keyStore: AdminKeyStore;
  readonly settings: ExtensionSettings;
  readonly workspaceState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
  readonly extensionVersion: string;
  readonly startSample: () => Promise<SampleSession>;
  /** The extension's global storage folder (archives live in `archives/` inside it). */
  readonly globalStorageDir: string;
  /** The current organization: its id (names the archive) and its own API base URL, if any. */
  readonly organization?: () => Pick<Organization, 'id' | 'apiBaseUrl'>;
  /** Fires when the current organization changes. */
  readonly onDidChangeOrganization?: vscode.Event<unknown>;
  /** Fires with the id of an organization that was removed (its archive is deleted). */
  readonly onDidRemoveOrganization?: vscode.Event<string>;
}

/**
 * The explorer's model. Events flow one way: API → archive → this store's queries → views.
 *
 * - The archive (a SQLite file per organization, or memory) holds every event this window ever fetched,
 *   with the exact wire text. Every read (groups, counts, children, an event by id) is a query over it
 *   with the filters, so nothing holds a list of all events in the extension host.
 * - Loads write into the archive: Refresh/Load More page the API's filtered query by cursor; Load All
 *   without filters and Sync Archive run the archive's sync, which records what is complete; with
 *   filters Load All fetches them in parallel windows.
 * - One load runs at a time: `refresh()` cancels whatever runs and starts over; the others queue behind.
 *   A failure keeps what was written (a failure on page 7 keeps pages 1-6).
 * - The store owns its inputs: it reads the key source and opens the archive itself, and every load
 *   waits for both ({@link ready}).
 */
export class EventStore extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<EventStoreChange>());
  readonly onDidChange = this._onDidChange.event;

  private _version = 0;
  private cursor: string | undefined;
  private _hasMore = false;
  private _status: LoadStatus = 'idle';
  private _error: Error | undefined;
  private failedOperation: 'refresh' | 'more' | 'sync' = 'refresh';
  private _filters: EventFilters;
  /** The time the filters were last evaluated at (a preset like "last hour" is relative to it). */
  private evaluatedAt = Date.now() / 1000;
  private _keySource: AdminKeySource = 'none';
  private _sample: SampleSession | undefined;
  private sampleArchive: AuditArchive | undefined;
  private _loadAll: LoadAllProgress | undefined;
  private _newEvents = 0;
  private readonly orgArchive: OrganizationArchive;
  private _syncProgress: { readonly added: number; readonly total: number } | undefined;

  /** Shared by every parallel fetch of this window (Load All, sync, export) and fed by every client's retries. */
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

  private readonly keyStore: AdminKeyStore;
  private readonly settings: ExtensionSettings;
  private readonly log: vscode.LogOutputChannel;

  constructor(private readonly options: EventStoreOptions) {
    super();
    this.keyStore = options.keyStore;
    this.settings = options.settings;
    this.log = options.log;
    this.orgArchive = new OrganizationArchive(options.globalStorageDir, options.log);
    this._filters = normalizeFilters(options.workspaceState.get(FILTERS_STATE_KEY));
    this._register(
      this.settings.onDidChange((keys) => {
        if (keys.has('apiBaseUrl') || keys.has('requestTimeoutSeconds') || keys.has('maxRetries')) this.dropLiveClient();
        if (keys.has('archive.enabled')) void this.reopenArchive();
      }),
    );
    this._register(vscode.workspace.onDidChangeConfiguration((e) => affectsLiveClient(e) && this.dropLiveClient()));
    if (options.onDidChangeOrganization) {
      this._register(options.onDidChangeOrganization(() => {
        this.dropLiveClient();
        void this.reopenArchive();
      }));
    }
    if (options.onDidRemoveOrganization) this._register(options.onDidRemoveOrganization((id) => void this.orgArchive.deleteIfClosed(id)));
    this._register({ dispose: () => this.stop() });
    // The store owns where the key comes from: it reads it now and on every change, and every load waits
    // for the reading, so no caller has to refresh it first (a command that activates the extension
    // before the view was ever shown sees the stored key).
    this._register(this.keyStore.onDidChange(() => void this.resolveKeySource()));
    void this.resolveKeySource();
    void this.reopenArchive();
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
  /** The API's cursor has more for the filters (this session's paging). */
  get hasMore(): boolean {
    return this._hasMore;
  }
  /** Bumps whenever the archive's events change (for caches of derived data). */
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
  get isSample(): boolean {
    return this._sample !== undefined;
  }
  /** How the current events are held: the organization's file, memory (setting off, sample), or memory after a failure. */
  get archiveMode(): ArchiveMode {
    return this._sample ? 'memory' : this.orgArchive.mode;
  }
  /** Why the archive's file could not be used, when it could not. */
  get archiveProblem(): string | undefined {
    return this._sample ? undefined : this.orgArchive.problem;
  }
  /** The file of the current organization's archive (also when disabled or unusable: where it would be). */
  get archivePath(): string {
    return this.orgArchive.fileOf(this.organizationId);
  }
  /** While a sync runs: what it added so far and the archive's total. */
  get syncProgress(): { readonly added: number; readonly total: number } | undefined {
    return this._syncProgress;
  }

  /** The archive the views read (the sample's in sample mode); undefined only while it is being opened. */
  get archive(): AuditArchive | undefined {
    return this._sample ? this.sampleArchive : this.orgArchive.archive;
  }

  /** The filters as the query every read and load uses, evaluated when they were last applied. */
  query(): ArchiveQuery {
    // The search (filters.query) adds its compiled SQL for the archive and what the API can filter to its parameters.
    return withSearch(filtersToQuery(this._filters, this.evaluatedAt), this._filters.query, this.evaluatedAt);
  }

  // ---- reads (all from the archive) ---------------------------------------

  /** Events matching the filters (or one group of them). */
  count(group?: readonly GroupStep[], dayOf?: (s: number) => string): number {
    return this.archive?.count(this.query(), { ...(group ? { group } : {}), ...(dayOf ? { dayOf } : {}) }) ?? 0;
  }

  groups(grouping: Grouping, dayOf?: (s: number) => string): ArchiveGroup[] {
    return this.archive?.groups(this.query(), grouping, dayOf ? { dayOf } : {}) ?? [];
  }

  /** One page of a group's events, newest first. */
  page(group: readonly GroupStep[], offset: number, limit: number, dayOf?: (s: number) => string): ParsedEvent[] {
    return this.archive?.events(this.query(), { group, offset, limit, ...(dayOf ? { dayOf } : {}) }) ?? [];
  }

  /**
   * Every event matching the filters, newest first. For tests and small checks only: the views read
   * counts and pages ({@link groups}, {@link page}), never this.
   */
  get events(): readonly ParsedEvent[] {
    return this.archive?.events(this.query(), { limit: Number.MAX_SAFE_INTEGER }) ?? [];
  }

  getEvent(id: string): ParsedEvent | undefined {
    return this.archive?.getEvent(id);
  }

  /** The newest events matching the filters, at most `limit`. */
  recent(limit: number): ParsedEvent[] {
    return this.archive?.events(this.query(), { limit }) ?? [];
  }

  /** Archived events of one resource, newest first (whatever the archive holds, complete or not). */
  loadedOfResource(resourceId: string): ParsedEvent[] {
    return this.archive?.resourceHistory(resourceId).reverse() ?? [];
  }

  /** What the counts cover: complete for the filters' range, or only what was loaded. */
  coverage(): CoverageSummary {
    const archive = this.archive;
    if (!archive) return { complete: false, since: null, through: null };
    return summarizeCoverage(archive.coverage(), this.query(), archive.oldestSecond());
  }

  /**
   * A resource's archived events newest first, when the archive holds its whole history up to `upTo`
   * (complete from the beginning); undefined when the API must be asked.
   */
  resourceHistory(resourceId: string, upTo?: number): ParsedEvent[] | undefined {
    const archive = this.archive;
    if (!archive) return undefined;
    const end = upTo !== undefined ? Math.floor(upTo) + 1 : (archive.newestSecond() ?? 0) + 1;
    if (!archive.covers(0, end)) return undefined;
    return archive.resourceHistory(resourceId, upTo !== undefined ? { upTo } : {}).reverse();
  }

  /**
   * The client for the current source: the sample organization's loopback server, or the live API with
   * the stored key (asked for on every request). Throws `MissingKeyError` without a key.
   */
  async client(): Promise<AuditLogClient> {
    await this.ready();
    if (this._sample) return this._sample.client;
    if (this._keySource === 'none') throw new MissingKeyError();
    if (!this.liveClient) {
      const organizationId = this.organizationId;
      this.liveClient = createLiveClient({
        baseUrl: this.apiBaseUrl,
        apiKey: async () => (await this.keyStore.get(organizationId))?.value,
        settings: this.settings,
        version: this.options.extensionVersion,
        log: (e) => this.logClientEvent(e),
      });
    }
    return this.liveClient;
  }

  // ---- source -------------------------------------------------------------

  /** Resolves once the key source is known and the archive is open. */
  async ready(): Promise<void> {
    await this.keyResolution;
    await this.orgArchive.ready();
  }

  /**
   * Loads unless a load for the current filters and source already ran or runs (then it joins that one).
   * What showing the view, or setting a key, does.
   */
  async ensureLoaded(): Promise<void> {
    await this.ready();
    if (this.source === 'none') return;
    const current = this.currentLoad;
    if (current && current.generation === this.generation) return current.done;
    if (this._status === 'idle') return this.refresh();
  }

  /** Where the current organization's requests go: its own base URL, else the setting. */
  get apiBaseUrl(): string {
    return this.options.organization?.().apiBaseUrl ?? this.settings.apiBaseUrl.url;
  }

  private get organizationId(): OrganizationId {
    return this.options.organization?.().id ?? DEFAULT_ORGANIZATION_ID;
  }

  /**
   * Reads the key source again; readings run one after another, so the last one wins. A change resets the
   * paging of the old source and, when something had been loaded or was loading, loads again.
   */
  private resolveKeySource(): Promise<void> {
    const reading = this.keyResolution.then(async () => {
      const next = await this.keyStore.source();
      if (!this.keyKnown) {
        this.keyKnown = true;
        this._keySource = next;
        this.fire('key', 'source');
        return;
      }
      if (next === this._keySource) return;
      const before = this.source;
      const wasInUse = this.currentLoad !== undefined;
      this._keySource = next;
      if (this.source !== before) {
        this.cancelRunning();
        this.currentLoad = undefined;
        this.resetPaging();
      }
      this.fire('key', 'source');
      if (wasInUse && this.source === 'live' && before !== 'sample') void this.refresh();
    });
    this.keyResolution = reading.catch((e: unknown) => this.log.error(`Reading the Admin API key failed: ${errorText(e)}`));
    return this.keyResolution;
  }

  /** (Re)opens the current organization's archive: its file, or memory when the setting is off or the file fails. */
  private reopenArchive(options: { reload?: boolean } = {}): Promise<void> {
    const wasInUse = options.reload !== false && this.currentLoad !== undefined;
    this.cancelRunning();
    return this.orgArchive.reopen(this.organizationId, this.settings.archiveEnabled, () => {
      this.resetPaging();
      this._version++;
      this.fire('archive', 'events');
      if (wasInUse && this.source === 'live') void this.refresh();
    });
  }

  /**
   * Deletes the current organization's archive file and starts an empty one (nothing is fetched).
   * `deleted` is false when there was nothing to delete (no file, or an archive that held nothing).
   */
  async deleteArchive(): Promise<{ deleted: boolean }> {
    await this.ready();
    this.cancelRunning();
    const held = this.orgArchive.archive;
    const hadContent = held === undefined || held.inMemory || !held.isEmpty() || held.coverage().length > 0;
    const removed = await this.orgArchive.delete(this.organizationId);
    // Empty until the user asks again: deleting is not a request to fetch everything back.
    this.currentLoad = undefined;
    await this.reopenArchive({ reload: false });
    return { deleted: removed && hadContent };
  }

  /** Switches to the sample organization (a loopback server with generated events, archived in memory) and loads it. */
  async openSample(): Promise<void> {
    if (!this._sample) {
      this.cancelRunning();
      const sample = await this.startSampleSession();
      this._sample = sample.session;
      this.sampleArchive = sample.archive;
      this.resetPaging();
      this._version++;
      this.fire('source', 'events');
    }
    await this.refresh();
  }

  /** Leaves the sample organization; the view goes back to the live API (or the welcome). */
  async exitSample(): Promise<void> {
    if (!this._sample) return;
    this.cancelRunning();
    const sample = this._sample;
    const archive = this.sampleArchive;
    this._sample = undefined;
    this.sampleArchive = undefined;
    this.resetPaging();
    this._version++;
    this.fire('source', 'events');
    archive?.close();
    await sample.dispose();
    await this.ready();
    if (this.source === 'live') await this.refresh();
  }

  private async startSampleSession(): Promise<{ session: SampleSession; archive: AuditArchive }> {
    const session = await this.options.startSample();
    const opened = await openArchive(undefined, (m) => this.log.warn(m));
    return { session, archive: opened.archive };
  }

  // ---- filters ------------------------------------------------------------

  async setFilters(filters: EventFilters): Promise<void> {
    this._filters = normalizeFilters(filters);
    this.evaluatedAt = Date.now() / 1000;
    await this.options.workspaceState.update(FILTERS_STATE_KEY, Object.keys(this._filters).length ? this._filters : undefined);
    this._version++;
    this.fire('filters', 'events');
    if (this.source !== 'none') await this.refresh();
  }

  clearNewEvents(): void {
    if (this._newEvents === 0) return;
    this._newEvents = 0;
    this.fire('newEvents');
  }

  // ---- loading ------------------------------------------------------------

  /**
   * Brings the view up to date: with archive sync on, an incremental sync (the first one reaches back as
   * far as the API returns); otherwise the first page of the filters' query. Resolves once it is archived
   * (and the error, if any, recorded).
   */
  refresh(): Promise<void> {
    this.cancelRunning();
    this._newEvents = 0;
    const generation = ++this.generation;
    const done = this.enqueue(async () => {
      await this.ready();
      if (generation !== this.generation) return;
      this.evaluatedAt = Date.now() / 1000;
      this.resetPaging();
      if (this.settings.archiveSyncOnOpen || this._sample) await this.runSync(generation, {}, 'refresh');
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
      await this.ready();
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
      await this.ready();
      if (generation !== this.generation || this.source === 'none') return;
      this._loadAll = { loaded: this.count(), pages: 0 };
      this.fire('status');
      const sub = token?.onCancellationRequested(() => this.abort?.abort());
      const report = (p: LoadAllProgress) => {
        this._loadAll = p;
        onProgress?.(p);
      };
      try {
        if (Object.keys(this._filters).length === 0) {
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
        this.fire('status');
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
      await this.ready();
      if (this.source === 'none') {
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
    const stats = this.archive!.stats();
    return { added: result.added, total: stats.total, oldest: stats.oldest, newest: stats.newest };
  }

  /**
   * Stops the running load or sync (the view's Cancel). What was committed stays; a sync resumes from
   * its committed coverage next time.
   */
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
    await this.ready();
    if (this.source === 'none' || this._status === 'loading') return 0;
    const archive = this.archive;
    const newest = archive?.events(this.query(), { limit: 1 })[0];
    if (!archive || !newest) {
      await this.refresh();
      return 0;
    }
    const generation = this.generation;
    let added = 0;
    await this.enqueue(async () => {
      if (generation !== this.generation) return;
      try {
        const client = await this.client();
        const controller = (this.abort = new AbortController());
        if (archive.coverage().length > 0) {
          added = (await syncArchive(archive, client, this.syncOptions(controller.signal))).added;
        } else {
          const fresh = await fetchNewerThan(client, this.query(), newest.event.effective_at, this.settings.pageSize, controller.signal);
          added = generation === this.generation && fresh.length > 0 ? archive.commitWindow(fresh).added : 0;
        }
      } catch (e) {
        if (!isCancelledError(e)) this.log.warn(`Auto refresh failed: ${errorText(e)}`);
        return;
      }
      if (generation !== this.generation || added === 0) return;
      this._version++;
      this._newEvents += added;
      this.fire('events', 'newEvents');
    });
    return added;
  }

  // ---- internals ----------------------------------------------------------

  private fire(...changes: EventStoreChange[]): void {
    for (const c of changes) this._onDidChange.fire(c);
  }

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
    this.sampleArchive?.close();
    this.orgArchive.close();
  }

  private dropLiveClient(): void {
    const client = this.liveClient;
    this.liveClient = undefined;
    void client?.close().catch(() => undefined);
  }

  /** Forgets this session's paging and error (the archive keeps its events). */
  private resetPaging(): void {
    this.cursor = undefined;
    this._hasMore = false;
    this._error = undefined;
    this._status = 'idle';
  }

  /** Writes events into the archive; true when any was new. */
  private archiveEvents(events: readonly ParsedEvent[]): boolean {
    if (events.length === 0 || !this.archive) return false;
    for (const e of events) if (e.unreadable) this.log.warn(`Unreadable event kept as its raw JSON (${e.event.id}): ${e.unreadable}`);
    const { added } = this.archive.commitWindow(events);
    if (added > 0) this._version++;
    return added > 0;
  }

  /** Loads the next page from the cursor (the first page after a reset). */
  private async loadPage(generation: number, operation: 'refresh' | 'more'): Promise<void> {
    const controller = this.beginLoad();
    if (!controller) return;
    try {
      const client = await this.client();
      const query: AuditLogQuery = { ...this.query(), limit: this.settings.pageSize, ...(this.cursor ? { after: this.cursor } : {}) };
      const page = await client.listPage(query, { signal: controller.signal });
      if (generation !== this.generation) return;
      this.archiveEvents(page.data);
      this.cursor = page.last_id ?? page.data[page.data.length - 1]?.event.id ?? this.cursor;
      this._hasMore = page.has_more && page.data.length > 0;
      this.fire('events');
      this.endLoad();
    } catch (e) {
      if (generation === this.generation) this.endLoadWithError(e, controller.signal, operation);
    }
  }

  private syncOptions(signal: AbortSignal) {
    return {
      signal,
      concurrency: this.settings.maxConcurrentRequests,
      gate: this.rateLimitGate,
      pageSize: this.settings.pageSize,
    };
  }

  /**
   * Runs the archive's sync as this store's load: status, progress in the view (at most every 250 ms),
   * retention afterwards. Resolves with the result, or undefined when it failed or was cancelled (the
   * error is recorded as the load's).
   */
  private async runSync(
    generation: number,
    extra: { since?: number; onProgress?: (p: { added: number; total: number; requests: number }) => void; onError?: (e: unknown) => void },
    operation: 'refresh' | 'more' | 'sync',
  ): Promise<SyncResult | undefined> {
    const controller = this.beginLoad();
    const archive = this.archive;
    if (!controller || !archive) return undefined;
    let lastShown = Date.now();
    try {
      const client = await this.client();
      // With a retention the sync does not reach back further than it keeps (the deleted would come back).
      const keepDays = this.settings.archiveKeepDays;
      const floor = keepDays > 0 ? Math.floor(Date.now() / 1000 - keepDays * 86_400) : undefined;
      const since = extra.since !== undefined && floor !== undefined ? Math.max(extra.since, floor) : (extra.since ?? floor);
      const result = await syncArchive(archive, client, {
        ...this.syncOptions(controller.signal),
        ...(since !== undefined ? { since } : {}),
        onProgress: (p) => {
          extra.onProgress?.(p);
          this._syncProgress = { added: p.added, total: p.total };
          // The views regroup on each tell: less often as the archive grows (1 s at a million events).
          if (Date.now() - lastShown < 250 + p.total / 1_300) return;
          lastShown = Date.now();
          this._version++;
          this.fire('events');
        },
      });
      this._syncProgress = undefined;
      if (generation !== this.generation) return undefined;
      const retention = applyRetention(archive, this.settings.archiveKeepDays);
      if (retention.deleted > 0) this.log.info(`Archive retention: ${retention.deleted} event(s) older than ${this.settings.archiveKeepDays} days deleted.`);
      this._version++;
      this.fire('events');
      this.endLoad();
      return result;
    } catch (e) {
      this._syncProgress = undefined;
      this._version++;
      this.fire('events');
      extra.onError?.(e);
      if (generation === this.generation) this.endLoadWithError(e, controller.signal, operation);
      return undefined;
    }
  }

  /** Starts a load: a fresh abort controller and the 'loading' status; undefined (status 'idle') without a source. */
  private beginLoad(): AbortController | undefined {
    if (this.source === 'none') {
      this._status = 'idle';
      this.fire('status');
      return undefined;
    }
    const controller = (this.abort = new AbortController());
    this._status = 'loading';
    this._error = undefined;
    this.fire('status');
    return controller;
  }

  private endLoad(): void {
    this._status = 'loaded';
    this.fire('status');
  }

  /** A load that threw: cancelled, it just ends; otherwise the error is kept, with the operation Retry repeats. */
  private endLoadWithError(e: unknown, signal: AbortSignal, operation: 'refresh' | 'more' | 'sync'): void {
    if (isCancelledError(e) || signal.aborted) {
      this.endLoad();
      return;
    }
    this._error = e instanceof Error ? e : new Error(String(e));
    this.failedOperation = operation;
    this._status = 'error';
    this.log.error(`Loading the audit log failed: ${errorText(e)}`);
    this.fire('status');
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
      this.fire('events');
      onProgress({ loaded: this.count(), pages });
    };
    try {
      const client = await this.client();
      const last = this.cursor ? this.getEvent(this.cursor) : undefined;
      const batches = fetchRestOfQuery(client, this.query(), {
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

  private logClientEvent(e: AuditLogClientEvent): void {
    // Already redacted by the client; never holds the key or headers.
    this.rateLimitGate.observe(e);
    if (e.type === 'error') this.log.warn(e.message);
    else if (e.type === 'retry') this.log.info(e.message);
    else this.log.debug(e.message);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
