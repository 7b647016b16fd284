/**
 * Change reconstruction: what an update changed a resource *from*.
 *
 * The audit log records the payload of each request, not the resource's state.
 * The prior state of a resource is therefore rebuilt from its earlier events:
 * the creation payload (`*.created` `data`, or the detail itself for types
 * that carry their fields at the top level) and each later update's
 * `changes_requested`. Where that history does not reach (the resource was
 * created before the retained log, or a field was never mentioned) the prior
 * value is reported as unknown, never guessed.
 *
 * Everything here is plain data in, plain data out: no I/O, no VS Code.
 */
import type { AuditEvent } from '../model';

type JsonObject = Record<string, unknown>;

/** What an event does to the resource it names. */
export type EventRole = 'created' | 'updated' | 'deleted' | 'other';

const CREATION_VERBS = new Set(['created', 'added', 'registered', 'sent']);
const UPDATE_VERBS = new Set(['updated', 'upserted']);
const DELETION_VERBS = new Set(['deleted', 'removed']);

/** Keys of a detail object that identify the resource rather than describe it. */
const IDENTITY_KEYS = new Set(['id']);

/** Sets an own property, even one named `__proto__` (event keys are attacker-controlled). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The typed detail object of an event: the value under the key equal to its type. */
export function detailOf(event: AuditEvent): JsonObject | undefined {
  const detail = Object.prototype.hasOwnProperty.call(event, event.type) ? event[event.type] : undefined;
  return isObject(detail) ? detail : undefined;
}

/** The id of the resource an event is about (its detail's `id`), if it names one. */
export function resourceIdOf(event: AuditEvent): string | undefined {
  const id = detailOf(event)?.['id'];
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** The role of an event, from the last segment of its type (`project.updated` → updated). */
export function eventRole(type: string): EventRole {
  const verb = type.slice(type.lastIndexOf('.') + 1);
  if (CREATION_VERBS.has(verb)) return 'created';
  if (UPDATE_VERBS.has(verb)) return 'updated';
  if (DELETION_VERBS.has(verb)) return 'deleted';
  return 'other';
}

/** Element operations on an array field (`permissions_added` / `permissions_removed`). */
export interface ArrayOps {
  readonly added: readonly unknown[];
  readonly removed: readonly unknown[];
}

/** What one event says about the resource's fields. */
export interface StateChange {
  readonly role: EventRole;
  /** Fields given a whole new value. */
  readonly set: Readonly<Record<string, unknown>>;
  /** Array fields changed element by element. */
  readonly arrayOps: Readonly<Record<string, ArrayOps>>;
}

const ARRAY_OP = /^(.+)_(added|removed)$/;

function splitPayload(payload: JsonObject): { set: Record<string, unknown>; arrayOps: Record<string, ArrayOps> } {
  const set: Record<string, unknown> = {};
  const ops = new Map<string, { added: unknown[]; removed: unknown[] }>();
  for (const [key, value] of Object.entries(payload)) {
    const m = ARRAY_OP.exec(key);
    if (m && Array.isArray(value)) {
      let op = ops.get(m[1]);
      if (!op) ops.set(m[1], (op = { added: [], removed: [] }));
      op[m[2] as 'added' | 'removed'].push(...value);
    } else {
      put(set, key, value);
    }
  }
  const arrayOps: Record<string, ArrayOps> = {};
  for (const [field, op] of ops) put(arrayOps, field, op);
  return { set, arrayOps };
}

function withoutIdentity(detail: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(detail)) if (!IDENTITY_KEYS.has(k)) put(out, k, v);
  return out;
}

/**
 * The fields an event sets. A creation contributes its `data` (or, for types
 * without `data`, its detail's own fields); an update its `changes_requested`
 * (or, without one, its detail's own fields, e.g. `ip_allowlist.updated`).
 * Other events (deletions, logins, unknown verbs) set nothing.
 */
