import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';

/** Where the key in use comes from; the UI names it, never the key itself. */
export type AdminKeySource = 'secretStorage' | 'environment' | 'none';

export interface AdminKey {
  readonly value: string;
  readonly source: Exclude<AdminKeySource, 'none'>;
}

/** The SecretStorage name of the Admin API key (never a setting, never state). */
const SECRET_NAME = 'openaiAuditLogs.adminApiKey';
/** Environment fallback when nothing is stored. */
export const ADMIN_KEY_ENV = 'OPENAI_ADMIN_KEY';

/**
 * The one gateway to `context.secrets`. It re-emits SecretStorage changes, so
 * a key set or forgotten in another window updates this one too. The key
 * leaves this class only as the return value of {@link get}, for the client.
 */
export class AdminKeyStore extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when the stored key changes, here or in another window. */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this._register(
      secrets.onDidChange((e) => {
        if (e.key === SECRET_NAME) this._onDidChange.fire();
      }),
    );
  }

  /** The key to use: SecretStorage first, then the environment. */
  async get(): Promise<AdminKey | undefined> {
    const stored = (await this.secrets.get(SECRET_NAME))?.trim();
    if (stored) return { value: stored, source: 'secretStorage' };
    const fromEnv = this.env[ADMIN_KEY_ENV]?.trim();
    if (fromEnv) return { value: fromEnv, source: 'environment' };
    return undefined;
  }

  async source(): Promise<AdminKeySource> {
    return (await this.get())?.source ?? 'none';
  }

  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An empty Admin API key cannot be stored.');
    await this.secrets.store(SECRET_NAME, trimmed);
    // SecretStorage fires too, but not always synchronously with store(); firing here keeps this window exact.
    this._onDidChange.fire();
  }

  async delete(): Promise<void> {
    await this.secrets.delete(SECRET_NAME);
    this._onDidChange.fire();
  }
}

/**
 * Checks a key as the user types it. Returns the problem as a message, or
 * `undefined` when it looks fine. A key of another shape is a warning, not an
 * error: OpenAI may change the prefix.
 */
export function validateAdminKeyInput(input: string): vscode.InputBoxValidationMessage | undefined {
  const key = input.trim();
  if (key === '') return { message: vscode.l10n.t('Enter the Admin API key (it starts with sk-admin-).'), severity: vscode.InputBoxValidationSeverity.Error };
  if (/\s/.test(key)) return { message: vscode.l10n.t('An API key contains no spaces.'), severity: vscode.InputBoxValidationSeverity.Error };
  if (!key.startsWith('sk-admin-')) {
    return {
      message: vscode.l10n.t('This does not look like an Admin API key (sk-admin-…). The audit log needs one; a project key will be refused.'),
      severity: vscode.InputBoxValidationSeverity.Warning,
    };
  }
  return undefined;
}
