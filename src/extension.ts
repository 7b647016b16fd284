import type * as vscode from 'vscode';

/**
 * Thin activation: build the services, register them, return. No network and
 * no heavy work here; everything is created lazily by the features.
 */
export function activate(_context: vscode.ExtensionContext): void {
  // features register here
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
