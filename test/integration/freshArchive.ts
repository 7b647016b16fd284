import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import { NO_FILTERS } from '../../src/core/analysis/filters';
import type { TestApi } from '../../src/extension';
import { untilWithin } from '../harness/until';
import { setting } from './settings';

const until = untilWithin(60_000);

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

/**
 * A file's clean start with a key: without a key while the filters are cleared and the archive deleted (with a
 * key both would start a load that refills the archive behind the test's back), then the key set; resolves
 * once the store uses it. Setting the key afterwards starts nothing: the store was not in use.
 */
export async function startCleanWithKey(api: TestApi, key: string, options: { sync?: boolean } = {}): Promise<void> {
  const store = api.services.store;
  await api.services.keyStore.delete();
  await until('no key', () => store.source === 'none');
  await store.setFilters(NO_FILTERS);
  await freshArchive(options);
  await api.services.keyStore.set(key);
  await until('the key', () => store.source === 'live');
  await store.ready();
}
