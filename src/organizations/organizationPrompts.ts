import * as vscode from 'vscode';
import type { Organization } from './organization';

/** Sees each input while it is on screen (undefined once it closed); the integration tests drive prompts through it. */
export type PromptTracker = (input: vscode.QuickInput | undefined) => void;

export interface TextPrompt {
  readonly title: string;
  readonly prompt: string;
  readonly placeholder?: string;
  /** The problem with a value, as a message, or undefined when it is acceptable. Runs as the user types and on Enter. */
  readonly validate: (value: string) => string | undefined;
}

/** One input box that validates as the user types and accepts only a valid value; undefined when dismissed. */
export function askText(options: TextPrompt, track?: PromptTracker): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = vscode.window.createInputBox();
    input.title = options.title;
    input.prompt = options.prompt;
    input.placeholder = options.placeholder;
    input.ignoreFocusOut = true;
    let done = false;
    const finish = (value: string | undefined): void => {
      if (done) return;
      done = true;
      track?.(undefined);
      resolve(value);
      input.dispose();
    };
    const check = (value: string): boolean => {
      const problem = options.validate(value);
      input.validationMessage = problem === undefined ? undefined : { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
      return problem === undefined;
    };
    input.onDidChangeValue((value) => void check(value));
    input.onDidAccept(() => {
      if (check(input.value)) finish(input.value);
    });
    input.onDidHide(() => finish(undefined));
    track?.(input);
    input.show();
  });
}

interface OrganizationItem extends vscode.QuickPickItem {
  readonly organization: Organization;
}

/** A quick pick of organizations, the current one marked; undefined when dismissed. */
export function pickOrganization(
  organizations: readonly Organization[],
  current: Organization,
  title: string,
  track?: PromptTracker,
): Promise<Organization | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<OrganizationItem>();
    pick.title = title;
    pick.placeholder = vscode.l10n.t('Choose an organization');
    pick.items = organizations.map((o) => ({
      label: o.id === current.id ? `$(check) ${o.label}` : o.label,
      description: o.id === current.id ? vscode.l10n.t('current') : undefined,
      detail: o.apiBaseUrl,
      organization: o,
    }));
    const active = pick.items.find((i) => i.organization.id === current.id);
    if (active) pick.activeItems = [active];
    let done = false;
    const finish = (value: Organization | undefined): void => {
      if (done) return;
      done = true;
      track?.(undefined);
      resolve(value);
      pick.dispose();
    };
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.organization ?? pick.activeItems[0]?.organization));
    pick.onDidHide(() => finish(undefined));
    track?.(pick);
    pick.show();
  });
}
