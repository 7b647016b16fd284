/**
 * A resource as it was at a moment, rebuilt from its archived creation and changes with the same folding
 * the details panel's diffs use (analysis/changes.ts): field by field, each with the event that last set it.
 *
 * - A creation starts a new life: a resource re-created with the same id does not inherit the fields of the
 *   one deleted before it. The state at `time` folds the events of the life `time` falls in.
 * - Deleted at `time` (or not yet created: the archive holds its creation later), the state is null.
 * - Without its creation in the archive, the fields its events set are known and every other field they
 *   mention (also later ones) is `known: false`, "unknown (before the archive)": nothing is guessed.
 */
import { applyEvent, EMPTY_STATE, eventRole, fieldPath, stateChangeOf, type ResourceState } from '../analysis/changes';
import type { AuditEvent } from '../model';
import { canonicalJson } from '../analysis/canonicalJson';

export const UNKNOWN_BEFORE_ARCHIVE = 'unknown (before the archive)';

export interface FieldAsOf {
  readonly value: unknown;
  /** The event that last set the field; null when unknown. */
  readonly eventId: string | null;
  readonly known: boolean;
}

export type ResourceStatus = 'exists' | 'deleted' | 'notCreated' | 'noHistory';

export interface StateAsOf {
  /** The known fields as one object; null when the resource did not exist at `time` (or nothing is archived). */
  readonly state: Record<string, unknown> | null;
  readonly fields: Readonly<Record<string, FieldAsOf>>;
}

export interface StateAsOfDetail extends StateAsOf {
  readonly status: ResourceStatus;
  readonly createdBy: string | null;
  readonly deletedBy: string | null;
  /** How many of its events the state folds (those of its life up to `time`). */
  readonly basedOn: number;
}

/** The state of a resource at `time` (Unix seconds, inclusive), from its events oldest first. */
export function stateAsOf(eventsOldestFirst: readonly AuditEvent[], time: number): StateAsOfDetail {
  const upTo = eventsOldestFirst.filter((e) => e.effective_at <= time);
  const later = eventsOldestFirst.slice(upTo.length);
  const none = { state: null, fields: {}, createdBy: null, deletedBy: null, basedOn: 0 };
  if (upTo.length === 0) {
    return { ...none, status: later.some((e) => eventRole(e.type) === 'created') ? 'notCreated' : 'noHistory' };
  }
  const lastCreation = findLastIndex(upTo, (e) => eventRole(e.type) === 'created');
  const life = lastCreation >= 0 ? upTo.slice(lastCreation) : upTo;
  let state: ResourceState = EMPTY_STATE;
  for (const event of life) state = applyEvent(state, event);
  if (state.deletedBy !== undefined) {
    return { ...none, status: 'deleted', createdBy: state.createdBy ?? null, deletedBy: state.deletedBy, basedOn: life.length };
  }
  const fields: Record<string, FieldAsOf> = {};
  const out: Record<string, unknown> = {};
  for (const [name, f] of state.fields) {
    if (f.kind === 'known') {
      put(fields, name, { value: f.value, eventId: f.source, known: true });
      putPath(out, fieldPath(name), f.value);
    } else {
      put(fields, name, { value: { added_since: f.present, removed_since: f.absent }, eventId: f.source, known: false });
    }
  }
  if (state.createdBy === undefined) {
    // Fields its events name that no event up to `time` set: they existed, with a value the archive never saw.
    const nextCreation = later.findIndex((e) => eventRole(e.type) === 'created');
    const sameLife = nextCreation >= 0 ? later.slice(0, nextCreation) : later;
    for (const name of mentionedFields(sameLife)) {
      if (!Object.hasOwn(fields, name) && !coveredBy(fields, name)) put(fields, name, { value: UNKNOWN_BEFORE_ARCHIVE, eventId: null, known: false });
    }
  }
  return { state: out, fields, status: 'exists', createdBy: state.createdBy ?? null, deletedBy: null, basedOn: life.length };
}

/** Field names the events set or change element by element. */
function mentionedFields(events: readonly AuditEvent[]): Set<string> {
  const names = new Set<string>();
  for (const e of events) {
    const change = stateChangeOf(e);
    for (const k of Object.keys(change.set)) names.add(k);
    for (const k of Object.keys(change.arrayOps)) names.add(k);
  }
  return names;
}

/** Whether a field inside `name`, or one containing it, is already there (`settings` vs `settings.a`). */
function coveredBy(fields: Record<string, FieldAsOf>, name: string): boolean {
  return Object.keys(fields).some((k) => k.startsWith(`${name}.`) || name.startsWith(`${k}.`));
}

/** One row of a before/after comparison of two moments. */
export interface StateComparisonRow {
  readonly field: string;
  readonly before: FieldAsOf | undefined;
  readonly after: FieldAsOf | undefined;
  readonly changed: boolean;
}

/** Field-by-field comparison of two states (e.g. at two moments): every field of either, changed ones marked. */
export function compareStates(before: StateAsOf, after: StateAsOf): StateComparisonRow[] {
  const names = [...new Set([...Object.keys(before.fields), ...Object.keys(after.fields)])].sort();
  return names.map((field) => {
    const b = Object.hasOwn(before.fields, field) ? before.fields[field] : undefined;
    const a = Object.hasOwn(after.fields, field) ? after.fields[field] : undefined;
    const changed = !b || !a || !b.known || !a.known ? b?.eventId !== a?.eventId || b?.known !== a?.known : canonicalJson(b.value) !== canonicalJson(a.value);
    return { field, before: b, after: a, changed };
  });
}

function findLastIndex<T>(list: readonly T[], test: (t: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return i;
  return -1;
}

/** Sets an own property, even one named `__proto__` (field names come from the API). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function putPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  for (const seg of path.slice(0, -1)) {
    const next = Object.hasOwn(at, seg) ? at[seg] : undefined;
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) at = next as Record<string, unknown>;
    else {
      const made: Record<string, unknown> = {};
      put(at, seg, made);
      at = made;
    }
  }
  put(at, path[path.length - 1]!, value);
}
