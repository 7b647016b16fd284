/**
 * The interactive export's questions and answer: the format pick (every
 * format, the evidence pack signed or not), the save dialog's file filters,
 * and the result message naming the full path with Open File and Reveal in
 * File Explorer.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EVIDENCE_FILES, type ExportFormat, type ExportResult } from '../core/export';

export interface FormatItem extends vscode.QuickPickItem {
  readonly format: ExportFormat;
  /** For the evidence pack: sign SHA256SUMS with the window's Ed25519 key. */
  readonly sign?: boolean;
}

/** The format choices, in the display language (built when asked, after VS Code has loaded the translations). */
export function formatItems(): readonly FormatItem[] {
  return [
    { format: 'jsonl', label: vscode.l10n.t('JSON Lines'), description: '.jsonl', detail: vscode.l10n.t('One event per line, exactly as the API sent it. Best for tools (jq, grep, pandas).') },
    { format: 'json', label: 'JSON', description: '.json', detail: vscode.l10n.t('One array of the events as the API sent them.') },
    { format: 'csv', label: 'CSV', description: '.csv', detail: vscode.l10n.t('One row per event: id, type, time, actor, project, resource and the detail as JSON.') },
    { format: 'parquet', label: 'Parquet', description: '.parquet', detail: vscode.l10n.t('Typed columns (time as a UTC timestamp) plus the raw JSON, Snappy-compressed: for DuckDB, Spark, Athena, BigQuery, Snowflake.') },
    { format: 'ocsf', label: vscode.l10n.t('OCSF (JSON Lines)'), description: '.ocsf.jsonl', detail: vscode.l10n.t('Each event as an OCSF 1.8 event (Authentication, Account Change, Entity Management…): for Security Lake, Splunk, Sentinel.') },
    { format: 'evidence', label: vscode.l10n.t('Evidence pack'), description: vscode.l10n.t('folder'), detail: vscode.l10n.t('The events exactly as sent, a manifest and SHA256SUMS (check with sha256sum -c).') },
    { format: 'evidence', sign: true, label: vscode.l10n.t('Evidence pack, signed'), description: vscode.l10n.t('folder'), detail: vscode.l10n.t('The same, with SHA256SUMS signed by an Ed25519 key kept in SecretStorage; its public key is written beside the pack.') },
  ];
}

/** The save dialog's filters: the format's own ending (none for the evidence pack's folder). */
export function saveFilters(format: ExportFormat): Record<string, string[]> | undefined {
  switch (format) {
    case 'jsonl':
      return { [vscode.l10n.t('JSON Lines')]: ['jsonl', 'ndjson'] };
    case 'json':
      return { JSON: ['json'] };
    case 'csv':
      return { CSV: ['csv'] };
    case 'parquet':
      return { Parquet: ['parquet'] };
    case 'ocsf':
      return { [vscode.l10n.t('OCSF JSON Lines')]: ['jsonl'] };
    case 'evidence':
      return undefined;
  }
}

/** The default name of an export made today. */
export function defaultName(format: ExportFormat, day: string): string {
  return format === 'evidence' ? `openai-audit-evidence-${day}` : `openai-audit-log-${day}.${format === 'ocsf' ? 'ocsf.jsonl' : format}`;
}

/** A button of the result message: open the file in an editor (`vscode.open`), or show it in the OS file manager (`revealFileInOS`). */
export interface ExportResultAction {
  readonly kind: 'open' | 'reveal';
  readonly label: string;
  readonly uri: vscode.Uri;
}

/** A result message: its text and its buttons. */
export interface ExportResultMessage {
  readonly text: string;
  readonly actions: readonly ExportResultAction[];
}

/** Runs a result button: the command is fixed by its kind, never taken from data. */
export function runResultAction(action: ExportResultAction): Thenable<unknown> {
  return action.kind === 'open' ? vscode.commands.executeCommand('vscode.open', action.uri) : vscode.commands.executeCommand('revealFileInOS', action.uri);
}

/** "Exported N events to <full path>." with Open File (not for binary Parquet) and Reveal in File Explorer. */
export function exportResultMessage(result: ExportResult, format: ExportFormat): ExportResultMessage {
  const text = result.unreadable
    ? vscode.l10n.t(
        'Exported {0} events to {1}, {2} of them unreadable (written exactly as the API sent them; see the log).',
        result.count.toLocaleString(),
        result.file,
        result.unreadable.toLocaleString(),
      )
    : vscode.l10n.t('Exported {0} events to {1}.', result.count.toLocaleString(), result.file);
  // The evidence pack opens its manifest.
  const opened = format === 'evidence' ? path.join(result.file, EVIDENCE_FILES.manifest) : result.file;
  const open: ExportResultAction = { kind: 'open', label: vscode.l10n.t('Open File'), uri: vscode.Uri.file(opened) };
  const reveal: ExportResultAction = { kind: 'reveal', label: vscode.l10n.t('Reveal in File Explorer'), uri: vscode.Uri.file(result.file) };
  return { text, actions: format === 'parquet' ? [reveal] : [open, reveal] };
}

/** What the interactive export asks and shows; the window's own dialogs, or a test's recorder. */
export interface ExportUi {
  pickFormat(items: readonly FormatItem[]): Thenable<FormatItem | undefined>;
  pickDestination(options: { readonly title: string; readonly defaultUri: vscode.Uri; readonly filters?: Record<string, string[]> }): Thenable<vscode.Uri | undefined>;
  showResult(message: ExportResultMessage): void;
}

export const windowExportUi: ExportUi = {
  pickFormat: (items) => vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export Audit Log: format'), placeHolder: vscode.l10n.t('JSON Lines') }),
  pickDestination: ({ title, defaultUri, filters }) => vscode.window.showSaveDialog({ title, saveLabel: vscode.l10n.t('Export'), defaultUri, ...(filters ? { filters } : {}) }),
  showResult: ({ text, actions }) => {
    void vscode.window.showInformationMessage(text, ...actions.map((a) => a.label)).then((choice) => {
      const action = actions.find((a) => a.label === choice);
      return action ? runResultAction(action) : undefined;
    });
  },
};
