import * as vscode from 'vscode';
import { AuditLogClient, timeoutsFromSeconds, type AuditLogClientEvent } from '../core/api';
import type { ExtensionSettings } from '../config/settings';
import type { OrganizationId } from '../organizations/organization';
import type { AdminKeyStore } from '../secrets/adminKeyStore';

/**
 * The live API's client for the current organization: its base URL (validated like the setting), the
 * key asked of the key store on every request (never held here), VS Code's proxy settings.
 */
export function createLiveClient(options: {
  readonly baseUrl: string;
  /** The organization the client serves: its key, never the one of an organization switched to later. */
  readonly organizationId: OrganizationId;
  readonly keyStore: AdminKeyStore;
  readonly settings: ExtensionSettings;
  readonly version: string;
  readonly log: (e: AuditLogClientEvent) => void;
}): AuditLogClient {
  const { settings } = options;
  const http = vscode.workspace.getConfiguration('http');
  const proxyUrl = http.get<string>('proxy');
  const noProxy = http.get<string[]>('noProxy');
  return new AuditLogClient({
    baseUrl: options.baseUrl,
    apiKey: async () => (await options.keyStore.get(options.organizationId))?.value,
    version: options.version,
    maxRetries: settings.maxRetries,
    timeouts: timeoutsFromSeconds(settings.requestTimeoutSeconds),
    proxy: {
      ...(proxyUrl ? { proxyUrl } : {}),
      ...(Array.isArray(noProxy) ? { noProxy } : {}),
      proxyStrictSsl: http.get<boolean>('proxyStrictSSL', true),
      env: process.env,
    },
    log: options.log,
  });
}

/** True when a configuration change makes the live client stale. */
export function affectsLiveClient(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.proxyStrictSSL') || e.affectsConfiguration('http.noProxy');
}
