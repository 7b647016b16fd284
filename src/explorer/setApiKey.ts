import * as vscode from 'vscode';
import { runPrompt } from '../common/prompts';
import { validateAdminKeyInput } from '../secrets/adminKeyStore';

/**
 * Asks for the Admin key in a password input box that validates as the user
 * types. Resolves with the trimmed key, or undefined when dismissed. The key
 * is kept only in the box and handed to the caller; nothing logs it.
 *
 * A key of another shape is accepted only once its warning has been on
 * screen: typing shows it at once, so Enter stores; a value that reached the
 * box without a keystroke (pasted by a tool, set by a test) is warned about on
 * the first Enter and stored on the second.
 *
 * `track` sees the box while it is open (the integration tests drive it).
 */
export function promptForAdminKey(track?: (input: vscode.InputBox | undefined) => void): Promise<string | undefined> {
  const input = vscode.window.createInputBox();
  input.title = vscode.l10n.t('Set Admin API Key');
  input.prompt = vscode.l10n.t("Paste an OpenAI Admin API key (sk-admin-…). It is kept in VS Code's secret storage, never in settings.");
  input.placeholder = 'sk-admin-…';
  input.password = true;
  /** The trimmed value whose warning is on screen. */
  let warnedFor: string | undefined;
  const validate = (value: string): vscode.InputBoxValidationMessage | undefined => {
    const problem = validateAdminKeyInput(value);
    input.validationMessage = problem;
    warnedFor = problem?.severity === vscode.InputBoxValidationSeverity.Warning ? value.trim() : undefined;
    return problem;
  };
  return runPrompt<string, vscode.InputBox>(input, track && ((q) => track(q as vscode.InputBox | undefined)), (finish) => {
    input.onDidChangeValue((value) => void validate(value));
    input.onDidAccept(() => {
      const key = input.value.trim();
      if (warnedFor !== undefined && warnedFor === key) {
        finish(key);
        return;
      }
      if (!validate(input.value)) finish(key);
    });
  });
}
