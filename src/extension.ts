import * as vscode from 'vscode';
import { registerDirectory } from './directory/registerDirectory';
import { registerExport, type ExportTestHooks } from './export/exportCommand';
import { registerExplorer, type Explorer } from './explorer/registerExplorer';
import { registerFindings, type FindingsTestHooks } from './findings/registerFindings';
import { registerOrganizations, type OrganizationsTestHooks } from './organizations/registerOrganizations';
import { registerSearch, type SearchTestHooks } from './search/registerSearch';
import { createServices, type ExtensionServices } from './services';
import type { EventDetailsController } from './webviews/eventDetails/eventDetailsController';
import { registerEventDetails } from './webviews/eventDetails/registerEventDetails';
import type { InsightsController } from './webviews/insights/insightsController';
import { registerInsights } from './webviews/insights/registerInsights';

/**
 * Returned by activate only under the integration tests (ExtensionMode.Test), which read the explorer's state
 * through it. Never in development (F5, `npm start`) or production: it reaches the key store.
 */
export interface TestApi {
  readonly services: ExtensionServices;
  readonly explorer: Explorer;
  readonly eventDetails: EventDetailsController;
  readonly organizations: OrganizationsTestHooks;
  readonly search: SearchTestHooks;
  readonly findings: FindingsTestHooks;
  readonly insights: InsightsController;
  readonly exports: ExportTestHooks;
}

/**
 * Thin activation: build the services, register them, return. No network and
 * no heavy work here; everything is created lazily by the features.
 */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const services = createServices(context);
  const explorer = registerExplorer(context, services);
  const eventDetails = registerEventDetails(context, services);
  const exports = registerExport(context, services);
  const insights = registerInsights(context, services);
  const organizations = registerOrganizations(context, services);
  const search = registerSearch(context, services);
  const findings = registerFindings(context, services);
  registerDirectory(context, services, () => explorer.provider.refresh());
  return context.extensionMode === vscode.ExtensionMode.Test ? { services, explorer, eventDetails, organizations, search, findings, exports, insights } : undefined;
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
