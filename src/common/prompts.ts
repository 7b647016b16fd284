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

/**
 * Shows a quick input and resolves once: with what `wire` finishes it with, or undefined when it is hidden.
 * It disposes the input and tells `track` (the integration tests drive inputs through it).
 */
export function runPrompt<T, Q extends vscode.QuickInput>(input: Q, track: PromptTracker | undefined, wire: (finish: (value: T | undefined) => void) => void): Promise<T | undefined> {
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
  return runPrompt<T, vscode.QuickPick<T>>(qp, options.track, (finish) => {
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen) finish(chosen);
    });
  });
}

/** What {@link pickSome} and {@link pickSomeWithContext} take. */
interface PickSomeOptions<T extends vscode.QuickPickItem> extends Common {
  readonly placeholder?: string;
  readonly selected: readonly T[];
  readonly adjust?: (selected: readonly T[], previous: readonly T[]) => readonly T[];
}

/**
 * Several items (the ticked ones); undefined when dismissed. `adjust` sees each change of the ticks
 * (with the ticks before it) and may answer other ticks (a family item ticks its members); it is
 * called again with its own answer, which it must leave as it is. `accepted` also gets the item
 * focused when Enter was pressed and the text typed in the filter box.
 */
export function pickSome<T extends vscode.QuickPickItem>(
  items: readonly T[],
  options: PickSomeOptions<T>,
): Promise<readonly T[] | undefined> {
  return pickSomeWithContext(items, options).then((r) => r?.selected);
}

/** {@link pickSome}, also answering the item focused on Enter and the filter text. */
export function pickSomeWithContext<T extends vscode.QuickPickItem>(
  items: readonly T[],
  options: PickSomeOptions<T>,
): Promise<{ selected: readonly T[]; active: T | undefined; value: string } | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = options.title;
  qp.placeholder = options.placeholder;
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  qp.items = items;
  qp.selectedItems = options.selected;
  let previous: readonly T[] = options.selected;
  const adjust = options.adjust;
  if (adjust) {
    qp.onDidChangeSelection((selected) => {
      const next = adjust(selected, previous);
      previous = next;
      if (next.length !== selected.length || next.some((item, i) => item !== selected[i])) qp.selectedItems = next;
    });
  }
  return runPrompt<{ selected: readonly T[]; active: T | undefined; value: string }, vscode.QuickPick<T>>(qp, options.track, (finish) => {
    qp.onDidAccept(() => finish({ selected: [...qp.selectedItems], active: qp.activeItems[0], value: qp.value }));
  });
}

/**
 * Free text; undefined when dismissed. `validate` runs as the user types and again on Enter; `explain`
 * (for a valid value) shows as information under the box, e.g. how a typed time was read.
 */
export function askText(
  options: Common & {
    readonly prompt: string;
    readonly value?: string;
    readonly validate?: (value: string) => string | undefined;
    readonly explain?: (value: string) => string | undefined;
  },
): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.prompt = options.prompt;
  box.value = options.value ?? '';
  const validate = options.validate ?? (() => undefined);
  const message = (value: string): string | vscode.InputBoxValidationMessage | undefined => {
    const problem = validate(value);
    if (problem !== undefined) return problem;
    const info = options.explain?.(value);
    return info === undefined ? undefined : { message: info, severity: vscode.InputBoxValidationSeverity.Info };
  };
  box.validationMessage = message(box.value);
  return runPrompt<string, vscode.InputBox>(box, options.track, (finish) => {
    box.onDidChangeValue((value) => {
      box.validationMessage = message(value);
    });
    box.onDidAccept(() => {
      const problem = validate(box.value);
      box.validationMessage = message(box.value);
      if (problem === undefined) finish(box.value);
    });
  });
}
