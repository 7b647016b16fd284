import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { ExtensionSettings } from '../config/settings';
import { MissingKeyError, type AuditLogClient, type AuditLogClientEvent } from '../core/api';
import { filtersToQuery, normalizeFilters, type EventFilters } from '../core/analysis/filters';
import type { Grouping } from '../core/analysis/grouping';
import type { ArchiveGroup, AuditArchive, GroupStep } from '../core/archive';
import { summarizeCoverage, type CoverageSummary } from '../core/archive/coverageSummary';
import type { ArchiveQuery } from '../core/archive/repository';
import { withSearch } from '../core/query';
import type { RateLimitGate } from '../core/fetch';
import type { ParsedEvent } from '../core/model';
import { DEFAULT_ORGANIZATION_ID, type Organization, type OrganizationId } from '../organizations/organization';
import type { AdminKeySource, AdminKeyStore } from '../secrets/adminKeyStore';
import { openArchive, type ArchiveMode } from './archiveSession';
import { OrganizationArchive } from './organizationArchive';
import { affectsLiveClient, createLiveClient } from './liveClient';
import type { SampleSession } from './sampleSession';
import { errorText, StoreLoader, type EventStoreChange, type LoadAllProgress, type LoadStatus, type SourceKind, type SyncSummary } from './storeLoader';

export type { EventStoreChange, LoadAllProgress, LoadStatus, SourceKind, SyncSummary } from './storeLoader';
export { errorText } from './storeLoader';

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
 * - Loads write into the archive, one at a time: how is the {@link StoreLoader}'s (storeLoader.ts); this
 *   store says what is shown (source, filters, the reads) and hands its loads over.
 * - The store owns its inputs: it reads the key source and opens the archive itself, and every load
 *   waits for both ({@link ready}).
 */