export function stateChangeOf(event: AuditEvent): StateChange {
  const role = eventRole(event.type);
  const detail = detailOf(event);
  const empty: StateChange = { role, set: {}, arrayOps: {} };
  if (!detail) return empty;
  if (role === 'created') {
    const data = detail['data'];
    if (isObject(data)) return { role, ...splitPayload(data) };
    return { role, ...splitPayload(withoutIdentity(detail)) };
  }
  if (role === 'updated') {
    const changes = detail['changes_requested'];
    if (isObject(changes)) return { role, ...splitPayload(changes) };
    if ('changes_requested' in detail) return empty;
    return { role, ...splitPayload(withoutIdentity(detail)) };
  }
  return empty;
}

/** One field of a reconstructed state. */
export type FieldState =
  /** The value is known: set by the event `source`. */
  | { readonly kind: 'known'; readonly value: unknown; readonly source: string }
  /**
   * An array whose starting value lies before the retained history; only the
   * elements added (`present`) and removed (`absent`) since are known.
   */
  | { readonly kind: 'partial'; readonly present: readonly unknown[]; readonly absent: readonly unknown[]; readonly source: string };

/** The state of a resource after a sequence of its events. */
export interface ResourceState {
  /** The creation event, when the retained history reaches back to it. */
  readonly createdBy?: string;
  /** The deletion event, if the resource was deleted. */
  readonly deletedBy?: string;
  readonly fields: ReadonlyMap<string, FieldState>;
}

/** A stable text for a JSON value (object keys sorted), for equality of elements and values. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value).sort()) put(out, k, sortKeys(value[k]));
    return out;
  }
  return value;
}

function applyArrayOps(base: readonly unknown[], ops: ArrayOps): unknown[] {
  const removed = new Set(ops.removed.map(canonicalJson));
  const out = base.filter((e) => !removed.has(canonicalJson(e)));
  const have = new Set(out.map(canonicalJson));
  for (const e of ops.added) {
    const key = canonicalJson(e);
    if (!have.has(key)) {
      out.push(e);
      have.add(key);
    }
  }
  return out;
}

function applyPartialOps(prev: FieldState | undefined, ops: ArrayOps, source: string): FieldState {
  const present = new Map<string, unknown>();
  const absent = new Map<string, unknown>();
  if (prev?.kind === 'partial') {
    for (const e of prev.present) present.set(canonicalJson(e), e);
    for (const e of prev.absent) absent.set(canonicalJson(e), e);
  }
  for (const e of ops.removed) {
    const k = canonicalJson(e);
    present.delete(k);
    absent.set(k, e);
  }
  for (const e of ops.added) {
    const k = canonicalJson(e);
    absent.delete(k);
    present.set(k, e);
  }
  return { kind: 'partial', present: [...present.values()], absent: [...absent.values()], source };
}

/** The state after applying one event to a state. */
export function applyEvent(state: ResourceState, event: AuditEvent): ResourceState {
  const change = stateChangeOf(event);
  const fields = new Map(state.fields);
  let createdBy = state.createdBy;
  let deletedBy = state.deletedBy;
  if (change.role === 'created') {
    createdBy = event.id;
    deletedBy = undefined;
  } else if (change.role === 'deleted') {
    deletedBy = event.id;
  }
  for (const [field, value] of Object.entries(change.set)) {
    fields.set(field, { kind: 'known', value, source: event.id });
  }
  for (const [field, ops] of Object.entries(change.arrayOps)) {
    const prev = fields.get(field);
    if (prev?.kind === 'known' && Array.isArray(prev.value)) {
      fields.set(field, { kind: 'known', value: applyArrayOps(prev.value, ops), source: event.id });
    } else if (prev === undefined && createdBy !== undefined) {
      // Created within the history without this field: it started empty.
      fields.set(field, { kind: 'known', value: applyArrayOps([], ops), source: event.id });
    } else {
      fields.set(field, applyPartialOps(prev, ops, event.id));
    }
  }
  return { createdBy, deletedBy, fields };
}

export const EMPTY_STATE: ResourceState = { fields: new Map() };

