/**
 * A family item in a multi-select (`role.*`) and its members kept in step.
 * Type-only imports: plain Node tests cover it.
 */
import type * as vscode from 'vscode';

export interface ValueItem extends vscode.QuickPickItem {
  readonly value: string;
  /** A family item: ticking it ticks these values. */
  readonly members?: readonly string[];
}

export type PickItem = ValueItem | vscode.QuickPickItem;

const isValue = (item: PickItem): item is ValueItem => 'value' in item;

/**
 * Keeps family items and their members in step: ticking a family ticks its members, unticking it
 * unticks them, and a family is ticked exactly when all its members are. The answer keeps the
 * items' order; answering its own answer changes nothing.
 */
export function familyTicks(all: readonly PickItem[]): (selected: readonly PickItem[], previous: readonly PickItem[]) => readonly PickItem[] {
  const values = all.filter(isValue);
  const byValue = new Map(values.filter((i) => !i.members).map((i) => [i.value, i]));
  const families = values
    .filter((i) => i.members)
    .map((family) => ({ family, members: family.members!.map((v) => byValue.get(v)).filter((m): m is ValueItem => m !== undefined) }))
    .filter((f) => f.members.length > 0);
  return (selected, previous) => {
    if (families.length === 0) return selected;
    const now = new Set(selected);
    const before = new Set(previous);
    for (const { family, members } of families) {
      if (now.has(family) && !before.has(family)) members.forEach((m) => now.add(m));
      else if (!now.has(family) && before.has(family) && members.every((m) => now.has(m))) members.forEach((m) => now.delete(m));
    }
    for (const { family, members } of families) {
      if (members.every((m) => now.has(m))) now.add(family);
      else now.delete(family);
    }
    return all.filter((i) => now.has(i));
  };
}
