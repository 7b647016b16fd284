import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { EventFilters } from '../../core/analysis/filters';
import { describeActor, type ParsedEvent } from '../../core/model';
import { clip } from '../../core/text/oneLine';
import { checkPivot, filtersForPivot, pivotViews, searchQueryOf, type Pivot, type PivotCapabilities } from './pivots';
import type { PageMessage, PivotView } from './protocol';

/** The search command (`{ query }` → results in the Events view); offered when it is registered (always, in this build). */
export const SEARCH_COMMAND = Commands.search;

/** What a pivot needs of the explorer's store (the EventStore satisfies it). */
export interface PivotStore {
  readonly filters: EventFilters;
  setFilters(filters: EventFilters): Promise<void>;
}

type PivotMessage = Extract<PageMessage, { type: 'pivot' }>;

/** Runs the header's pivots: filter the Events view, copy, search. */
export class PivotRunner {
  /** What was offered last: a panel shows its header at once with these, and is told if they changed. */
  private last: PivotCapabilities;

  constructor(private readonly store: PivotStore | undefined) {
    this.last = { filter: store !== undefined, search: false };
  }

  async capabilities(): Promise<PivotCapabilities> {
    const search = (await vscode.commands.getCommands(true)).includes(SEARCH_COMMAND);
    this.last = { filter: this.store !== undefined, search };
    return this.last;
  }

  /** The pivots with what was offered last (no wait: the panel's title and header come at once). */
  viewsNow(parsed: ParsedEvent): PivotView[] {
    return pivotViews(parsed.event, this.last);
  }

  /** The pivots as offered now, or undefined when that is what {@link viewsNow} said. */
  async changedViews(parsed: ParsedEvent): Promise<PivotView[] | undefined> {
    const before = this.last;
    const now = await this.capabilities();
    const same = before.filter === now.filter && before.search === now.search;
    return same ? undefined : pivotViews(parsed.event, now);
  }

  /** Runs what the page asked, only for a value of the shown event and an action it offers; otherwise nothing. */
  async run(parsed: ParsedEvent, message: PivotMessage): Promise<boolean> {
    const pivot = checkPivot(parsed.event, message.target, message.value, message.action, await this.capabilities());
    if (!pivot) return false;
    switch (message.action) {
      case 'copy':
        await vscode.env.clipboard.writeText(pivot.value);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', clip(pivot.value, 60)), 3000);
        return true;
      case 'filter':
        return this.filter(parsed, pivot);
      case 'search':
        await vscode.commands.executeCommand(Commands.search, { query: searchQueryOf(pivot) });
        return true;
    }
  }

  private async filter(parsed: ParsedEvent, pivot: Pivot): Promise<boolean> {
    if (!this.store) return false;
    const filters = filtersForPivot(this.store.filters, pivot, describeActor(parsed.event).email);
    // The view first, so the user sees it follow (its Filtered row names the value) while it reloads.
    await vscode.commands.executeCommand('openaiAuditLogs.events.focus');
    await this.store.setFilters(filters);
    return true;
  }
}