/**
 * Events in the order they happened. The API lists newest first and keeps a
 * stable order for equal timestamps, so for a tie the event listed later is
 * the older one: pass events in the API's order (or already oldest first
 * with distinct times).
 */
export function oldestFirst<T extends { readonly effective_at: number }>(eventsInApiOrder: readonly T[]): T[] {
  return eventsInApiOrder
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.effective_at - b.e.effective_at || b.i - a.i)
    .map(({ e }) => e);
}

/** The state reached after the given events (in any order; see {@link oldestFirst} for ties). */
export function foldState(eventsInApiOrder: readonly AuditEvent[]): ResourceState {
  return oldestFirst(eventsInApiOrder).reduce(applyEvent, EMPTY_STATE);
}

/** The value of a field before a change. */
export type BeforeValue =
  | { readonly kind: 'known'; readonly value: unknown; readonly source: string }
  /** The resource was created within the history and no event ever set this field. */
  | { readonly kind: 'unset'; readonly source: string }
  /** Outside the retained history: shown as "unknown (before retained history)". */
  | { readonly kind: 'unknown' };

export type AfterValue = { readonly kind: 'known'; readonly value: unknown } | { readonly kind: 'unknown' };

export type ElementStatus = 'added' | 'removed' | 'kept';
export interface ElementDiff {
  readonly value: unknown;
  readonly status: ElementStatus;
}

export type FieldStatus = 'changed' | 'unchanged' | 'set' | 'unknown-before';

/** One row of the diff table: field | before | after. */
export interface FieldDiff {
  readonly field: string;
  readonly before: BeforeValue;
  readonly after: AfterValue;
  readonly status: FieldStatus;
  /** For arrays: every element with its fate, in before-then-added order. */
  readonly elements?: readonly ElementDiff[];
}

export interface ChangeDiff {
  readonly eventId: string;
  readonly resourceId?: string;
  /** True when the history reaches back to the resource's creation. */
  readonly fromCreation: boolean;
  /** The ids of the earlier events the before values were taken from, oldest first. */
  readonly basedOn: readonly string[];
  readonly rows: readonly FieldDiff[];
}

export const UNKNOWN_BEFORE_TEXT = 'unknown (before retained history)';

function beforeOf(state: ResourceState, field: string): BeforeValue {
  const f = state.fields.get(field);
  if (f?.kind === 'known') return { kind: 'known', value: f.value, source: f.source };
  if (f === undefined && state.createdBy !== undefined) return { kind: 'unset', source: state.createdBy };
  return { kind: 'unknown' };
}

function elementDiff(before: readonly unknown[], after: readonly unknown[]): ElementDiff[] {
  const afterKeys = new Set(after.map(canonicalJson));
  const beforeKeys = new Set(before.map(canonicalJson));
  const out: ElementDiff[] = before.map((value) => ({ value, status: afterKeys.has(canonicalJson(value)) ? 'kept' : 'removed' }));
  for (const value of after) if (!beforeKeys.has(canonicalJson(value))) out.push({ value, status: 'added' });
  return out;
}

function rowForSet(field: string, before: BeforeValue, value: unknown): FieldDiff {
  const after: AfterValue = { kind: 'known', value };
  if (before.kind === 'unknown') {
    return { field, before, after, status: 'unknown-before' };
  }
  if (before.kind === 'unset') {
    return { field, before, after, status: 'set', ...(Array.isArray(value) ? { elements: elementDiff([], value) } : {}) };
  }
  const status: FieldStatus = canonicalJson(before.value) === canonicalJson(value) ? 'unchanged' : 'changed';
  const elements = Array.isArray(before.value) && Array.isArray(value) ? elementDiff(before.value, value) : undefined;
  return { field, before, after, status, ...(elements ? { elements } : {}) };
}

