/**
 * Saved queries: the `openaiAuditLogs.savedQueries` setting (window scope, so
 * a team can commit its investigation queries in .vscode/settings.json), the
 * small Saved Queries view that lists them, and Save/Delete. A saved query is
 * only text for the search: it never changes where the key goes.
 */
import * as vscode from 'vscode';
import { Commands, Settings, SettingsSection } from '../constants';
import { Disposable } from '../common/lifecycle';
import { clip } from '../core/text/oneLine';

export interface SavedQuery {
  readonly name: string;
  readonly query: string;
}

const MAX_SAVED = 200;
export const SAVED_QUERY_CONTEXT = 'oal:savedQuery';

/** The setting's entries that are `{ name, query }` strings (a hand-edited file may hold anything). */
export function readSavedQueries(): SavedQuery[] {
  const value = vscode.workspace.getConfiguration(SettingsSection).get<unknown>(Settings.savedQueries);
  if (!Array.isArray(value)) return [];
  const out: SavedQuery[] = [];
  for (const item of value) {
    const v = item as Record<string, unknown> | null;
    if (typeof v?.name !== 'string' || typeof v.query !== 'string' || v.name.trim() === '' || v.query.trim() === '') continue;
    if (v.name.length > 200 || v.query.length > 2_000 || out.some((q) => q.name === v.name)) continue;
    out.push({ name: v.name.trim(), query: v.query.trim() });
    if (out.length >= MAX_SAVED) break;
  }
  return out;
}

/** Where a new entry goes: the workspace's settings when a folder is open (shareable), else the user's. */
function target(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** Adds (or replaces, by name) a saved query. */
export async function saveQuery(entry: SavedQuery): Promise<void> {
  const config = vscode.workspace.getConfiguration(SettingsSection);
  const where = target();
  const inspected = config.inspect<unknown>(Settings.savedQueries);
  const current = where === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  const list = Array.isArray(current) ? (current as SavedQuery[]).filter((q) => q?.name !== entry.name) : [];
  await config.update(Settings.savedQueries, [...list, { name: entry.name, query: entry.query }], where);
}

/** Removes a saved query by name from whichever settings hold it. */
export async function deleteSavedQuery(name: string): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SettingsSection);
  const inspected = config.inspect<unknown>(Settings.savedQueries);
  let removed = false;
  for (const [value, where] of [
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
  ] as const) {
    if (!Array.isArray(value) || !value.some((q: SavedQuery) => q?.name === name)) continue;
    await config.update(Settings.savedQueries, value.filter((q: SavedQuery) => q?.name !== name), where);
    removed = true;
  }
  return removed;
}

export class SavedQueryNode {
  constructor(readonly saved: SavedQuery) {}
}

/** The Saved Queries view: one row per entry; a click runs it. */
export class SavedQueriesProvider extends Disposable implements vscode.TreeDataProvider<SavedQueryNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SettingsSection}.${Settings.savedQueries}`)) this._onDidChangeTreeData.fire();
      }),
    );
  }

  getChildren(element?: SavedQueryNode): SavedQueryNode[] {
    return element ? [] : readSavedQueries().map((q) => new SavedQueryNode(q));
  }

  getTreeItem(node: SavedQueryNode): vscode.TreeItem {
    const item = new vscode.TreeItem(clip(node.saved.name, 80), vscode.TreeItemCollapsibleState.None);
    item.id = `savedQuery:${node.saved.name}`;
    item.description = clip(node.saved.query, 120);
    item.tooltip = clip(node.saved.query, 2_000);
    item.iconPath = new vscode.ThemeIcon('bookmark');
    item.contextValue = SAVED_QUERY_CONTEXT;
    item.command = { command: Commands.runSavedQuery, title: vscode.l10n.t('Run Saved Query'), arguments: [{ query: node.saved.query }] };
    return item;
  }
}
