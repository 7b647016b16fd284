import * as vscode from 'vscode';
import { ExtensionSettings } from './config/settings';
import { OrganizationRegistry } from './organizations/organizationRegistry';
import { AdminKeyStore } from './secrets/adminKeyStore';
import { EvidenceSigningKey } from './secrets/evidenceSigningKey';
import { EventStore } from './store/eventStore';
import { startSampleSession, type SampleSessionOptions } from './store/sampleSession';

/**
 * What `activate` builds once and hands to every `register…(context, services)`:
 * - `organizations`: the organizations (default + added) and this window's current one (`current`, `onDidChangeCurrent`);
 * - `keyStore`: the gateway to SecretStorage for the Admin keys (each organization's; the current one's by default);
 * - `evidenceKey`: the other secret, the Ed25519 key that signs evidence packs (made on first use);
 * - `settings`: typed settings with `onDidChange`;
 * - `store`: the loaded events (`getEvent(id)`, `findEvents`, `onDidChange`)
 *   and `client()`, the AuditLogClient of the current source (live or sample);
 * - `log`: the extension's output channel (never given the key).
 */
export interface ExtensionServices {
  readonly organizations: OrganizationRegistry;
  readonly keyStore: AdminKeyStore;
  readonly evidenceKey: EvidenceSigningKey;
  readonly settings: ExtensionSettings;
  readonly store: EventStore;
  readonly log: vscode.LogOutputChannel;
}

/** Builds the services (no network, no heavy work) and registers them for disposal. */
export function createServices(context: vscode.ExtensionContext): ExtensionServices {
  const log = vscode.window.createOutputChannel('OpenAI Audit Logs', { log: true });
  const organizations = new OrganizationRegistry(context);
  const keyStore = new AdminKeyStore(context.secrets, organizations);
  const evidenceKey = new EvidenceSigningKey(context.secrets);
  const settings = new ExtensionSettings();
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const store = new EventStore({
    keyStore,
    settings,
    workspaceState: context.workspaceState,
    log,
    extensionVersion: version,
    startSample: () => startSampleSession(version, sampleClock(context.extensionMode)),
    globalStorageDir: context.globalStorageUri.fsPath,
    organization: () => organizations.current,
    onDidChangeOrganization: organizations.onDidChangeCurrent,
    onDidRemoveOrganization: organizations.onDidRemove,
  });
  context.subscriptions.push(log, organizations, keyStore, settings, store);
  return { organizations, keyStore, evidenceKey, settings, store, log };
}

/** Set by the tests (never in production): pins the sample's present (Unix seconds) and its trickle (seconds, 0 = off). */
export const SAMPLE_NOW_ENV = 'OPENAI_AUDIT_LOGS_SAMPLE_NOW';
export const SAMPLE_TRICKLE_ENV = 'OPENAI_AUDIT_LOGS_SAMPLE_TRICKLE_SECONDS';

function sampleClock(mode: vscode.ExtensionMode): SampleSessionOptions {
  if (mode === vscode.ExtensionMode.Production) return {};
  const pinned = Number(process.env[SAMPLE_NOW_ENV]);
  const trickle = process.env[SAMPLE_TRICKLE_ENV];
  const started = Date.now();
  return {
    ...(Number.isInteger(pinned) && pinned > 0 ? { now: () => pinned * 1000 + (Date.now() - started) } : {}),
    ...(trickle !== undefined && trickle !== '' && Number(trickle) >= 0 ? { trickleSeconds: Number(trickle) } : {}),
  };
}
