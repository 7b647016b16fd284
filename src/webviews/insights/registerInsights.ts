import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { ExtensionServices } from '../../services';
import { InsightsController } from './insightsController';
import { INSIGHTS_VIEW_TYPE } from './protocol';

/** The Insights feature: the panel (`showInsights`, from the view title, the palette or a group), `stateAsOf`, restore after reload. */
export function registerInsights(context: vscode.ExtensionContext, services: Pick<ExtensionServices, 'store' | 'settings'>): InsightsController {
  const controller = new InsightsController(context.extensionUri, services.store, services.settings);
  context.subscriptions.push(
    controller,
    vscode.window.registerWebviewPanelSerializer(INSIGHTS_VIEW_TYPE, controller),
    vscode.commands.registerCommand(Commands.showInsights, (arg?: unknown) => controller.show(arg)),
    vscode.commands.registerCommand(Commands.stateAsOf, (arg?: unknown) => controller.stateAsOf(arg)),
  );
  return controller;
}
