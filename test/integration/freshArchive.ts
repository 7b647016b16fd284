import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import { setting } from './settings';

/**
 * Every file of the suite runs in the same host and the same organization: this gives a file an empty
 * archive, and (unless `sync` is set) Refresh as one page of the filters' query instead of a sync, which
 * is what the files written before the archive count requests against. Call it after activation.
 */
export async function freshArchive(options: { sync?: boolean } = {}): Promise<void> {
  await setting('archive.syncOnOpen', options.sync ? undefined : false);
  await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
}

/** Undoes {@link freshArchive}'s setting. */
export async function restoreArchiveSettings(): Promise<void> {
  await setting('archive.syncOnOpen', undefined);
}
