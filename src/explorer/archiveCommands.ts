import * as vscode from 'vscode';
import { Commands } from '../constants';
import { isAuditLogApiError, isCancelledError } from '../core/api';
import type { ExtensionServices } from '../services';
import type { SyncSummary } from '../store/eventStore';
import { errorText } from '../store/eventStore';

/** `openaiAuditLogs.syncArchive`'s argument: `{ since?: number }` (Unix seconds). */
function sinceArg(arg: unknown): number | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const since = (arg as { since?: unknown }).since;
  return typeof since === 'number' && Number.isFinite(since) && since >= 0 ? Math.floor(since) : undefined;
}

/**
 * Sync Archive and Delete Archive. Sync runs with progress and Cancel in a notification, and resolves
 * `{ added, total, oldest, newest }`; Delete asks first (unless `{ confirm: true }`) and resolves
 * `{ deleted }`.
 */
export function registerArchiveCommands(register: (id: string, fn: (...args: unknown[]) => unknown) => void, services: ExtensionServices): void {
  const { store } = services;

  register(Commands.syncArchive, async (arg): Promise<SyncSummary | undefined> => {
    const since = sinceArg(arg);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Syncing the audit log archive'), cancellable: true },
        (progress, token) =>
          store.sync({
            ...(since !== undefined ? { since } : {}),
            token,
            onProgress: (added, total) =>
              progress.report({ message: vscode.l10n.t('{0} new · {1} archived', added.toLocaleString(), total.toLocaleString()) }),
          }),
      );
    } catch (e) {
      if (isCancelledError(e)) return undefined;
      const setKey = vscode.l10n.t('Set Admin API Key');
      const missingKey = isAuditLogApiError(e) && e.kind === 'missingKey';
      void vscode.window
        .showErrorMessage(vscode.l10n.t('Sync failed: {0}. What was synced is kept; the next sync resumes there.', errorText(e)), ...(missingKey ? [setKey] : []))
        .then((choice) => (choice === setKey ? vscode.commands.executeCommand(Commands.setApiKey) : undefined));
      throw e;
    }
  });

  register(Commands.cancelLoad, () => store.cancelLoad());

  register(Commands.deleteArchive, async (arg): Promise<{ deleted: boolean }> => {
    const confirmed = !!arg && typeof arg === 'object' && (arg as { confirm?: unknown }).confirm === true;
    if (!confirmed) {
      const del = vscode.l10n.t('Delete Archive');
      const total = store.archive?.stats().total ?? 0;
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete this organization\'s archive ({0} events) from this machine?', total.toLocaleString()),
        { modal: true, detail: vscode.l10n.t('The file {0} is deleted. Events older than what the API still returns cannot be fetched again.', store.archivePath) },
        del,
      );
      if (choice !== del) return { deleted: false };
    }
    const result = await store.deleteArchive();
    vscode.window.setStatusBarMessage(result.deleted ? vscode.l10n.t('Archive deleted') : vscode.l10n.t('There was no archive to delete'), 3000);
    return result;
  });
}
