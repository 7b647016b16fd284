import * as vscode from 'vscode';
import { AuditLogClient, timeoutsFromSeconds, type AuditLogClientEvent } from '../core/api';
import type { ExtensionSettings } from '../config/settings';

/**
 * The live API's client for an organization: its base URL (validated like the setting), its key asked
 * for on every request (never held here), VS Code's proxy settings.
 */
export function createLiveClient(options: {
  readonly baseUrl: string;
  /**
   * The key, asked for on every request: the store binds it to the organization the client serves, never
   * the one switched to later.
   */
  readonly apiKey: () => Promise<string | undefined>;
  readonly settings: ExtensionSettings;
  readonly version: string;
  readonly log?: (e: AuditLogClientEvent) => void;
}): AuditLogClient {
  const { settings } = options;
  const http = vscode.workspace.getConfiguration('http');
  const proxyUrl = http.get<string>('proxy');
  const noProxy = http.get<string[]>('noProxy');
  return new AuditLogClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    version: options.version,
    maxRetries: settings.maxRetries,
    timeouts: timeoutsFromSeconds(settings.requestTimeoutSeconds),
    proxy: {
      ...(proxyUrl ? { proxyUrl } : {}),
      ...(Array.isArray(noProxy) ? { noProxy } : {}),
      proxyStrictSsl: http.get<boolean>('proxyStrictSSL', true),
      env: process.env,
    },
    ...(options.log ? { log: options.log } : {}),
  });
}

/** True when a configuration change makes the live client stale. */
export function affectsLiveClient(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.proxyStrictSSL') || e.affectsConfiguration('http.noProxy');
}
