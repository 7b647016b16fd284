/**
 * The search feature: `search` (the box, or `{ query, limit? }` for
 * automation), saved queries (setting, view, Save/Delete), links (copy, and
 * the URI handler) and copy-as-code. Commands register from one table keyed
 * by the typed ids.
 */
import * as vscode from 'vscode';
import { Commands, ViewIds } from '../constants';
import type { ParsedEvent } from '../core/model';
import type { ExtensionServices } from '../services';
import { applySearch, queryProblem, searchArgument } from './applySearch';
import { copyQueryAsCode } from './copyAsCode';
import { handleLink, linkToEvent, linkToQuery, type LinkRequest } from './links';
import { deleteSavedQuery, SavedQueriesProvider, SavedQueryNode, saveQuery } from './savedQueries';
import { openSearchBox } from './searchBox';

/** What the integration tests reach (only under ExtensionMode.Test, through activate's TestApi). */
export interface SearchTestHooks {
  /** The open search box, if any. */
  readonly searchBox: vscode.QuickPick<vscode.QuickPickItem> | undefined;
  /** Puts text in the open box as typing would (a value set by the extension fires no change event). */
  typeInSearchBox(value: string): void;
  /** The last "the archive does not cover this search" notice (with its Sync Archive offer), if any. */
  readonly lastCoverageNotice: string | undefined;
  /** Resolves what the last link handled asked for. */
  readonly lastLink: Promise<LinkRequest> | undefined;
  handleUri(uri: vscode.Uri): Promise<LinkRequest>;
}

type SearchCommandId =
  | typeof Commands.search
  | typeof Commands.saveQuery
  | typeof Commands.runSavedQuery
  | typeof Commands.deleteSavedQuery
  | typeof Commands.copyQueryAsCode
  | typeof Commands.copyLinkToEvent
  | typeof Commands.copyLinkToQuery;

function eventOf(services: ExtensionServices, arg: unknown): ParsedEvent | undefined {
  const parsed = (arg as { parsed?: ParsedEvent } | undefined)?.parsed;
  if (parsed && typeof parsed.raw === 'string') return parsed;
  return typeof arg === 'string' ? services.store.getEvent(arg) : undefined;
}

async function saveInteractively(services: ExtensionServices, arg: unknown): Promise<{ name: string; query: string } | undefined> {
  const v = (typeof arg === 'object' && arg !== null ? arg : {}) as { name?: unknown; query?: unknown };
  const query = typeof v.query === 'string' ? v.query : services.store.filters.query;
  if (query === undefined || query.trim() === '') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Search first (Search… in the Events view), then save the query.'));
    return undefined;
  }
  const problem = queryProblem(query);
  if (problem) throw new Error(problem);
  const name =
    typeof v.name === 'string'
      ? v.name
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Save Query'),
          prompt: vscode.l10n.t('A name for {0}', query.slice(0, 80)),
          validateInput: (s) => (s.trim() === '' ? vscode.l10n.t('Give it a name') : s.length > 200 ? vscode.l10n.t('At most 200 characters') : undefined),
        });
  if (name === undefined || name.trim() === '') return undefined;
  const entry = { name: name.trim(), query: query.trim() };
  await saveQuery(entry);
  return entry;
}

export function registerSearch(context: vscode.ExtensionContext, services: ExtensionServices): SearchTestHooks {
  const hooks: { -readonly [K in keyof SearchTestHooks]: SearchTestHooks[K] } = {
    searchBox: undefined,
    lastCoverageNotice: undefined,
    lastLink: undefined,
    typeInSearchBox: (value) => {
      if (!hooks.searchBox) throw new Error('the search box is not open');
      hooks.searchBox.value = value;
      renderBox?.();
    },
    handleUri: (uri) => (hooks.lastLink = handleLink(services, uri)),
  };
  let renderBox: (() => void) | undefined;
  const track = (box: vscode.QuickPick<vscode.QuickPickItem> | undefined, render?: () => void): void => {
    hooks.searchBox = box;
    renderBox = render;
  };
  const copy = async (text: string, what: string): Promise<string> => {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied', what), 3000);
    return text;
  };
  const handlers: Record<SearchCommandId, (arg?: unknown) => unknown> = {
    [Commands.search]: (arg) => {
      if (arg === undefined) return openSearchBox(services, track);
      const { query, limit } = searchArgument(arg);
      return applySearch(services, query, limit, (notice) => (hooks.lastCoverageNotice = notice));
    },
    [Commands.runSavedQuery]: (arg) => {
      const q = (arg as { query?: unknown } | undefined)?.query;
      return typeof q === 'string' ? applySearch(services, q).catch((e: unknown) => void vscode.window.showErrorMessage(String(e instanceof Error ? e.message : e))) : undefined;
    },
    [Commands.saveQuery]: (arg) => saveInteractively(services, arg),
    [Commands.deleteSavedQuery]: (arg) => {
      const name = arg instanceof SavedQueryNode ? arg.saved.name : (arg as { name?: unknown } | undefined)?.name;
      return typeof name === 'string' ? deleteSavedQuery(name) : false;
    },
    [Commands.copyQueryAsCode]: (arg) => copyQueryAsCode(services, arg),
    [Commands.copyLinkToEvent]: (arg) => {
      const e = eventOf(services, arg);
      return e ? copy(linkToEvent(services, e), vscode.l10n.t('Link to event')) : undefined;
    },
    [Commands.copyLinkToQuery]: (arg) => {
      const q = typeof arg === 'string' ? arg : services.store.filters.query ?? '';
      return copy(linkToQuery(services, q), vscode.l10n.t('Link to query'));
    },
  };
  for (const [id, handler] of Object.entries(handlers)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  const saved = new SavedQueriesProvider();
  context.subscriptions.push(
    saved,
    vscode.window.createTreeView(ViewIds.savedQueries, { treeDataProvider: saved }),
    vscode.window.registerUriHandler({ handleUri: (uri) => void hooks.handleUri(uri) }),
  );
  return hooks;
}
