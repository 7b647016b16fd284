import * as vscode from 'vscode';
import { queryBounds } from '../core/archive/coverageSummary';
import type { ExtensionServices } from '../services';
import { formatTime } from '../views/format';

/** What Load All said when it ended (the integration tests read it; VS Code offers no way to read a notification). */
export interface LoadAllNotice {
  readonly complete: boolean;
  readonly total: number;
  readonly text: string;
}

/**
 * Load All with a cancellable notification, ending with a message that says what the view now holds and
 * over which range ("Loaded 1,240 events from 2026-11-01 00:00 to now"), or how far a cancelled load got.
 * A failure is already on the view's error row (with Retry), so it adds no message. Resolves with the
 * number of events the progress last reported, as the command always has.
 */
export async function runLoadAll(services: ExtensionServices, notify: (notice: LoadAllNotice) => void): Promise<number> {
  const { store } = services;
  let last = 0;
  const complete = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading all events in range'), cancellable: true },
    (progress, token) =>
      store.loadAll((p) => {
        progress.report({ message: vscode.l10n.t('{0} events', p.loaded.toLocaleString()), increment: 0 });
        last = p.loaded;
      }, token),
  );
  if (store.status === 'error' || store.source === 'none') return last;
  const total = store.count();
  const text = complete ? loadedText(services, total) : vscode.l10n.t('Load All stopped: {0}. Load All again continues from there.', countText(total));
  notify({ complete, total, text });
  void vscode.window.showInformationMessage(text);
  return last;
}

function countText(total: number): string {
  return total === 1 ? vscode.l10n.t('1 event loaded') : vscode.l10n.t('{0} events loaded', total.toLocaleString());
}

/** "Loaded N events from <start> to <end>": the filters' range, its open ends as the log's oldest event and "now". */
function loadedText(services: ExtensionServices, total: number): string {
  const { store, settings } = services;
  const { low, high } = queryBounds(store.query());
  const display = settings.timeDisplay === 'relative' ? 'local' : settings.timeDisplay;
  const oldest = store.archive?.oldestSecond() ?? null;
  const from = Number.isFinite(low) ? low : oldest;
  const to = Number.isFinite(high) ? formatTime(high - 1, display) : vscode.l10n.t('now');
  const events = total === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', total.toLocaleString());
  if (total === 0) return vscode.l10n.t('Load All finished: no events in this range.');
  return from === null
    ? vscode.l10n.t('Loaded {0}, up to {1}.', events, to)
    : vscode.l10n.t('Loaded {0} from {1} to {2}.', events, formatTime(from, display), to);
}
