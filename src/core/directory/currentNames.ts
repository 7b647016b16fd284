/**
 * The names of the directory of the organization shown now, for the code that renders rows and panels
 * (tree nodes, the details view model) without a reference to the directory feature: the feature sets
 * them whenever its directory changes (a refresh, another organization, the sample); the rest reads them.
 * One window shows one organization at a time, so one current value.
 */
import { DirectoryNames } from './names';

let current: DirectoryNames = DirectoryNames.EMPTY;
const listeners = new Set<() => void>();

export function currentDirectoryNames(): DirectoryNames {
  return current;
}

export function setCurrentDirectoryNames(names: DirectoryNames): void {
  current = names;
  for (const l of [...listeners]) {
    try {
      l();
    } catch {
      // a listener must not break the others
    }
  }
}

/** Calls `listener` after every change; returns the unsubscribe. */
export function onDidChangeDirectoryNames(listener: () => void): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}
