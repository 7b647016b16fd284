import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { DEFAULT_ORGANIZATION_ID, type OrganizationId } from '../organizations/organization';

/** Where the key in use comes from; the UI names it, never the key itself. */
export type AdminKeySource = 'secretStorage' | 'environment' | 'none';

export interface AdminKey {
  readonly value: string;
  readonly source: Exclude<AdminKeySource, 'none'>;
}

/** The SecretStorage name of the default organization's Admin API key (never a setting, never state). */
const SECRET_NAME = 'openaiAuditLogs.adminApiKey';
/** Environment fallback when nothing is stored; it serves the default organization only. */
export const ADMIN_KEY_ENV = 'OPENAI_ADMIN_KEY';

/** The SecretStorage name of an organization's key: the name of earlier versions for the default one, `…/<id>` for the others. */
export function secretNameOf(id: OrganizationId): string {
  return id === DEFAULT_ORGANIZATION_ID ? SECRET_NAME : `${SECRET_NAME}/${id}`;
}

function isOurSecret(name: string): boolean {
  return name === SECRET_NAME || name.startsWith(`${SECRET_NAME}/`);
}

/** What the key store needs of the organizations: which one is current, and when that changes. */
export interface CurrentOrganization {
  readonly current: { readonly id: OrganizationId };
  readonly onDidChangeCurrent: vscode.Event<unknown>;
}

/**
 * The one gateway to `context.secrets`, per organization: each has its own key, and `get`, `source`,
 * `set` and `delete` act on the current one unless given an id. It fires `onDidChange` when the
 * current organization changes and when any of our keys changes, here or in another window (it
 * re-emits SecretStorage changes), so a reader of the current key follows both. The key leaves this
 * class only as the return value of {@link get}, for the client.
 */
export class AdminKeyStore extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when the current organization's key may be another: a switch, or a key stored or deleted in any window. */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly organizations: CurrentOrganization,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this._register(
      secrets.onDidChange((e) => {
        if (isOurSecret(e.key)) this._onDidChange.fire();
      }),
    );
    this._register(organizations.onDidChangeCurrent(() => this._onDidChange.fire()));
  }

  /**
   * The key to use for an organization (the current one by default): SecretStorage first, then, for
   * the default organization only, the environment.
   */
  async get(id: OrganizationId = this.organizations.current.id): Promise<AdminKey | undefined> {
    const stored = (await this.secrets.get(secretNameOf(id)))?.trim();
    if (stored) return { value: stored, source: 'secretStorage' };
    if (id !== DEFAULT_ORGANIZATION_ID) return undefined;
    const fromEnv = this.env[ADMIN_KEY_ENV]?.trim();
    if (fromEnv) return { value: fromEnv, source: 'environment' };
    return undefined;
  }

  async source(id: OrganizationId = this.organizations.current.id): Promise<AdminKeySource> {
    return (await this.get(id))?.source ?? 'none';
  }

  async set(key: string, id: OrganizationId = this.organizations.current.id): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An empty Admin API key cannot be stored.');
    await this.secrets.store(secretNameOf(id), trimmed);
    // SecretStorage fires too, but not always synchronously with store(); firing here keeps this window exact.
    this._onDidChange.fire();
  }

  async delete(id: OrganizationId = this.organizations.current.id): Promise<void> {
    await this.secrets.delete(secretNameOf(id));
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
