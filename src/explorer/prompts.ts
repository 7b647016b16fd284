import * as vscode from 'vscode';

/**
 * Quick inputs built with createQuickPick/createInputBox rather than
 * showQuickPick/showInputBox, so the open one is visible to its caller (the
 * integration tests drive the workbench's own widgets through `track`), and
 * a value is validated on Enter as well as while typing (a value that reached
 * the box without a keystroke is checked too).
 */
export type PromptTracker = (input: vscode.QuickInput | undefined) => void;

interface Common {
  readonly title: string;
  readonly track?: PromptTracker | undefined;
}

function run<T, Q extends vscode.QuickInput>(input: Q, track: PromptTracker | undefined, wire: (finish: (value: T | undefined) => void) => void): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    let done = false;
    const finish = (value: T | undefined): void => {
      if (done) return;
      done = true;
      track?.(undefined);
      resolve(value);
      input.dispose();
    };
    wire(finish);
    input.onDidHide(() => finish(undefined));
    input.ignoreFocusOut = true;
    track?.(input);
    input.show();
  });
}

/** One item; undefined when dismissed. `active` is focused first (the current choice). */
export function pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: Common & { readonly placeholder?: string; readonly active?: T }): Promise<T | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = options.title;
  qp.placeholder = options.placeholder;
  qp.items = items;
  if (options.active) qp.activeItems = [options.active];
  return run<T, vscode.QuickPick<T>>(qp, options.track, (finish) => {
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen) finish(chosen);
    });
  });
}

/** Several items (the ticked ones); undefined when dismissed. */
export function pickSome<T extends vscode.QuickPickItem>(
  items: readonly T[],
  options: Common & { readonly placeholder?: string; readonly selected: readonly T[] },
): Promise<readonly T[] | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = options.title;
  qp.placeholder = options.placeholder;
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  qp.items = items;
  qp.selectedItems = options.selected;
  return run<readonly T[], vscode.QuickPick<T>>(qp, options.track, (finish) => {
    qp.onDidAccept(() => finish([...qp.selectedItems]));
  });
}

/** Free text; undefined when dismissed. `validate` runs as the user types and again on Enter. */
export function askText(options: Common & { readonly prompt: string; readonly value?: string; readonly validate?: (value: string) => string | undefined }): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.prompt = options.prompt;
  box.value = options.value ?? '';
  const validate = options.validate ?? (() => undefined);
  return run<string, vscode.InputBox>(box, options.track, (finish) => {
    box.onDidChangeValue((value) => {
      box.validationMessage = validate(value);
    });
    box.onDidAccept(() => {
      const problem = validate(box.value);
      box.validationMessage = problem;
      if (problem === undefined) finish(box.value);
    });
  });
}
