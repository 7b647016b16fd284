import * as vscode from 'vscode';
import { summarizeEvent, type ParsedEvent } from '../../core/model';
import { quickPickText } from '../../core/text/oneLine';
import type { EventSource } from './eventSource';
import { errorText } from './errorText';

/** Offers the loaded events (or the newest page) to pick one from (*Open Event…*). */
export async function pickEvent(source: EventSource): Promise<ParsedEvent | undefined> {
  type Item = vscode.QuickPickItem & { parsed: ParsedEvent };
  const items: Promise<Item[]> = pickItems(source);
  const picked = await vscode.window.showQuickPick<Item>(items, {
    title: vscode.l10n.t('Open Audit Log Event'),
    placeHolder: vscode.l10n.t('Type an event id, type, project or actor'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.parsed;
}

async function pickItems(source: EventSource): Promise<(vscode.QuickPickItem & { parsed: ParsedEvent })[]> {
  let events: readonly ParsedEvent[] = source.loaded();
  if (events.length === 0) {
    try {
      events = await source.newest(100);
    } catch (err) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Could not list events: {0}', errorText(err)));
      return [];
    }
  }
  return events.slice(0, 2000).map((parsed) => {
    const e = parsed.event;
    let summary = '';
    try {
      summary = summarizeEvent(e);
    } catch {
      summary = '';
    }
    return {
      label: quickPickText(e.type),
      description: quickPickText(e.id),
      detail: quickPickText(`${new Date(e.effective_at * 1000).toISOString()}  ${summary}`, 300),
      parsed,
    };
  });
}
