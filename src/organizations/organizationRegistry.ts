import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { clipDisplayText } from '../core/text/displayText';
import {
  DEFAULT_ORGANIZATION_ID,
  checkOrganizationBaseUrl,
  checkOrganizationLabel,
  newOrganizationId,
  parseStoredOrganizations,
  type Organization,
  type OrganizationId,
} from './organization';

/** globalState: the added organizations (`{ id, label, apiBaseUrl? }[]`, never a key). */
export const ORGANIZATIONS_STATE_KEY = 'openaiAuditLogs.organizations';
/** workspaceState: the id of this window's current organization (absent: the default one). */
export const CURRENT_ORGANIZATION_STATE_KEY = 'openaiAuditLogs.currentOrganization';

/** A request the registry refuses (bad label or URL, unknown id, removing the default); its message is for the user. */
export class OrganizationError extends Error {
  override readonly name = 'OrganizationError';
}

export interface NewOrganization {
  readonly label: unknown;
  readonly apiBaseUrl?: unknown;
}

/**
 * The organizations this user has: the default one (the key of earlier versions, always present,
 * served by the `openaiAuditLogs.apiBaseUrl` setting) and the added ones, kept in globalState; and the
 * current one of this window, kept in workspaceState. It holds no key: keys are the AdminKeyStore's.
 *
 * The list is read from globalState on every access, so organizations added or removed in another
 * window show here too (VS Code refreshes a global Memento from other windows); a current id that no
 * longer names an organization falls back to the default. When this window gains focus it compares
 * what it reads with what it last announced and fires the events, so it follows a removal made
 * elsewhere (its archive is that window's to delete: onDidRemove fires only where the removal ran).
 *
 * `current.apiBaseUrl` is where the current organization's requests go (undefined: the setting); a
 * stored URL is validated again on every read, like the setting.
 */
export class OrganizationRegistry extends Disposable {
  private readonly _onDidChangeCurrent = this._register(new vscode.EventEmitter<Organization>());
  /** Fires with the new current organization after a switch (or after the current one was removed). */
  readonly onDidChangeCurrent = this._onDidChangeCurrent.event;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when an organization was added or removed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidRemove = this._register(new vscode.EventEmitter<OrganizationId>());
  /** Fires with the id of a removed organization (its key is gone; its archive should go too). */
  readonly onDidRemove = this._onDidRemove.event;

  private readonly globalState: vscode.Memento;
  private readonly workspaceState: vscode.Memento;
  /** What the events last announced (see {@link sync}). */
  private announced: { readonly list: string; readonly current: OrganizationId };

  /** The only user of `globalState` in the extension: it stores `{ id, label, apiBaseUrl? }` entries and nothing else. */
  constructor(state: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState'>) {
    super();
    this.globalState = state.globalState;
    this.workspaceState = state.workspaceState;
    this.announced = { list: JSON.stringify(this.added()), current: this.current.id };
    this._register(
      vscode.window.onDidChangeWindowState((e) => {
        if (e.focused) this.sync();
      }),
    );
  }

  /**
   * Reads the stored state again and fires what changed since the last announcement: onDidChangeCurrent
   * (first) when the current organization is another, onDidChange when the list is. Every change made
   * here ends with it; another window's changes reach it on focus.
   */
  sync(): void {
    const list = JSON.stringify(this.added());
    const current = this.current;
    const before = this.announced;
    this.announced = { list, current: current.id };
    if (current.id !== before.current) this._onDidChangeCurrent.fire(current);
    if (list !== before.list) this._onDidChange.fire();
  }

  /** The default organization first, then the added ones in the order they were added. */
  get all(): readonly Organization[] {
    return [this.defaultOrganization, ...this.added()];
  }

  get defaultOrganization(): Organization {
    return { id: DEFAULT_ORGANIZATION_ID, label: vscode.l10n.t('Default organization') };
  }

  get(id: unknown): Organization | undefined {
    return this.all.find((o) => o.id === id);
  }

  /** This window's organization: the one chosen here, or the default one. */
  get current(): Organization {
    return this.get(this.workspaceState.get<string>(CURRENT_ORGANIZATION_STATE_KEY)) ?? this.defaultOrganization;
  }

  isDefault(id: OrganizationId): boolean {
    return id === DEFAULT_ORGANIZATION_ID;
  }

  /** Why a label cannot be used (another organization has it, or it is not one clean line), or undefined. */
  labelProblem(label: string): string | undefined {
    const checked = checkOrganizationLabel(label, this.all.map((o) => o.label));
    return checked.ok ? undefined : checked.reason;
  }

  /** Adds an organization (it does not become current). Throws OrganizationError for a bad label or URL. */
  async add(request: NewOrganization): Promise<Organization> {
    const label = checkOrganizationLabel(request.label, this.all.map((o) => o.label));
    if (!label.ok) throw new OrganizationError(label.reason);
    const url = checkOrganizationBaseUrl(request.apiBaseUrl);
    if (!url.ok) throw new OrganizationError(url.reason);
    const organization: Organization = url.value === undefined ? { id: newOrganizationId(), label: label.value } : { id: newOrganizationId(), label: label.value, apiBaseUrl: url.value };
    await this.globalState.update(ORGANIZATIONS_STATE_KEY, [...this.added(), organization]);
    this.sync();
    return organization;
  }

  /** Makes an organization this window's current one. Throws OrganizationError for an unknown id. */
  async switchTo(id: unknown): Promise<Organization> {
    const target = this.get(id);
    if (!target) throw new OrganizationError(unknownOrganization(id));
    await this.workspaceState.update(CURRENT_ORGANIZATION_STATE_KEY, target.id === DEFAULT_ORGANIZATION_ID ? undefined : target.id);
    this.sync();
    return target;
  }

  /** The added organization `id` names; throws OrganizationError for the default one or an unknown id. */
  removable(id: unknown): Organization {
    if (id === DEFAULT_ORGANIZATION_ID) {
      throw new OrganizationError(vscode.l10n.t('The default organization cannot be removed. To stop using its key, run "Forget Admin API Key" while it is current.'));
    }
    const target = this.added().find((o) => o.id === id);
    if (!target) throw new OrganizationError(unknownOrganization(id));
    return target;
  }

  /**
   * Removes an added organization; when it was current, the default one becomes current first. Deleting
   * its key is the caller's (the AdminKeyStore's) part. Throws OrganizationError for the default or an unknown id.
   */
  async remove(id: unknown): Promise<Organization> {
    const target = this.removable(id);
    if (this.current.id === target.id) await this.workspaceState.update(CURRENT_ORGANIZATION_STATE_KEY, undefined);
    await this.globalState.update(ORGANIZATIONS_STATE_KEY, this.added().filter((o) => o.id !== target.id));
    this.sync();
    this._onDidRemove.fire(target.id);
    return target;
  }

  private added(): Organization[] {
    return parseStoredOrganizations(this.globalState.get(ORGANIZATIONS_STATE_KEY));
  }
}

function unknownOrganization(id: unknown): string {
  return typeof id === 'string' && id !== ''
    ? vscode.l10n.t('There is no organization with the id "{0}".', clipDisplayText(id, 80))
    : vscode.l10n.t('Name an organization by its id, e.g. {0}.', '{ "id": "default" }');
}
