import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { filtersToQuery, normalizeFilters, type EventFilters } from '../core/analysis/filters';
import { CancelledError, isAuditLogApiError, isCancelledError } from '../core/api';
import {
  EXPORT_FORMATS,
  archiveBatches,
  exportAuditLog,
  formatFromFileName,
  isExportFormat,
  type EvidenceOptions,
  type ExportFormat,
  type ExportResult,
  writeEventsFile,
} from '../core/export';
import type { AuditLogQuery } from '../core/api';
import type { AuditArchive } from '../core/archive';
import { queryBounds, summarizeCoverage } from '../core/archive/coverageSummary';
import { compileQuery, withSearch } from '../core/query';
import type { ArchiveQuery } from '../core/archive/repository';
import type { ExtensionServices } from '../services';
import { LastExportFolder, defaultExportFolder } from './exportDestination';
import { defaultName, exportResultMessage, formatItems, saveFilters, windowExportUi, type ExportUi } from './exportPrompts';

/**
 * The automation argument of `openaiAuditLogs.exportEvents`. Times are Unix
 * seconds, both inclusive. Without `filters` the Events view's current
 * filters apply; with `filters` exactly those do (`{}` = everything).
 * Without `format` the destination's extension decides (`.ocsf.jsonl`,
 * `.jsonl`, `.json`, `.csv`, `.parquet`), else JSON Lines. For `evidence` the
 * destination is the pack's folder (new, or empty), and `sign: true` signs
 * its SHA256SUMS.
 */
export interface ExportEventsArgs {
  readonly destination: string;
  readonly format?: ExportFormat;
  readonly sign?: boolean;
  readonly filters?: {
    readonly startTime?: number;
    readonly endTime?: number;
    readonly eventTypes?: readonly string[];
    readonly projectIds?: readonly string[];
    readonly actorIds?: readonly string[];
    readonly actorEmails?: readonly string[];
    readonly resourceIds?: readonly string[];
  };
}

/** Validates the automation argument; throws an Error naming what is wrong. */
export function parseExportArgs(value: unknown): { destination: string; format: ExportFormat; sign: boolean; filters: EventFilters | undefined } {
  if (typeof value !== 'object' || value === null) throw new Error('exportEvents takes { destination, format?, filters? }.');
  const v = value as Record<string, unknown>;
  const destination = v.destination;
  if (typeof destination !== 'string' || destination.trim() === '') throw new Error('exportEvents: destination must be a file path.');
  if (!path.isAbsolute(destination)) throw new Error('exportEvents: destination must be an absolute file path.');
  if (v.format !== undefined && !isExportFormat(v.format)) throw new Error(`exportEvents: format must be one of ${EXPORT_FORMATS.map((f) => `'${f}'`).join(', ')}.`);
  if (v.sign !== undefined && typeof v.sign !== 'boolean') throw new Error('exportEvents: sign must be true or false.');
  const format = (v.format as ExportFormat | undefined) ?? formatFromFileName(destination) ?? 'jsonl';
  let filters: EventFilters | undefined;
  if (v.filters !== undefined) {
    if (typeof v.filters !== 'object' || v.filters === null) throw new Error('exportEvents: filters must be an object.');
    const f = v.filters as Record<string, unknown>;
    for (const key of ['startTime', 'endTime'] as const) {
      const t = f[key];
      if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t >= 0 && t < 1e11)) {
        throw new Error(`exportEvents: filters.${key} must be whole Unix seconds.`);
      }
    }
    const start = f.startTime as number | undefined;
    const end = f.endTime as number | undefined;
    filters = normalizeFilters({
      ...(start !== undefined || end !== undefined ? { time: { kind: 'custom', start, end } } : {}),
      eventTypes: f.eventTypes,
      projectIds: f.projectIds,
      actorIds: f.actorIds,
      actorEmails: f.actorEmails,
      resourceIds: f.resourceIds,
      query: f.query,
    });
  }
  return { destination: path.resolve(destination), format, sign: v.sign === true, filters };
}

/** One export to run: where, in which format, for which filters, signed or not (evidence pack). */
interface ExportJob {
  readonly destination: string;
  readonly format: ExportFormat;
  readonly filters: EventFilters;
  readonly sign: boolean;
}

