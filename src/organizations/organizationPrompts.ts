import * as vscode from 'vscode';
import { pickOne, runPrompt, type PromptTracker } from '../common/prompts';
import type { Organization } from './organization';

export type { PromptTracker };

export interface TextPrompt {
  readonly title: string;
  readonly prompt: string;
  readonly placeholder?: string;
  /** The problem with a value, as a message, or undefined when it is acceptable. Runs as the user types and on Enter. */
  readonly validate: (value: string) => string | undefined;
}

/** One input box that validates as the user types and accepts only a valid value; undefined when dismissed. */
export function askText(options: TextPrompt, track?: PromptTracker): Promise<string | undefined> {
  const input = vscode.window.createInputBox();
  input.title = options.title;
  input.prompt = options.prompt;
  input.placeholder = options.placeholder;
  const check = (value: string): boolean => {
    const problem = options.validate(value);
    input.validationMessage = problem === undefined ? undefined : { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
    return problem === undefined;
  };
  return runPrompt<string, vscode.InputBox>(input, track, (finish) => {
    input.onDidChangeValue((value) => void check(value));
    input.onDidAccept(() => {
      if (check(input.value)) finish(input.value);
    });
  });
}

interface OrganizationItem extends vscode.QuickPickItem {
  readonly organization: Organization;
}

/** A quick pick of organizations, the current one marked; undefined when dismissed. */
export async function pickOrganization(
  organizations: readonly Organization[],
  current: Organization,
  title: string,
  track?: PromptTracker,
): Promise<Organization | undefined> {
  const items: OrganizationItem[] = organizations.map((o) => ({
    label: o.id === current.id ? `$(check) ${o.label}` : o.label,
    description: o.id === current.id ? vscode.l10n.t('current') : undefined,
    detail: o.apiBaseUrl,
    organization: o,
  }));
  const active = items.find((i) => i.organization.id === current.id);
  const picked = await pickOne(items, { title, placeholder: vscode.l10n.t('Choose an organization'), track, ...(active ? { active } : {}) });
  return picked?.organization;
}
