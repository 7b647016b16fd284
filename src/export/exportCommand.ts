import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { filtersToQuery, normalizeFilters, type EventFilters } from '../core/analysis/filters';
import { CancelledError, isAuditLogApiError, isCancelledError } from '../core/api';
import {
  EXPORT_FILE_EXTENSIONS,
  exportAuditLog,
  formatFromFileName,
  isExportFormat,
  type ExportFormat,
  type ExportResult,
  writeEventsFile,
} from '../core/export';
import type { AuditLogQuery } from '../core/api';
import type { AuditArchive } from '../core/archive';
import { queryBounds, summarizeCoverage } from '../core/archive/coverageSummary';
import type { ParsedEvent } from '../core/model';
import type { ExtensionServices } from '../services';

/**
 * The automation argument of `openaiAuditLogs.exportEvents`. Times are Unix
 * seconds, both inclusive. Without `filters` the Events view's current
 * filters apply; with `filters` exactly those do (`{}` = everything).
 * Without `format` the destination's extension decides (`.jsonl`, `.json`,
 * `.csv`), else JSON Lines.
 */
export interface ExportEventsArgs {
  readonly destination: string;
  readonly format?: ExportFormat;
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

/** The format choices, in the display language (built when asked, after VS Code has loaded the translations). */
function formatItems(): ReadonlyArray<vscode.QuickPickItem & { format: ExportFormat }> {
  return [
    { format: 'jsonl', label: vscode.l10n.t('JSON Lines'), description: '.jsonl', detail: vscode.l10n.t('One event per line, exactly as the API sent it. Best for tools (jq, grep, pandas).') },
    { format: 'json', label: 'JSON', description: '.json', detail: vscode.l10n.t('One array of the events as the API sent them.') },
    { format: 'csv', label: 'CSV', description: '.csv', detail: vscode.l10n.t('One row per event: id, type, time, actor, project, resource and the detail as JSON.') },
  ];
}

function saveFilters(format: ExportFormat): Record<string, string[]> {
  switch (format) {
    case 'jsonl':
      return { [vscode.l10n.t('JSON Lines')]: ['jsonl', 'ndjson'] };
    case 'json':
      return { JSON: ['json'] };
    case 'csv':
      return { CSV: ['csv'] };
  }
}

/** Validates the automation argument; throws an Error naming what is wrong. */
export function parseExportArgs(value: unknown): { destination: string; format: ExportFormat; filters: EventFilters | undefined } {
  if (typeof value !== 'object' || value === null) throw new Error('exportEvents takes { destination, format?, filters? }.');
  const v = value as Record<string, unknown>;
  const destination = v.destination;
  if (typeof destination !== 'string' || destination.trim() === '') throw new Error('exportEvents: destination must be a file path.');
  if (!path.isAbsolute(destination)) throw new Error('exportEvents: destination must be an absolute file path.');
  if (v.format !== undefined && !isExportFormat(v.format)) throw new Error("exportEvents: format must be 'jsonl', 'json' or 'csv'.");
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
    });
  }
  return { destination: path.resolve(destination), format, filters };
}

/**
 * `openaiAuditLogs.exportEvents`: streams the current query (or the given
 * one) to a file through the parallel fetcher, with progress and
 * cancellation. With an argument it never prompts and resolves to
 * `{ count, file }` (rejecting on failure); without one it asks for the
 * format and the file, and reports the outcome.
 */
export class ExportCommand {

  constructor(private readonly services: ExtensionServices) {}

  async run(args?: unknown): Promise<ExportResult | undefined> {
    if (args !== undefined && args !== null) {
      const parsed = parseExportArgs(args);
      return this.export(parsed.destination, parsed.format, parsed.filters ?? this.services.store.filters);
    }
    return this.interactive();
  }

