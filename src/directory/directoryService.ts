import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { Settings, SettingsSection } from '../constants';
import type { AuditArchive } from '../core/archive';
import {
  DirectoryNames,
  countsOf,
  directoryFlags,
  loadDirectory,
  readDirectory,
  saveDirectory,
  seenInArchive,
  setCurrentDirectoryNames,
  type Directory,
  type DirectoryCounts,
  type DirectoryFlag,
} from '../core/directory';
import type { EventStore } from '../store/eventStore';
import { errorText } from '../store/eventStore';

/**
 * The directory of the organization shown now: loaded from its archive's cache whenever the archive changes
 * (another organization, the sample, Delete Archive), read from the Admin API on demand ({@link refresh})
 * and after a sync once the cached one is older than `directory.maxAgeHours`. Never read at activation, and
 * never without having been asked once for this archive: the first read is the user's Refresh Directory.
 * Publishes its names for the tree and the details panel (`setCurrentDirectoryNames`).
 */
export class DirectoryService extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private _directory: Directory | undefined;
  private _names = DirectoryNames.EMPTY;
  private archive: AuditArchive | undefined;
  private running: Promise<DirectoryCounts> | undefined;
  private lastStatus: string;
  private flagCache: { key: string; flags: DirectoryFlag[] } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.lastStatus = store.status;
    this._register(
      store.onDidChange((change) => {
        if (change === 'archive' || change === 'source') this.reloadFromCache();
        if (change === 'status') this.afterStatus();
      }),
    );
    this._register({ dispose: () => setCurrentDirectoryNames(DirectoryNames.EMPTY) });
    this.reloadFromCache();
  }

  get directory(): Directory | undefined {
    return this._directory;
  }

  get names(): DirectoryNames {
    return this._names;
  }

  get refreshing(): boolean {
    return this.running !== undefined;
  }

  /** The flags, recomputed when the directory or the archive's events change. */
  flags(): DirectoryFlag[] {
    const d = this._directory;
    const archive = this.store.archive;
    if (!d || !archive) return [];
    const key = `${d.readAt}|${this.store.version}|${this.unusedDays}`;
    if (this.flagCache?.key === key) return this.flagCache.flags;
    const ids = [...d.apiKeys.map((k) => k.id), ...d.adminApiKeys.map((k) => k.id), ...d.serviceAccounts.map((s) => s.id)];
    const flags = directoryFlags(d, { now: Date.now() / 1000, seen: seenInArchive(archive, ids), unusedDays: this.unusedDays });
    this.flagCache = { key, flags };
    return flags;
  }

  /** Reads the directory now (joining a read already running) and caches it in the organization's archive. */
  refresh(signal?: AbortSignal): Promise<DirectoryCounts> {
    this.running ??= this.read(signal).finally(() => {
      this.running = undefined;
      this._onDidChange.fire();
    });
    this._onDidChange.fire();
    return this.running;
  }

  private async read(signal: AbortSignal | undefined): Promise<DirectoryCounts> {
    await this.store.ready();
    const client = await this.store.client();
    const archive = this.store.archive;
    const directory = await readDirectory(client, { gate: this.store.rateLimitGate, ...(signal ? { signal } : {}) });
    // Another organization (or the sample) took over while reading: this directory is not its.
    if (archive !== this.store.archive) throw new vscode.CancellationError();
    if (archive) saveDirectory(archive, directory);
    this.publish(directory);
    for (const note of directory.unavailable) this.log.info(`Directory: ${note}`);
    return countsOf(directory);
  }

  private reloadFromCache(): void {
    const archive = this.store.archive;
    if (archive === this.archive) return;
    this.archive = archive;
    let cached: Directory | undefined;
    try {
      cached = archive ? loadDirectory(archive) : undefined;
    } catch (e) {
      this.log.warn(`The cached directory could not be read: ${errorText(e)}`);
    }
    this.publish(cached);
  }

  private publish(directory: Directory | undefined): void {
    this._directory = directory;
    this._names = new DirectoryNames(directory);
    this.flagCache = undefined;
    setCurrentDirectoryNames(this._names);
    this._onDidChange.fire();
  }

  /** After a load ends: refresh a directory read before that is older than the setting. */
  private afterStatus(): void {
    const before = this.lastStatus;
    this.lastStatus = this.store.status;
    if (before !== 'loading' || this.store.status !== 'loaded' || this.running) return;
    const d = this._directory;
    const maxAge = this.maxAgeHours;
    if (!d || maxAge <= 0 || Date.now() / 1000 - d.readAt < maxAge * 3600) return;
    this.refresh().catch((e: unknown) => this.log.warn(`Refreshing the directory after the sync failed: ${errorText(e)}`));
  }

  private get maxAgeHours(): number {
    return clampSetting(Settings.directoryMaxAgeHours, 24, 0, 24 * 365);
  }

  private get unusedDays(): number {
    return clampSetting(Settings.directoryKeyUnusedDays, 90, 1, 3650);
  }
}

function clampSetting(key: string, fallback: number, min: number, max: number): number {
  const value = vscode.workspace.getConfiguration(SettingsSection).get<number>(key);
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