/** What the command needs beyond the services: the extension's version, and where it keeps the last folder. */
export interface ExportEnvironment {
  readonly extensionVersion: string;
  readonly lastFolder: LastExportFolder;
  /** The Ed25519 private key (PKCS#8 PEM) that signs evidence packs, made on first use. */
  readonly signingKey?: () => Promise<string>;
}

/**
 * `openaiAuditLogs.exportEvents`: streams the current query (or the given
 * one) to a file, from the archive when it covers the range (no request,
 * offline too), else through the parallel fetcher, with progress and
 * cancellation. With an argument it never prompts and resolves to
 * `{ count, file, source }` (rejecting on failure); without one it asks for
 * the format and the file, and reports the outcome with its full path.
 */
export class ExportCommand {
  constructor(
    private readonly services: ExtensionServices,
    private readonly env: ExportEnvironment,
    private readonly ui: ExportUi = windowExportUi,
  ) {}

  async run(args?: unknown): Promise<ExportResult | undefined> {
    if (args !== undefined && args !== null) {
      const parsed = parseExportArgs(args);
      return this.export({ ...parsed, filters: parsed.filters ?? this.services.store.filters });
    }
    return this.interactive();
  }

  private async interactive(): Promise<ExportResult | undefined> {
    const pick = await this.ui.pickFormat(formatItems());
    if (!pick) return undefined;
    const folder = await defaultExportFolder(await this.env.lastFolder.get());
    const filters = saveFilters(pick.format);
    const target = await this.ui.pickDestination({
      title: pick.format === 'evidence' ? vscode.l10n.t('Export Evidence Pack (a new folder)') : vscode.l10n.t('Export Audit Log'),
      defaultUri: vscode.Uri.file(path.join(folder, defaultName(pick.format, new Date().toISOString().slice(0, 10)))),
      ...(filters ? { filters } : {}),
    });
    if (!target) return undefined;
    try {
      const result = await this.export({ destination: target.fsPath, format: pick.format, filters: this.services.store.filters, sign: pick.sign === true });
      this.ui.showResult(exportResultMessage(result, pick.format));
      return result;
    } catch (error) {
      if (isCancelledError(error)) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      const missingKey = isAuditLogApiError(error) && error.kind === 'missingKey';
      const setKey = vscode.l10n.t('Set Admin API Key');
      void vscode.window
        .showErrorMessage(vscode.l10n.t('Export failed: {0}', message), ...(missingKey ? [setKey] : []))
        .then((choice) => (choice ? vscode.commands.executeCommand(Commands.setApiKey) : undefined));
      return undefined;
    }
  }

  private async export(job: ExportJob): Promise<ExportResult & { source: 'archive' | 'api' }> {
    const { store, log } = this.services;
    await store.ready();
    const { query, localOnly } = exportQuery(job.filters, Date.now() / 1000);
    const evidence = job.format === 'evidence' ? await this.evidenceOptions(query, job.sign) : undefined;
    const archive = store.archive;
    const covered = () => !!archive && summarizeCoverage(archive.coverage(), query, null).complete;
    const lastSynced = archive && archive.coverage().length ? Math.max(...archive.coverage().map((c) => c.lt)) : undefined;
    if (covered() && store.source !== 'none' && lastSynced !== undefined && queryBounds(query).high > lastSynced) {
      // The archive holds the range up to its last sync, and the range goes on past it: bring the top up to
      // now first (one request when nothing is new; nothing older is fetched). Offline, it is served as it is.
      await store.sync({ since: lastSynced }).catch((e: unknown) => log.info(`Export: the archive could not be brought up to date first (${e instanceof Error ? e.message : String(e)}); exporting what it holds.`));
    }
    if (!(archive && covered()) && localOnly.length > 0) {
      // The API would send more than the search matches: never write a file that says it is the search's.
      throw new Error(
        vscode.l10n.t('The search ({0}) can only be applied by the archive, which does not hold this whole range yet: run Sync Archive, then export again.', localOnly.join(' ')),
      );
    }
    const result = archive && covered() ? { ...(await this.exportFromArchive(archive, query, job, evidence)), source: 'archive' as const } : { ...(await this.exportFromApi(query, job, evidence)), source: 'api' as const };
    await this.env.lastFolder.set(path.dirname(result.file)).catch((e: unknown) => log.info(`Export: could not remember the folder (${e instanceof Error ? e.message : String(e)}).`));
    return result;
  }

