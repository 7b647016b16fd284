import * as vscode from 'vscode';
import { validateAdminKeyInput } from '../secrets/adminKeyStore';

/**
 * Asks for the Admin key in a password input box that validates as the user
 * types. Resolves with the trimmed key, or undefined when dismissed. The key
 * is kept only in the box and handed to the caller; nothing logs it.
 */
export function promptForAdminKey(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = vscode.window.createInputBox();
    input.title = 'Set Admin API Key';
    input.prompt = 'Paste an OpenAI Admin API key (sk-admin-…). It is kept in VS Code\'s secret storage, never in settings.';
    input.placeholder = 'sk-admin-…';
    input.password = true;
    input.ignoreFocusOut = true;
    let done = false;
    const finish = (value: string | undefined): void => {
      if (done) return;
      done = true;
      resolve(value);
      input.dispose();
    };
    input.onDidChangeValue((value) => {
      input.validationMessage = value === '' ? undefined : validateAdminKeyInput(value);
    });
    input.onDidAccept(() => {
      const problem = validateAdminKeyInput(input.value);
      if (problem && problem.severity === vscode.InputBoxValidationSeverity.Error) {
        input.validationMessage = problem;
        return;
      }
      finish(input.value.trim());
    });
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}
