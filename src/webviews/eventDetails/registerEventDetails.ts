import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { AUDIT_LOG_SCHEME, AuditLogDocumentProvider } from '../../documents';
import { EventDetailsController, type EventArgument } from './eventDetailsController';
import { EventSource, type EventStoreLike } from './eventSource';
import { PivotRunner, type PivotStore } from './pivotActions';
import { EVENT_DETAILS_VIEW_TYPE } from './protocol';

/** The part of the extension's services this feature uses (the explorer's store satisfies it). */
export interface EventDetailsServices {
  readonly store: EventStoreLike & { readonly onDidChange?: vscode.Event<unknown> } & Partial<PivotStore>;
}

/**
 * The event details feature: the panel (`openEvent`, pinning, restore after
 * reload), the read-only JSON documents (`openEventJson`), the diff editor of
 * a change (`showChanges`) and the history of a resource.
 */
export function registerEventDetails(context: vscode.ExtensionContext, services: EventDetailsServices): EventDetailsController {
  const source = new EventSource(services.store);
  const documents = new AuditLogDocumentProvider(source);
  const store = services.store;
  const pivotStore: PivotStore | undefined = store.setFilters && store.filters ? (store as PivotStore) : undefined;
  const controller = new EventDetailsController(context.extensionUri, source, documents, new PivotRunner(pivotStore));
  context.subscriptions.push(
    documents,
    controller,
    vscode.workspace.registerTextDocumentContentProvider(AUDIT_LOG_SCHEME, documents),
    vscode.window.registerWebviewPanelSerializer(EVENT_DETAILS_VIEW_TYPE, controller),
    vscode.commands.registerCommand(Commands.openEvent, (arg?: EventArgument) => controller.openEvent(arg)),
    vscode.commands.registerCommand(Commands.showChanges, (arg?: EventArgument) => controller.showChanges(arg)),
    vscode.commands.registerCommand(Commands.openEventJson, (arg?: EventArgument) => controller.openEventJson(arg)),
    vscode.commands.registerCommand(Commands.showResourceHistory, (arg?: EventArgument) => controller.showResourceHistory(arg)),
    vscode.commands.registerCommand(Commands.pinEventPanel, () => controller.pinActivePanel()),
  );
  if (services.store.onDidChange) {
    context.subscriptions.push(
      services.store.onDidChange((change) => {
        // A new source or a reload may hold newer events: fetch histories again when next asked.
        if (change === 'source' || change === 'events') source.clear();
        // A panel restored before a key (or the sample organization) was there gets its event now.
        if (change === 'source') controller.retryFailedRestores();
      }),
    );
  }
  return controller;
}