function rowForOps(field: string, state: ResourceState, ops: ArrayOps): FieldDiff {
  const before = beforeOf(state, field);
  const base = before.kind === 'known' && Array.isArray(before.value) ? before.value : before.kind === 'unset' ? [] : undefined;
  if (base === undefined) {
    // Only the operations are known: show them, but no before or after value.
    const elements: ElementDiff[] = [
      ...ops.removed.map((value) => ({ value, status: 'removed' as const })),
      ...ops.added.map((value) => ({ value, status: 'added' as const })),
    ];
    return { field, before: { kind: 'unknown' }, after: { kind: 'unknown' }, status: 'unknown-before', elements };
  }
  const afterValue = applyArrayOps(base, ops);
  const elements = elementDiff(base, afterValue);
  // Removing something that was not there, or adding what was, changes nothing; say so.
  const status: FieldStatus = canonicalJson(base) === canonicalJson(afterValue) ? 'unchanged' : before.kind === 'unset' ? 'set' : 'changed';
  return { field, before, after: { kind: 'known', value: afterValue }, status, elements };
}

/**
 * The diff of an update against the state rebuilt from the events before it.
 * `earlier` may hold any events: only those of the same resource that happened
 * strictly before `target` are used. Returns undefined for an event that sets
 * no fields (a deletion, a login, an update without a payload).
 */
export function diffChanges(target: AuditEvent, earlier: readonly AuditEvent[]): ChangeDiff | undefined {
  const change = stateChangeOf(target);
  if (change.role !== 'updated') return undefined;
  if (Object.keys(change.set).length === 0 && Object.keys(change.arrayOps).length === 0) return undefined;
  const resourceId = resourceIdOf(target);
  const prior =
    resourceId === undefined
      ? []
      : oldestFirst(earlier.filter((e) => e.id !== target.id && e.effective_at < target.effective_at && resourceIdOf(e) === resourceId));
  const state = prior.reduce(applyEvent, EMPTY_STATE);
  const rows: FieldDiff[] = [];
  for (const [field, value] of Object.entries(change.set)) rows.push(rowForSet(field, beforeOf(state, field), value));
  for (const [field, ops] of Object.entries(change.arrayOps)) rows.push(rowForOps(field, state, ops));
  return {
    eventId: target.id,
    ...(resourceId !== undefined ? { resourceId } : {}),
    fromCreation: state.createdBy !== undefined,
    basedOn: prior.map((e) => e.id),
    rows,
  };
}

/** True when an event's diff needs the resource's earlier events (it is an update of a named resource). */
export function needsPriorEvents(event: AuditEvent): boolean {
  return eventRole(event.type) === 'updated' && resourceIdOf(event) !== undefined;
}

/**
 * A JSON view of a state for the diff editor: known fields by value, fields
 * outside the history as the "unknown" text, partial arrays as what is known.
 */
export function stateToJson(state: ResourceState, onlyFields?: readonly string[]): JsonObject {
  const out: JsonObject = {};
  const names = onlyFields ?? [...state.fields.keys()];
  for (const name of names) {
    const f = state.fields.get(name);
    if (f?.kind === 'known') put(out, name, f.value);
    else if (f?.kind === 'partial') put(out, name, { [UNKNOWN_BEFORE_TEXT]: true, added_since: f.present, removed_since: f.absent });
    else if (state.createdBy === undefined) put(out, name, UNKNOWN_BEFORE_TEXT);
  }
  return out;
}

/**
 * The before and after documents of a diff (only the fields the update touched),
 * for VS Code's diff editor. Unknown values are spelled out, never guessed.
 */
export function diffDocuments(diff: ChangeDiff): { before: JsonObject; after: JsonObject } {
  const before: JsonObject = {};
  const after: JsonObject = {};
  for (const row of diff.rows) {
    if (row.before.kind === 'known') put(before, row.field, row.before.value);
    else if (row.before.kind === 'unknown') put(before, row.field, UNKNOWN_BEFORE_TEXT);
    if (row.after.kind === 'known') put(after, row.field, row.after.value);
    else {
      put(after, row.field, {
        [UNKNOWN_BEFORE_TEXT]: true,
        added: (row.elements ?? []).filter((e) => e.status === 'added').map((e) => e.value),
        removed: (row.elements ?? []).filter((e) => e.status === 'removed').map((e) => e.value),
      });
    }
  }
  return { before, after };
}
