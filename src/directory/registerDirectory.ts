import * as vscode from 'vscode';
import { Commands, ContextKeys, ViewIds } from '../constants';
import { isCancelledError, type AuditLogApiError } from '../core/api';
import { onDidChangeDirectoryNames, type DirectoryCounts } from '../core/directory';
import type { ExtensionServices } from '../services';
import { errorText } from '../store/eventStore';
import { DirectoryService } from './directoryService';
import { DirectoryTreeProvider } from './directoryTree';

export interface DirectoryFeature {
  readonly service: DirectoryService;
  readonly provider: DirectoryTreeProvider;
}

/**
 * The directory feature (issue 15): the service, the Directory view and `openaiAuditLogs.refreshDirectory`,
 * which resolves the counts `{ users, invites, groups, roles, projects, serviceAccounts, apiKeys,
 * adminApiKeys, unavailable }` (an automation contract). `onNamesChanged` lets the views that show names
 * (the Events tree) redraw when the directory changes. Nothing is read at activation.
 */
export function registerDirectory(context: vscode.ExtensionContext, services: ExtensionServices, onNamesChanged?: () => void): DirectoryFeature {
  const service = new DirectoryService(services.store, services.log);
  const provider = new DirectoryTreeProvider(service);
  const view = vscode.window.createTreeView(ViewIds.directory, { treeDataProvider: provider, showCollapseAll: true });
  const setContext = () => void vscode.commands.executeCommand('setContext', ContextKeys.directoryRead, service.directory !== undefined);
  context.subscriptions.push(service, provider, view, service.onDidChange(setContext), onDidChangeDirectoryNames(() => onNamesChanged?.()));
  setContext();

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.refreshDirectory, async (): Promise<DirectoryCounts | undefined> => {
      try {
        const counts = await vscode.window.withProgress(
          { location: { viewId: ViewIds.directory }, title: vscode.l10n.t('Reading the organization\'s directory') },
          () => service.refresh(),
        );
        if (counts.unavailable.length > 0) {
          void vscode.window.showWarningMessage(vscode.l10n.t('Directory read. Not readable with this key: {0}', counts.unavailable.map((n) => n.split(':')[0]).join(', ')));
        }
        return counts;
      } catch (e) {
        if (isCancelledError(e) || e instanceof vscode.CancellationError) return undefined;
        const missingKey = (e as Partial<AuditLogApiError>).kind === 'missingKey';
        void vscode.window.showErrorMessage(vscode.l10n.t('Reading the directory failed: {0}', errorText(e)), ...(missingKey ? [vscode.l10n.t('Set Admin API Key')] : [])).then((choice) => {
          if (choice) void vscode.commands.executeCommand(Commands.setApiKey);
        });
        throw e;
      }
    }),
  );
  return { service, provider };
}
