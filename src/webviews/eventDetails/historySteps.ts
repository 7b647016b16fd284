/**
 * Each step of a resource's history as before → after for the fields it
 * changed, not only the state after it. The before of a step is what the
 * changes table of that event would show: `diffChanges` against the same
 * events (the one definition of "before", same-second order included). No
 * VS Code here.
 */
import { diffChanges, hasChanges } from '../../core/analysis/changes';
import type { AuditEvent } from '../../core/model';
import type { HistoryView } from './protocol';
import { changesView } from './viewModel';

/** Above this many updates only the newest get their steps (each diff reads the whole list). */
export const MAX_STEP_DIFFS = 300;

/** `view` with each update's changed fields as before → after (`changes`), rebuilt from `eventsInApiOrder`. */
export function withHistorySteps(view: HistoryView, eventsInApiOrder: readonly AuditEvent[]): HistoryView {
  if (view.state !== 'ready') return view;
  const byId = new Map(eventsInApiOrder.map((e) => [e.id, e]));
  const updates = view.entries.filter((entry) => {
    const e = byId.get(entry.id);
    return e !== undefined && hasChanges(e);
  });
  const diffed = new Set(updates.slice(-MAX_STEP_DIFFS).map((u) => u.id));
  return {
    ...view,
    entries: view.entries.map((entry) => {
      const e = byId.get(entry.id);
      if (!e || !diffed.has(entry.id)) return entry;
      const steps = changesView(diffChanges(e, eventsInApiOrder));
      return steps.state === 'ready' ? { ...entry, changes: steps.rows } : entry;
    }),
  };
}
