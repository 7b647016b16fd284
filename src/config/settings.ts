import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { Settings, SettingsSection } from '../constants';
import { DEFAULT_BASE_URL, validateBaseUrl } from '../core/api/baseUrl';
import { DEFAULT_CONCURRENCY, clampConcurrency } from '../core/fetch';

import { GROUPINGS, type Grouping } from '../core/analysis/grouping';

export { GROUPINGS, type Grouping };

export const TIME_DISPLAYS = ['local', 'utc', 'relative'] as const;
export type TimeDisplay = (typeof TIME_DISPLAYS)[number];

export type BaseUrlSetting = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly url: string; readonly reason: string };

/**
 * Typed reading of every setting of the extension. Values out of range fall
 * back to their defaults (a hand-edited settings.json must not break the view).
 */
export class ExtensionSettings extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<ReadonlySet<string>>());
  /** Fires with the keys (relative to the section) that changed. */
  readonly onDidChange = this._onDidChange.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SettingsSection)) return;
        const changed = new Set<string>();
        for (const key of Object.values(Settings)) {
          if (e.affectsConfiguration(`${SettingsSection}.${key}`)) changed.add(key);
        }
        this._onDidChange.fire(changed);
      }),
    );
  }

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SettingsSection);
  }

  /**
   * The API base URL, validated: https, or http only to loopback. Application scope, and read from the
   * user's own settings only (never `get()`, which would merge a workspace's value if the scope were ever
   * misdeclared): where the Admin key goes is not a workspace's choice.
   */
  get apiBaseUrl(): BaseUrlSetting {
    const inspected = this.config.inspect<string>(Settings.apiBaseUrl);
    const raw = inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_BASE_URL;
    const result = validateBaseUrl(typeof raw === 'string' ? raw : '');
    return result.ok ? result : { ok: false, url: String(raw), reason: result.reason };
  }

  get requestTimeoutSeconds(): number {
    return this.number(Settings.requestTimeoutSeconds, 30, 1, 600);
  }

  get maxRetries(): number {
    return this.number(Settings.maxRetries, 4, 0, 10);
  }

  /** Requests in flight at most for Load All and export; 1-16. */
  get maxConcurrentRequests(): number {
    return clampConcurrency(this.config.get<number>(Settings.maxConcurrentRequests, DEFAULT_CONCURRENCY));
  }

  get pageSize(): number {
    return this.number(Settings.pageSize, 100, 1, 100);
  }

  get groupBy(): Grouping {
    const value = this.config.get<string>(Settings.groupBy);
    return (GROUPINGS as readonly string[]).includes(value ?? '') ? (value as Grouping) : 'typeProject';
  }

  async setGroupBy(grouping: Grouping): Promise<void> {
    await this.config.update(Settings.groupBy, grouping, vscode.ConfigurationTarget.Global);
  }

  get timeDisplay(): TimeDisplay {
    const value = this.config.get<string>(Settings.timeDisplay);
    return (TIME_DISPLAYS as readonly string[]).includes(value ?? '') ? (value as TimeDisplay) : 'local';
  }

  /** Keep the audit log in a SQLite file per organization (false: the same store on an in-memory database). */
  get archiveEnabled(): boolean {
    return this.config.get<boolean>(Settings.archiveEnabled, true) !== false;
  }

  /** Days of events the archive keeps; 0 = everything. */
  get archiveKeepDays(): number {
    return this.number(Settings.archiveKeepDays, 0, 0, 100_000);
  }

  /** Sync the archive when the view opens and on Refresh (only with the archive enabled). */
  get archiveSyncOnOpen(): boolean {
    return this.archiveEnabled && this.config.get<boolean>(Settings.archiveSyncOnOpen, true) !== false;
  }

  /** 0 = off. */
  get autoRefreshSeconds(): number {
    const seconds = this.number(Settings.autoRefreshSeconds, 0, 0, 86_400);
    return seconds > 0 ? Math.max(seconds, 10) : 0;
  }

  private number(key: string, fallback: number, min: number, max: number): number {
    const value = this.config.get<number>(key);
    if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
    return Math.min(max, Math.max(min, Math.round(value)));
  }
}
