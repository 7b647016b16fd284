/**
 * The filter editor's multi-select: the values offered, a family item that
 * ticks (and unticks) its members at one click, and two ways to give values
 * that are not listed: the "Add … not listed" entry (a box for them), or
 * typing them in the filter box and pressing Enter without ticking anything.
 */
import * as vscode from 'vscode';
import { splitValues } from '../core/analysis/filters';
import { quickPickText } from '../core/text/oneLine';
import { askText, pickSomeWithContext, type PromptTracker } from '../common/prompts';
import { familyTicks, type PickItem, type ValueItem } from './familyTicks';

const OTHER = '\u0000other';

export type { PickItem, ValueItem } from './familyTicks';

export interface PickManyStep {
  readonly title: string;
  readonly placeholder: string;
  readonly otherPrompt: string;
  readonly track: PromptTracker | undefined;
}

const isValue = (item: PickItem): item is ValueItem => 'value' in item;

/** The values chosen (families expanded, typed ones after the ticked ones); null = cancelled. */
export async function pickMany(step: PickManyStep, items: readonly PickItem[], selected: readonly string[]): Promise<string[] | null> {
  const chosen = new Set(selected);
  const known = new Set(items.filter(isValue).filter((i) => !i.members).map((i) => i.value));
  const other: ValueItem = { label: `$(edit) ${step.otherPrompt}`, value: OTHER, alwaysShow: true };
  const extra: ValueItem[] = selected.filter((v) => !known.has(v)).map((v) => ({ label: quickPickText(v), description: vscode.l10n.t('not seen'), value: v }));
  const all: PickItem[] = [other, ...extra, ...items];
  const ticked = all.filter(isValue).filter((i) => (i.members ? i.members.length > 0 && i.members.every((m) => chosen.has(m)) : i !== other && chosen.has(i.value)));
  const result = await pickSomeWithContext(all, { title: step.title, placeholder: step.placeholder, selected: ticked, adjust: familyTicks(all), track: step.track });
  if (!result) return null;

  const values: string[] = [];
  const add = (v: string): void => {
    if (!values.includes(v)) values.push(v);
  };
  for (const item of result.selected) {
    if (!isValue(item) || item === other) continue;
    if (item.members) item.members.forEach(add);
    else add(item.value);
  }
  const typed = splitValues(result.value);
  const otherTicked = result.selected.includes(other);
  // Typed in the filter box and Enter without ticking anything: what was typed is the values (added to the ticked ones).
  const unchanged = result.selected.length === ticked.length && result.selected.every((i) => ticked.includes(i as ValueItem));
  if (!otherTicked && unchanged && typed.length > 0) {
    typed.forEach(add);
    return values;
  }
  if (otherTicked) {
    const text = await askText({ title: step.title, prompt: vscode.l10n.t('{0} (separate several with commas)', step.otherPrompt), value: typed.join(', '), track: step.track });
    if (text === undefined) return null;
    splitValues(text).forEach(add);
  }
  return values;
}
