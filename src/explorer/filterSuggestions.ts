/**
 * What the filter editor offers, from the archive: every type it holds (with
 * every known type), the projects by name, the actors by email or id, each
 * with how many events it has. The archive is everything this window has
 * fetched, not the current filtered result, so a filter that matched nothing
 * can still be changed by picking.
 */
import * as vscode from 'vscode';
import type { Grouping } from '../core/analysis/grouping';
import type { AuditLogQuery } from '../core/api/query';
import type { ArchiveGroup } from '../core/archive';
import { currentDirectoryNames, type DirectoryNames } from '../core/directory';
import { AUDIT_LOG_EVENT_TYPES, eventFamily } from '../core/model';
import { quickPickText } from '../core/text/oneLine';
import type { PickItem, ValueItem } from './familyTicks';

/** The archive's grouped counts (AuditArchive has this shape). */
export interface SuggestionSource {
  groups(query: AuditLogQuery, grouping: Grouping): readonly ArchiveGroup[];
}

const FAMILY_PREFIX = '\u0000family:';

function groupsOf(archive: SuggestionSource | undefined, grouping: Grouping): readonly ArchiveGroup[] {
  try {
    return archive?.groups({}, grouping) ?? [];
  } catch {
    // A closed or failing archive offers nothing; the free-text entry still works.
    return [];
  }
}

const events = (n: number): string => (n === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', n.toLocaleString()));

/** Every known type and every archived one, by family; a family of several types opens with an item that ticks them all. */
export function typeSuggestions(archive: SuggestionSource | undefined): PickItem[] {
  const counts = new Map<string, number>();
  for (const g of groupsOf(archive, 'typeProject')) if (g.kind === 'type') counts.set(g.key, g.count);
  const byFamily = new Map<string, string[]>();
  for (const type of [...new Set([...AUDIT_LOG_EVENT_TYPES, ...counts.keys()])].sort()) {
    const family = eventFamily(type);
    byFamily.set(family, [...(byFamily.get(family) ?? []), type]);
  }
  const items: PickItem[] = [];
  for (const [family, types] of byFamily) {
    items.push({ label: quickPickText(family), kind: vscode.QuickPickItemKind.Separator });
    if (types.length > 1) {
      const family_: ValueItem = {
        label: quickPickText(`${family}.*`),
        description: vscode.l10n.t('all {0} types of the family', types.length),
        value: `${FAMILY_PREFIX}${family}`,
        members: types,
      };
      items.push(family_);
    }
    for (const type of types) {
      const n = counts.get(type);
      items.push({ label: quickPickText(type), value: type, ...(n !== undefined ? { description: events(n) } : {}) });
    }
  }
  return items;
}

/** The archived projects, by name (the id beside it), in the tree's order. */
export function projectSuggestions(archive: SuggestionSource | undefined): ValueItem[] {
  return groupsOf(archive, 'projectType')
    .filter((g) => g.kind === 'project' && g.projectId)
    .map((g) => ({
      label: quickPickText(g.label),
      ...(g.label !== g.projectId ? { description: quickPickText(g.projectId!) } : {}),
      value: g.projectId!,
    }));
}

/**
 * The archived actors, busiest first: by email (what the filter sends for a user) or id, with their count.
 * One known only by its id (a service account, an API key) reads as its directory name, so typing the
 * name finds it; the id stays beside it.
 */
export function actorSuggestions(archive: SuggestionSource | undefined, names: DirectoryNames = currentDirectoryNames()): ValueItem[] {
  const items: ValueItem[] = [];
  for (const g of groupsOf(archive, 'actor')) {
    const value = g.actorEmail ?? g.actorId;
    if (g.kind !== 'actor' || !value) continue;
    const named = g.actorEmail ? undefined : names.lookup(g.actorId ?? undefined)?.name;
    const label = named ?? g.label;
    const id = g.actorId && g.actorId !== label ? ` · ${quickPickText(g.actorId, 60)}` : '';
    items.push({ label: quickPickText(label), description: `${events(g.count)}${id}`, value });
  }
  return items;
}
