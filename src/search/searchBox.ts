/**
 * The search box: a quick pick whose title counts the matches as you type,
 * listing the newest of them, completions for field names and for values the
 * archive knows, and the saved queries. Enter on the first row applies the
 * search to the Events tree; on a completion it completes the last word; on
 * an event it opens it. Every API string is shown as quick-pick text (one
 * safe line, no `$(icon)` syntax).
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { filtersToQuery, describeFilters } from '../core/analysis/filters';
import { describeActor, summarizeEvent, type ParsedEvent } from '../core/model';
import { applyCompletion, compileQuery, completionsFor, withSearch, type Completion } from '../core/query';
import { quickPickText } from '../core/text/oneLine';
import type { ExtensionServices } from '../services';
import { applySearch } from './applySearch';
import { readSavedQueries, type SavedQuery } from './savedQueries';

type Row = vscode.QuickPickItem &
  ({ readonly action: 'apply' } | { readonly action: 'none' } | { readonly action: 'complete'; readonly completion: Completion } | { readonly action: 'open'; readonly event: ParsedEvent } | { readonly action: 'saved'; readonly saved: SavedQuery });

const SHOWN_EVENTS = 20;
const DEBOUNCE_MS = 40;

/** Told of the open box and how to show a value set without a keystroke (tests), then of its closing. */
export interface SearchBoxTracker {
  (box: vscode.QuickPick<vscode.QuickPickItem> | undefined, render?: () => void): void;
}

/** What one value of the box shows (computed without VS Code UI, so the tests can read it too). */
export interface BoxState {
  readonly title: string;
  readonly rows: Row[];
  readonly count: number | undefined;
}

/** The rows and title for `value`: the count and newest matches within the other filters, or the error. */
export function boxState(services: ExtensionServices, value: string): BoxState {
  const { store } = services;
  const now = Date.now() / 1000;
  const { query: _q, ...others } = store.filters;
  const within = describeFilters(others);
  const compiled = compileQuery(value, { nowSeconds: now });
  const archive = store.archive;
  const completions = archive ? archive.readSql((sql) => completionsFor(value, sql)) : completionsFor(value, undefined);
  const completionRows: Row[] = completions.map((c) => ({ action: 'complete', completion: c, label: `$(symbol-field) ${quickPickText(c.label, 80)}`, description: quickPickText(c.detail, 60), alwaysShow: true }));
  const saved = savedRows(value);
  if (!compiled.ok) {
    const error: Row = { action: 'none', label: `$(error) ${quickPickText(compiled.error.message, 200)}`, alwaysShow: true };
    return { title: vscode.l10n.t('Search · invalid query'), rows: [error, ...completionRows, ...saved], count: undefined };
  }
  const query = withSearch(filtersToQuery(others, now), value, now);
  const count = archive?.count(query) ?? 0;
  const events = archive && count > 0 ? archive.events(query, { limit: SHOWN_EVENTS }) : [];
  const countText = count.toLocaleString();
  const title = within
    ? vscode.l10n.t('Search · {0} events (within {1})', countText, within)
    : vscode.l10n.t('Search · {0} events', countText);
  const apply: Row = { action: 'apply', label: `$(list-filter) ${vscode.l10n.t('Show {0} events in the Events view', countText)}`, alwaysShow: true };
  const eventRows: Row[] = events.map((e) => eventRow(e));
  const separator = (label: string): Row => ({ action: 'none', label, kind: vscode.QuickPickItemKind.Separator, alwaysShow: true });
  return {
    title,
    count,
    rows: [
      apply,
      ...(completionRows.length ? [separator(vscode.l10n.t('Complete')), ...completionRows] : []),
      ...(eventRows.length ? [separator(vscode.l10n.t('Newest matches')), ...eventRows] : []),
      ...(saved.length ? [separator(vscode.l10n.t('Saved queries')), ...saved] : []),
    ],
  };
}

function eventRow(e: ParsedEvent): Row {
  const at = new Date(e.event.effective_at * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return {
    action: 'open',
    event: e,
    label: quickPickText(String(e.event.type), 80),
    description: `${at} UTC · ${quickPickText(describeActor(e.event).label, 60)}`,
    detail: quickPickText(summarizeEvent(e.event), 160),
    alwaysShow: true,
  };
}

function savedRows(value: string): Row[] {
  const v = value.trim().toLowerCase();
  return readSavedQueries()
    .filter((s) => v === '' || s.name.toLowerCase().includes(v))
    .map((s) => ({ action: 'saved', saved: s, label: `$(bookmark) ${quickPickText(s.name, 80)}`, description: quickPickText(s.query, 120), alwaysShow: true }));
}

/** Opens the box (with `initial`, else the current search); resolves when it closes. */
export function openSearchBox(services: ExtensionServices, track: SearchBoxTracker | undefined, initial?: string): Promise<void> {
  const qp = vscode.window.createQuickPick<Row>();
  qp.placeholder = vscode.l10n.t('type:api_key.* -actor:bot@example.com ip:198.51.100.23 "allowlist" last:7d');
  qp.matchOnDescription = false;
  qp.matchOnDetail = false;
  qp.ignoreFocusOut = true;
  qp.value = initial ?? services.store.filters.query ?? '';
  let timer: NodeJS.Timeout | undefined;
  const render = (): void => {
    try {
      const state = boxState(services, qp.value);
      qp.title = state.title;
      qp.items = state.rows;
    } catch (e) {
      qp.title = vscode.l10n.t('Search · the archive could not answer: {0}', e instanceof Error ? e.message : String(e));
    }
  };
  return new Promise<void>((resolve) => {
    const subscriptions: vscode.Disposable[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      track?.(undefined);
      for (const d of subscriptions) d.dispose();
      qp.dispose();
      resolve();
    };
    subscriptions.push(
      qp.onDidChangeValue(() => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(render, DEBOUNCE_MS);
      }),
      qp.onDidAccept(() => void accept(services, qp, render, finish)),
      qp.onDidHide(finish),
    );
    render();
    track?.(qp as unknown as vscode.QuickPick<vscode.QuickPickItem>, render);
    qp.show();
  });
}

async function accept(services: ExtensionServices, qp: vscode.QuickPick<Row>, render: () => void, finish: () => void): Promise<void> {
  const row = qp.selectedItems[0] ?? qp.activeItems[0];
  if (!row || row.action === 'none') return;
  if (row.action === 'complete' || row.action === 'saved') {
    qp.value = row.action === 'complete' ? applyCompletion(qp.value, row.completion) : row.saved.query;
    render();
    return;
  }
  if (row.action === 'open') {
    finish();
    await vscode.commands.executeCommand(Commands.openEvent, row.event);
    return;
  }
  const value = qp.value;
  finish();
  try {
    await applySearch(services, value);
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
  }
}
