/**
 * The history of one resource: its events oldest to newest, each with what it
 * changed and the state after it, as far as the retained log tells.
 */
import type { AuditEvent } from '../model';
import { applyEvent, EMPTY_STATE, oldestFirst, resourceIdOf, stateChangeOf, stateToJson, type EventRole, type ResourceState } from './changes';

export interface HistoryEntry {
  readonly event: AuditEvent;
  readonly role: EventRole;
  /** The fields this event set or changed element by element. */
  readonly changedFields: readonly string[];
  /** The state after this event, as JSON (unknown parts spelled out). */
  readonly stateAfter: Record<string, unknown>;
  readonly deleted: boolean;
}

export interface ResourceHistory {
  readonly resourceId: string;
  /** True when the first retained event is the resource's creation. */
  readonly fromCreation: boolean;
  readonly entries: readonly HistoryEntry[];
}

/** Builds the history of `resourceId` from any events (others are ignored), given in the API's order. */
export function resourceHistory(resourceId: string, eventsInApiOrder: readonly AuditEvent[]): ResourceHistory {
  const mine = oldestFirst(eventsInApiOrder.filter((e) => resourceIdOf(e) === resourceId));
  const seen = new Set<string>();
  const entries: HistoryEntry[] = [];
  let state: ResourceState = EMPTY_STATE;
  for (const event of mine) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const change = stateChangeOf(event);
    state = applyEvent(state, event);
    entries.push({
      event,
      role: change.role,
      changedFields: [...Object.keys(change.set), ...Object.keys(change.arrayOps)],
      stateAfter: stateToJson(state),
      deleted: state.deletedBy !== undefined,
    });
  }
  return { resourceId, fromCreation: entries[0]?.role === 'created', entries };
}