  /** The evidence pack's manifest fields: the organization, the period asked for, the version, and the signing key. */
  private async evidenceOptions(query: AuditLogQuery, sign: boolean): Promise<EvidenceOptions> {
    const { id, label } = this.services.organizations.current;
    const { low, high } = queryBounds(query);
    return {
      organization: { id, label },
      period: { ...(Number.isFinite(low) ? { start: low } : {}), ...(Number.isFinite(high) ? { end: high - 1 } : {}) },
      extensionVersion: this.env.extensionVersion,
      ...(sign ? { signingKeyPem: await this.requireSigningKey() } : {}),
    };
  }

  private async requireSigningKey(): Promise<string> {
    if (!this.env.signingKey) throw new Error('Signing evidence packs is not available in this window.');
    return this.env.signingKey();
  }

  private async exportFromApi(query: AuditLogQuery, job: ExportJob, evidence: EvidenceOptions | undefined): Promise<ExportResult> {
    const { store, log } = this.services;
    const client = await store.client();
    const concurrency = this.services.settings.maxConcurrentRequests;
    const started = Date.now();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting audit log'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          let shown = 0;
          return await exportAuditLog(client, { ...query, limit: this.services.settings.pageSize }, job.destination, job.format, {
            concurrency,
            // The store's gate: a 429 seen by Load All, an export or any client request slows them all down.
            gate: store.rateLimitGate,
            signal: controller.signal,
            ...(evidence ? { evidence } : {}),
            onProgress: (written, fetch) => {
              if (written - shown < 500 && written !== 0) return;
              shown = written;
              progress.report({
                message: fetch
                  ? vscode.l10n.t('{0} events written ({1}/{2} time windows)', written.toLocaleString(), fetch.windowsDone, fetch.windowsTotal)
                  : vscode.l10n.t('{0} events written', written.toLocaleString()),
              });
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
    if (!result) throw new CancelledError('The export was cancelled.');
    log.info(`Exported ${result.count} events (${job.format}) in ${Date.now() - started} ms with ${concurrency} concurrent requests.`);
    if (result.unreadable) log.warn(`The export holds ${result.unreadable} unreadable events (no string id or type, or no usable time), written as the API sent them.`);
    return result;
  }

  /** A range the archive holds completely is written from it: no request, offline too. */
  private async exportFromArchive(archive: AuditArchive, query: AuditLogQuery, job: ExportJob, evidence: EvidenceOptions | undefined): Promise<ExportResult> {
    const started = Date.now();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting audit log from the archive'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          return await writeEventsFile(archiveBatches(archive, query), job.destination, job.format, {
            signal: controller.signal,
            ...(evidence ? { evidence } : {}),
            onProgress: (written) => progress.report({ message: vscode.l10n.t('{0} events written', written.toLocaleString()) }),
          });
        } finally {
          sub.dispose();
        }
      },
    );
    this.services.log.info(`Exported ${result.count} archived events (${job.format}) in ${Date.now() - started} ms, without a request.`);
    return result;
  }
}

/** For the integration tests: the same export with a recording UI instead of the window's dialogs. */
export interface ExportTestHooks {
  withUi(ui: ExportUi): ExportCommand;
}

export function registerExport(context: vscode.ExtensionContext, services: ExtensionServices): ExportTestHooks {
  const env: ExportEnvironment = {
    extensionVersion: String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'),
    lastFolder: new LastExportFolder(context.globalStorageUri.fsPath),
    signingKey: () => services.evidenceKey.get(),
  };
  const command = new ExportCommand(services, env);
  context.subscriptions.push(vscode.commands.registerCommand(Commands.exportEvents, (args?: unknown) => command.run(args)));
  return { withUi: (ui) => new ExportCommand(services, env, ui) };
}

/**
 * The export's query: the filters with their search (the view's `query`) applied as the Events view applies
 * it, and the search's terms the API cannot filter by. An invalid search is refused with its message, since
 * it would otherwise export nothing or everything.
 */
function exportQuery(filters: EventFilters, now: number): { query: ArchiveQuery; localOnly: readonly string[] } {
  const base = filtersToQuery(filters, now);
  if (!filters.query?.trim()) return { query: base, localOnly: [] };
  const compiled = compileQuery(filters.query, { nowSeconds: now });
  if (!compiled.ok) throw new Error(vscode.l10n.t('The search cannot be exported: {0}', compiled.error.message));
  return { query: withSearch(base, filters.query, now), localOnly: compiled.query.api.localOnly };
}