export class EventStore extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<EventStoreChange>());
  readonly onDidChange = this._onDidChange.event;

  private _version = 0;
  private _filters: EventFilters;
  /** The time the filters were last evaluated at (a preset like "last hour" is relative to it). */
  private evaluatedAt = Date.now() / 1000;
  private _keySource: AdminKeySource = 'none';
  private _sample: SampleSession | undefined;
  private sampleArchive: AuditArchive | undefined;
  private readonly orgArchive: OrganizationArchive;
  /** How events get into the archive: one load at a time, with its status, paging and progress. */
  private readonly loader: StoreLoader;

  private liveClient: AuditLogClient | undefined;
  /** The latest reading of where the key comes from; every load waits for it (see {@link ready}). */
  private keyResolution: Promise<void> = Promise.resolve();
  /** False until the first reading: loads queued before it wait for it and must not be cancelled by it. */
  private keyKnown = false;

  private readonly keyStore: AdminKeyStore;
  private readonly settings: ExtensionSettings;
  private readonly log: vscode.LogOutputChannel;

  constructor(private readonly options: EventStoreOptions) {
    super();
    this.keyStore = options.keyStore;
    this.settings = options.settings;
    this.log = options.log;
    this.orgArchive = new OrganizationArchive(options.globalStorageDir, options.log);
    this.loader = new StoreLoader(this, {
      reevaluate: () => (this.evaluatedAt = Date.now() / 1000),
      bumpVersion: () => this._version++,
      fire: (...changes) => this.fire(...changes),
    }, options.settings, options.log);
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
    return this.loader.status;
  }
  get error(): Error | undefined {
    return this.loader.error;
  }
  /** The API's cursor has more for the filters (this session's paging). */
  get hasMore(): boolean {
    return this.loader.hasMore;
  }
  /** Bumps whenever the archive's events change (for caches of derived data). */
  get version(): number {
    return this._version;
  }
  get filters(): EventFilters {
    return this._filters;
  }
  get loadAllProgress(): LoadAllProgress | undefined {
    return this.loader.loadAllProgress;
  }
  /** Events that auto refresh found since the count was last cleared. */
  get newEvents(): number {
    return this.loader.newEvents;
  }
  /** Shared by every parallel fetch of this window (Load All, sync, export) and fed by every client's retries. */
  get rateLimitGate(): RateLimitGate {
    return this.loader.rateLimitGate;
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
    return this.loader.syncProgress;
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
    return this.loader.ensureLoaded();
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
      const wasInUse = this.loader.inUse;
      this._keySource = next;
      if (this.source !== before) {
        this.loader.forgetCurrentLoad();
        this.loader.resetPaging();
      }
      this.fire('key', 'source');
      if (wasInUse && this.source === 'live' && before !== 'sample') void this.refresh();
    });
    this.keyResolution = reading.catch((e: unknown) => this.log.error(`Reading the Admin API key failed: ${errorText(e)}`));
    return this.keyResolution;
  }

  /** (Re)opens the current organization's archive: its file, or memory when the setting is off or the file fails. */
  private reopenArchive(options: { reload?: boolean } = {}): Promise<void> {
    const wasInUse = options.reload !== false && this.loader.inUse;
    this.loader.cancel();
    return this.orgArchive.reopen(this.organizationId, this.settings.archiveEnabled, () => {
      this.loader.resetPaging();
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
    this.loader.cancel();
    const held = this.orgArchive.archive;
    const hadContent = held === undefined || held.inMemory || !held.isEmpty() || held.coverage().length > 0;
    const removed = await this.orgArchive.delete(this.organizationId);
    // Empty until the user asks again: deleting is not a request to fetch everything back.
    this.loader.forgetCurrentLoad();
    await this.reopenArchive({ reload: false });
    return { deleted: removed && hadContent };
  }

  /** Switches to the sample organization (a loopback server with generated events, archived in memory) and loads it. */
  async openSample(): Promise<void> {
    if (!this._sample) {
      this.loader.cancel();
      const sample = await this.startSampleSession();
      this._sample = sample.session;
      this.sampleArchive = sample.archive;
      this.loader.resetPaging();
      this._version++;
      this.fire('source', 'events');
    }
    await this.refresh();
  }

  /** Leaves the sample organization; the view goes back to the live API (or the welcome). */
  async exitSample(): Promise<void> {
    if (!this._sample) return;
    this.loader.cancel();
    const sample = this._sample;
    const archive = this.sampleArchive;
    this._sample = undefined;
    this.sampleArchive = undefined;
    this.loader.resetPaging();
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
    this._version++;
    // Told before the filters are persisted: the views (and background work that steps aside for a change) need not wait for the write.
    this.fire('filters', 'events');
    await this.options.workspaceState.update(FILTERS_STATE_KEY, Object.keys(this._filters).length ? this._filters : undefined);
    if (this.source !== 'none') await this.refresh();
  }

  clearNewEvents(): void {
    this.loader.clearNewEvents();
  }

  // ---- loading (the loader's, see StoreLoader) ------------------------------

  refresh(): Promise<void> {
    return this.loader.refresh();
  }

  loadMore(): Promise<void> {
    return this.loader.loadMore();
  }

  loadAll(onProgress?: (progress: LoadAllProgress) => void, token?: vscode.CancellationToken): Promise<boolean> {
    return this.loader.loadAll(onProgress, token);
  }

  sync(options: { since?: number; token?: vscode.CancellationToken; onProgress?: (added: number, total: number) => void } = {}): Promise<SyncSummary> {
    return this.loader.sync(options);
  }

  cancelLoad(): void {
    this.loader.cancelLoad();
  }

  /** Resolves once the loads queued so far have ended. */
  idle(): Promise<void> {
    return this.loader.idle();
  }

  retry(): Promise<void> {
    return this.loader.retry();
  }

  pollNewer(): Promise<number> {
    return this.loader.pollNewer();
  }

  // ---- internals ----------------------------------------------------------

  private fire(...changes: EventStoreChange[]): void {
    for (const c of changes) this._onDidChange.fire(c);
  }

  private stop(): void {
    this.loader.cancel();
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

  private logClientEvent(e: AuditLogClientEvent): void {
    // Already redacted by the client; never holds the key or headers.
    this.rateLimitGate.observe(e);
    if (e.type === 'error') this.log.warn(e.message);
    else if (e.type === 'retry') this.log.info(e.message);
    else this.log.debug(e.message);
  }
}
