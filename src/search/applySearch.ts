/**
 * Applying a search: it becomes the `query` of the one set of filters (so the
 * Events tree shows its results under the chosen grouping, with the chip on
 * the Filtered row), and the archive answers `{ total, ids }`. When the
 * archive does not hold the whole time range, the user is told and offered a
 * sync.
 */
import * as vscode from 'vscode';
import { compileQuery } from '../core/query';
import type { ExtensionServices } from '../services';

export const DEFAULT_LIMIT = 1_000;
const MAX_LIMIT = 100_000;

export interface SearchResult {
  readonly total: number;
  readonly ids: string[];
}

/** `{ query, limit? }` from an automation caller, or a message saying what is wrong with it. */
export function searchArgument(arg: unknown): { query: string; limit: number } {
  const v = arg as { query?: unknown; limit?: unknown } | null;
  if (typeof v !== 'object' || v === null || typeof v.query !== 'string') throw new Error('search: pass { query: string, limit?: number }.');
  const limit = v.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw new Error(`search: limit must be a whole number from 0 to ${MAX_LIMIT.toLocaleString('en-US')}.`);
  }
  return { query: v.query, limit };
}

/** The compile error's message of an invalid query, or undefined when it is valid. */
export function queryProblem(text: string): string | undefined {
  const compiled = compileQuery(text, { nowSeconds: Date.now() / 1000 });
  return compiled.ok ? undefined : compiled.error.message;
}

/**
 * Sets the search (rejecting an invalid one with its message, nothing changed), shows the Events view,
 * and resolves the matches of all filters: how many, and the newest `limit` ids.
 */
export async function applySearch(services: ExtensionServices, text: string, limit = DEFAULT_LIMIT, onNotice?: (message: string) => void): Promise<SearchResult> {
  const problem = queryProblem(text);
  if (problem) throw new Error(problem);
  const { store } = services;
  await store.ready();
  const { query: _previous, ...others } = store.filters;
  await store.setFilters(text.trim() === '' ? others : { ...others, query: text });
  void vscode.commands.executeCommand('openaiAuditLogs.events.focus');
  const archive = store.archive;
  const q = store.query();
  const total = archive?.count(q) ?? 0;
  const ids = limit === 0 || !archive ? [] : archive.events(q, { limit }).map((e) => e.event.id);
  const notice = offerSync(services);
  if (notice) onNotice?.(notice);
  return { total, ids };
}

/** "The archive holds this range only through …": a sync fills it (never blocks the caller). Returns what it said. */
function offerSync(services: ExtensionServices): string | undefined {
  const { store } = services;
  if (!store.archive || store.isSample || store.filters.query === undefined) return undefined;
  const coverage = store.coverage();
  if (coverage.complete) return undefined;
  const through = coverage.through === null ? undefined : new Date(coverage.through * 1000).toISOString().slice(0, 16).replace('T', ' ');
  const message = through
    ? vscode.l10n.t('The archive holds the events of this search only through {0} UTC; newer or older ones are not searched yet.', through)
    : vscode.l10n.t('The archive has not synced the time range of this search yet: only the events loaded so far are searched.');
  const sync = vscode.l10n.t('Sync Archive');
  void vscode.window.showInformationMessage(message, sync).then((picked) => {
    if (picked === sync) void store.sync().catch((e: unknown) => services.log.warn(`Sync after a search failed: ${e instanceof Error ? e.message : String(e)}`));
  });
  return message;
}