  private async interactive(): Promise<ExportResult | undefined> {
    const pick = await vscode.window.showQuickPick(formatItems(), { title: vscode.l10n.t('Export Audit Log: format'), placeHolder: vscode.l10n.t('JSON Lines') });
    if (!pick) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
    const name = `openai-audit-log-${new Date().toISOString().slice(0, 10)}.${EXPORT_FILE_EXTENSIONS[pick.format]}`;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Audit Log'),
      saveLabel: vscode.l10n.t('Export'),
      defaultUri: vscode.Uri.file(path.join(folder, name)),
      filters: saveFilters(pick.format),
    });
    if (!target) return undefined;
    try {
      const result = await this.export(target.fsPath, pick.format, this.services.store.filters);
      const openFile = vscode.l10n.t('Open File');
      const done = result.unreadable
        ? vscode.l10n.t(
            'Exported {0} events to {1}, {2} of them unreadable (written exactly as the API sent them; see the log).',
            result.count.toLocaleString(),
            path.basename(result.file),
            result.unreadable.toLocaleString(),
          )
        : vscode.l10n.t('Exported {0} events to {1}.', result.count.toLocaleString(), path.basename(result.file));
      void vscode.window
        .showInformationMessage(done, openFile)
        .then((choice) => (choice ? vscode.commands.executeCommand('vscode.open', vscode.Uri.file(result.file)) : undefined));
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

  private async export(destination: string, format: ExportFormat, filters: EventFilters): Promise<ExportResult & { source: 'archive' | 'api' }> {
    const { store, log } = this.services;
    await store.ready();
    const query = filtersToQuery(filters, Date.now() / 1000);
    const archive = store.archive;
    const covered = () => !!archive && summarizeCoverage(archive.coverage(), query, null).complete;
    const lastSynced = archive && archive.coverage().length ? Math.max(...archive.coverage().map((c) => c.lt)) : undefined;
    if (covered() && store.source !== 'none' && lastSynced !== undefined && queryBounds(query).high > lastSynced) {
      // The archive holds the range up to its last sync, and the range goes on past it: bring the top up to
      // now first (one request when nothing is new; nothing older is fetched). Offline, it is served as it is.
      await store.sync({ since: lastSynced }).catch((e: unknown) => log.info(`Export: the archive could not be brought up to date first (${e instanceof Error ? e.message : String(e)}); exporting what it holds.`));
    }
    if (archive && covered()) {
      return { ...(await this.exportFromArchive(archive, query, destination, format)), source: 'archive' };
    }
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
          return await exportAuditLog(client, { ...query, limit: this.services.settings.pageSize }, destination, format, {
            concurrency,
            // The store's gate: a 429 seen by Load All, an export or any client request slows them all down.
            gate: store.rateLimitGate,
            signal: controller.signal,
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
    log.info(`Exported ${result.count} events (${format}) in ${Date.now() - started} ms with ${concurrency} concurrent requests.`);
    if (result.unreadable) log.warn(`The export holds ${result.unreadable} unreadable events (no string id or type, or no usable time), written as the API sent them.`);
    return { ...result, source: 'api' };
  }

  /** A range the archive holds completely is written from it: no request, offline too. */
  private async exportFromArchive(archive: AuditArchive, query: AuditLogQuery, destination: string, format: ExportFormat): Promise<ExportResult> {
    const started = Date.now();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting audit log from the archive'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        async function* batches(): AsyncGenerator<readonly ParsedEvent[]> {
          for (const batch of archive.iterate(query, 2_000)) {
            yield batch;
            // Let the host breathe between batches of a long export.
            await new Promise((r) => setImmediate(r));
          }
        }
        try {
          return await writeEventsFile(batches(), destination, format, {
            signal: controller.signal,
            onProgress: (written) => progress.report({ message: vscode.l10n.t('{0} events written', written.toLocaleString()) }),
          });
        } finally {
          sub.dispose();
        }
      },
    );
    this.services.log.info(`Exported ${result.count} archived events (${format}) in ${Date.now() - started} ms, without a request.`);
    return result;
  }
}

export function registerExport(context: vscode.ExtensionContext, services: ExtensionServices): ExportCommand {
  const command = new ExportCommand(services);
  context.subscriptions.push(vscode.commands.registerCommand(Commands.exportEvents, (args?: unknown) => command.run(args)));
  return command;
}
