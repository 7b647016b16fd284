import * as vscode from 'vscode';
import { Commands } from '../constants';
import { checkArchiveOverlap } from '../core/archive/overlap';
import type { ExtensionServices } from '../services';
import { createLiveClient } from '../store/liveClient';

/**
 * Before a new key's events are mixed into this organization's archive: one request with the candidate
 * key tells whether its log is the one archived. On a mismatch the user chooses (keep the key and mix,
 * delete the archive first, or add the key as another organization). Resolves false when the key must
 * not be stored here. A failed check (network, bad key) says nothing: the key check that follows reports it.
 */
export async function confirmKeyMatchesArchive(services: ExtensionServices, key: string): Promise<boolean> {
  const { store, settings } = services;
  const archive = store.archive;
  if (!archive || store.isSample || archive.isEmpty()) return true;
  const client = createLiveClient({ baseUrl: store.apiBaseUrl, apiKey: async () => key, settings, version: 'key-check' });
  let verdict;
  try {
    verdict = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("Comparing the key's audit log with this organization's archive…") },
      () => checkArchiveOverlap(archive, client),
    );
  } catch {
    return true;
  } finally {
    void client.close().catch(() => undefined);
  }
  if (verdict !== 'mismatch') return true;
  const keep = vscode.l10n.t('Use It Here Anyway');
  const replace = vscode.l10n.t('Delete the Archive, Then Use It');
  const other = vscode.l10n.t('Add as Another Organization…');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('This key may belong to another organization'),
    {
      modal: true,
      detail: vscode.l10n.t(
        "The audit log this key reads does not contain the events archived for \"{0}\". Using it here would mix two organizations' events in one archive.",
        services.organizations.current.label,
      ),
    },
    keep,
    replace,
    other,
  );
  if (choice === keep) return true;
  if (choice === replace) {
    await store.deleteArchive();
    return true;
  }
  if (choice === other) void vscode.commands.executeCommand(Commands.addOrganization);
  return false;
}
