import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { Commands } from '../constants';
import type { ExtensionServices } from '../services';
import { checkOrganizationBaseUrl, type Organization } from './organization';
import { askText, pickOrganization } from './organizationPrompts';
import { OrganizationError, OrganizationRegistry } from './organizationRegistry';

type OrganizationCommandId = typeof Commands.addOrganization | typeof Commands.switchOrganization | typeof Commands.removeOrganization;

/** What the organization commands resolve to (the automation contract of issue 11). */
export interface AddOrganizationResult {
  readonly id: string;
}
export interface SwitchOrganizationResult {
  readonly id: string;
}
export interface RemoveOrganizationResult {
  readonly removed: boolean;
}

/**
 * *Add Organization…*, *Switch Organization…* and *Remove Organization…*. Each takes its argument for
 * automation (`{ label, apiBaseUrl? }`, `{ id }`, `{ id, confirm: true }`) or asks without one. A
 * refused argument (bad label or URL, unknown id, the default organization to remove) is shown as an
 * error and rejects the command with the same message.
 */
export class OrganizationCommands extends Disposable {
  /** The input or quick pick on screen while one is (the integration tests drive it). */
  prompt: vscode.QuickInput | undefined;
  private readonly track = (input: vscode.QuickInput | undefined): void => {
    this.prompt = input;
  };

  constructor(private readonly services: ExtensionServices) {
    super();
    const table: Record<OrganizationCommandId, (arg: unknown) => Promise<unknown>> = {
      [Commands.addOrganization]: (arg) => (arg === undefined ? this.addInteractively() : this.add(arg)),
      [Commands.switchOrganization]: (arg) => (arg === undefined ? this.switchInteractively() : this.switchTo(arg)),
      [Commands.removeOrganization]: (arg) => this.remove(arg),
    };
    for (const [id, run] of Object.entries(table)) {
      this._register(vscode.commands.registerCommand(id, (arg: unknown) => refused(run(arg))));
    }
  }

  private get registry() {
    return this.services.organizations;
  }

  /** `{ label, apiBaseUrl? }` → `{ id }`; the new organization does not become current. */
  private async add(arg: unknown): Promise<AddOrganizationResult> {
    const { label, apiBaseUrl } = objectArg(arg, vscode.l10n.t('Add Organization takes {0}.', '{ label, apiBaseUrl? }'));
    const added = await this.registry.add({ label, apiBaseUrl });
    this.services.log.info(`Organization added: ${added.id}${added.apiBaseUrl ? ` (${added.apiBaseUrl})` : ''}.`);
    return { id: added.id };
  }

  /** Asks for a label and an optional base URL, adds, switches to it and offers to set its key. */
  private async addInteractively(): Promise<AddOrganizationResult | undefined> {
    const title = vscode.l10n.t('Add Organization');
    const label = await askText(
      {
        title,
        prompt: vscode.l10n.t('A name for the organization, as the Events view will show it.'),
        placeholder: vscode.l10n.t('e.g. Acme production'),
        validate: (value) => this.registry.labelProblem(value),
      },
      this.track,
    );
    if (label === undefined) return undefined;
    const apiBaseUrl = await askText(
      {
        title,
        prompt: vscode.l10n.t('Its own API base URL, if it has one. Leave empty to use the openaiAuditLogs.apiBaseUrl setting.'),
        placeholder: 'https://api.openai.com/v1',
        validate: (value) => {
          const checked = checkOrganizationBaseUrl(value);
          return checked.ok ? undefined : checked.reason;
        },
      },
      this.track,
    );
    if (apiBaseUrl === undefined) return undefined;
    const { id } = await this.add({ label, apiBaseUrl });
    const added = await this.registry.switchTo(id);
    const setKey = vscode.l10n.t('Set Admin API Key');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('"{0}" is now the current organization. Set its Admin API key?', added.label), setKey)
      .then((choice) => (choice === setKey ? vscode.commands.executeCommand(Commands.setApiKey) : undefined));
    return { id };
  }

  private async switchTo(arg: unknown): Promise<SwitchOrganizationResult> {
    const { id } = objectArg(arg, vscode.l10n.t('Switch Organization takes {0}.', '{ id }'));
    const target = await this.registry.switchTo(id);
    this.services.log.info(`Current organization: ${target.id}.`);
    return { id: target.id };
  }

  private async switchInteractively(): Promise<SwitchOrganizationResult | undefined> {
    const picked = await pickOrganization(this.registry.all, this.registry.current, vscode.l10n.t('Switch Organization'), this.track);
    return picked ? this.switchTo({ id: picked.id }) : undefined;
  }

  /**
   * `{ id, confirm: true }` removes at once; without `confirm` a modal warning names the organization
   * and what goes with it; without an id a quick pick of the added organizations comes first. Removing
   * deletes the organization's key from SecretStorage; the registry then fires onDidRemove.
   */
  private async remove(arg: unknown): Promise<RemoveOrganizationResult> {
    let target: Organization | undefined;
    let confirmed = false;
    if (arg === undefined) {
      target = await this.pickRemovable();
      if (!target) return { removed: false };
    } else {
      const { id, confirm } = objectArg(arg, vscode.l10n.t('Remove Organization takes {0}.', '{ id, confirm: true }'));
      target = this.registry.removable(id);
      confirmed = confirm === true;
    }
    if (!confirmed && !(await confirmRemoval(target))) return { removed: false };
    await this.registry.remove(target.id);
    await this.services.keyStore.delete(target.id);
    this.services.log.info(`Organization removed: ${target.id}; its key was deleted.`);
    return { removed: true };
  }

  private async pickRemovable(): Promise<Organization | undefined> {
    const removable = this.registry.all.filter((o) => !this.registry.isDefault(o.id));
    if (removable.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no organization to remove: the default organization cannot be removed.'));
      return undefined;
    }
    return pickOrganization(removable, this.registry.current, vscode.l10n.t('Remove Organization'), this.track);
  }
}

async function confirmRemoval(target: Organization): Promise<boolean> {
  const remove = vscode.l10n.t('Remove');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove the organization "{0}"?', target.label),
    { modal: true, detail: vscode.l10n.t("Its Admin API key and its local archive will be deleted from this machine. The organization's audit log on OpenAI is not affected.") },
    remove,
  );
  return choice === remove;
}

/** The command's object argument; anything else is refused with `usage`. */
function objectArg(arg: unknown, usage: string): Record<string, unknown> {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) throw new OrganizationError(usage);
  return arg as Record<string, unknown>;
}

/** Shows a refusal (an OrganizationError) as an error message, then rejects with it. */
async function refused<T>(result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (e) {
    if (e instanceof OrganizationError) void vscode.window.showErrorMessage(e.message);
    throw e;
  }
}

/** What the integration tests reach: the commands' prompts, and a second registry over the same stored state. */
export interface OrganizationsTestHooks {
  readonly commands: OrganizationCommands;
  /** A new registry reading the same globalState and workspaceState (what a reload reads). */
  reopen(): OrganizationRegistry;
}

export function registerOrganizations(context: vscode.ExtensionContext, services: ExtensionServices): OrganizationsTestHooks {
  const commands = new OrganizationCommands(services);
  context.subscriptions.push(commands);
  return { commands, reopen: () => new OrganizationRegistry(context) };
}
