import * as vscode from 'vscode';
import { registerExport } from './export/exportCommand';
import { registerExplorer, type Explorer } from './explorer/registerExplorer';
import { createServices, type ExtensionServices } from './services';
import type { EventDetailsController } from './webviews/eventDetails/eventDetailsController';
import { registerEventDetails } from './webviews/eventDetails/registerEventDetails';

/** Returned by activate outside production only: the integration tests read the explorer's state through it. */
export interface TestApi {
  readonly services: ExtensionServices;
  readonly explorer: Explorer;
  readonly eventDetails: EventDetailsController;
}

/**
 * Thin activation: build the services, register them, return. No network and
 * no heavy work here; everything is created lazily by the features.
 */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const services = createServices(context);
  const explorer = registerExplorer(context, services);
  const eventDetails = registerEventDetails(context, services);
  registerExport(context, services);
  // features register here
  return context.extensionMode === vscode.ExtensionMode.Production ? undefined : { services, explorer, eventDetails };
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
