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
import { boundDepth, TOO_DEEP_TEXT } from '../text/valueDepth';
import { canonicalJson } from './canonicalJson';

export { canonicalJson };

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

/**
 * Nested objects are diffed field by field, down to this depth; deeper
 * objects are compared as whole values.
 */
export const MAX_FIELD_DEPTH = 8;

/**
 * The name of a (possibly nested) field: its path joined with dots, as in
 * `settings.threads_ui_visibility`. A key that contains a dot, starts with a
 * quote or is empty is written as a JSON string (`"a.b"`), so a hostile key
 * can never pass for a nested path: every name maps back to one path.
 */
export function fieldKey(path: readonly string[]): string {
  return path.map((seg) => (seg === '' || seg.includes('.') || seg.startsWith('"') ? JSON.stringify(seg) : seg)).join('.');
}

/** The path of a field name made by {@link fieldKey}. */
export function fieldPath(key: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= key.length) {
    if (key[i] === '"') {
      let j = i + 1;
      while (j < key.length && key[j] !== '"') j += key[j] === '\\' ? 2 : 1;
      out.push(JSON.parse(key.slice(i, j + 1)) as string);
      i = j + 2; // past the closing quote and the dot
    } else {
      const dot = key.indexOf('.', i);
      const end = dot < 0 ? key.length : dot;
      out.push(key.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** The leaves of a payload: nested objects are walked, everything else (arrays, scalars, `{}`) is a leaf. */
function leavesOf(payload: JsonObject, prefix: readonly string[] = []): [string[], unknown][] {
  const out: [string[], unknown][] = [];
  for (const [key, value] of Object.entries(payload)) {
    const path = [...prefix, key];
    if (isObject(value) && Object.keys(value).length > 0 && path.length < MAX_FIELD_DEPTH) out.push(...leavesOf(value, path));
    else out.push([path, value]);
  }
  return out;
}

function splitPayload(payload: JsonObject): { set: Record<string, unknown>; arrayOps: Record<string, ArrayOps> } {
  const set: Record<string, unknown> = {};
  const ops = new Map<string, { added: unknown[]; removed: unknown[] }>();
  for (const [path, value] of leavesOf(payload)) {
    const m = ARRAY_OP.exec(path[path.length - 1]);
    if (m && Array.isArray(value)) {
      const field = fieldKey([...path.slice(0, -1), m[1]]);
      let op = ops.get(field);
      if (!op) ops.set(field, (op = { added: [], removed: [] }));
      op[m[2] as 'added' | 'removed'].push(...value);
    } else {
      put(set, fieldKey(path), value);
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

/**
 * Whether an event has changes to show: an update that sets at least one
 * field, from its `changes_requested` or, without one, its detail's own
 * fields (`ip_allowlist.updated`). The one decision behind the tree's Show
 * Changes, the panel's diff section and its Open in Diff Editor.
 */
export function hasChanges(event: AuditEvent): boolean {
  const change = stateChangeOf(event);
  return change.role === 'updated' && (Object.keys(change.set).length > 0 || Object.keys(change.arrayOps).length > 0);
}

/** The state of a resource after a sequence of its events. */
export interface ResourceState {
  /** The creation event, when the retained history reaches back to it. */
  readonly createdBy?: string;
  /** The deletion event, if the resource was deleted. */
  readonly deletedBy?: string;
  readonly fields: ReadonlyMap<string, FieldState>;
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

/**
 * A field set as a whole replaces what was known inside it (`settings` set to
 * null forgets `settings.a`), and a nested field set inside what was a plain
 * value replaces that value (`settings.a` set where `settings` was null).
 * Names are prefixes of each other at a dot exactly when their paths are.
 */
function clearOverlaps(fields: Map<string, FieldState>, field: string): void {
  for (const key of [...fields.keys()]) {
    if (key.startsWith(`${field}.`) || field.startsWith(`${key}.`)) fields.delete(key);
  }
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
    clearOverlaps(fields, field);
    fields.set(field, { kind: 'known', value, source: event.id });
  }
  for (const [field, ops] of Object.entries(change.arrayOps)) {
    clearOverlaps(fields, field);
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
  if (f === undefined && state.createdBy !== undefined) {
    // A whole object replaced: known when every field inside it is.
    const inside = [...state.fields.entries()].filter(([k]) => k.startsWith(`${field}.`));
    if (inside.length > 0 && inside.every(([, v]) => v.kind === 'known')) {
      const value: JsonObject = {};
      const depth = fieldPath(field).length;
      for (const [k, v] of inside) putPath(value, fieldPath(k).slice(depth), (v as { value: unknown }).value);
      return { kind: 'known', value, source: inside[inside.length - 1][1].source };
    }
  }
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
 * The events of `target`'s resource that happened before it, oldest first.
 *
 * `eventsInApiOrder` is a list as the API returns it (newest first, a stable
 * order among equal times), e.g. fetched with `effective_at[lte]=<time>`. An
 * event of an earlier second came before `target`; an event of the same
 * second came before it exactly when the list shows it after `target` (the
 * API lists the older of two same-second events later). Without `target` in
 * the list the order within its second is unknown, so those are left out.
 */
export function priorEvents(target: AuditEvent, eventsInApiOrder: readonly AuditEvent[]): AuditEvent[] {
  const resourceId = resourceIdOf(target);
  if (resourceId === undefined) return [];
  const at = eventsInApiOrder.findIndex((e) => e.id === target.id);
  const seen = new Set<string>([target.id]);
  const prior: AuditEvent[] = [];
  eventsInApiOrder.forEach((e, i) => {
    if (seen.has(e.id) || resourceIdOf(e) !== resourceId) return;
    const before = e.effective_at < target.effective_at || (e.effective_at === target.effective_at && at >= 0 && i > at);
    if (!before) return;
    seen.add(e.id);
    prior.push(e);
  });
  return oldestFirst(prior);
}

/**
 * The diff of an update against the state rebuilt from the events before it
 * (see {@link priorEvents}: pass events in the API's order; any others are
 * ignored). Returns undefined for an event that sets no fields (a deletion, a
 * login, an update without a payload).
 */
export function diffChanges(target: AuditEvent, eventsInApiOrder: readonly AuditEvent[]): ChangeDiff | undefined {
  if (!hasChanges(target)) return undefined;
  const change = stateChangeOf(target);
  const resourceId = resourceIdOf(target);
  const prior = priorEvents(target, eventsInApiOrder);
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
    if (f?.kind === 'known') putPath(out, fieldPath(name), f.value);
    else if (f?.kind === 'partial') putPath(out, fieldPath(name), { [UNKNOWN_BEFORE_TEXT]: true, added_since: f.present, removed_since: f.absent });
    else if (state.createdBy === undefined) putPath(out, fieldPath(name), UNKNOWN_BEFORE_TEXT);
  }
  return out;
}

/** Sets a value at a path of nested objects, making (or replacing non-objects with) the objects on the way. */
function putPath(target: JsonObject, path: readonly string[], value: unknown): void {
  let at = target;
  for (const seg of path.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(at, seg) ? at[seg] : undefined;
    if (isObject(next)) {
      at = next;
    } else {
      const made: JsonObject = {};
      put(at, seg, made);
      at = made;
    }
  }
  put(at, path[path.length - 1], value);
}

/**
 * The before and after documents of a diff (only the fields the update touched),
 * for VS Code's diff editor. Unknown values are spelled out, never guessed.
 */
export function diffDocuments(diff: ChangeDiff): { before: JsonObject; after: JsonObject } {
  const { before, after } = rawDiffDocuments(diff);
  // Shown as JSON text: nesting past the display bound is spelled out, not serialized.
  return { before: boundObject(before), after: boundObject(after) };
}

function boundObject(doc: JsonObject): JsonObject {
  const bounded = boundDepth(doc);
  return isObject(bounded) ? bounded : { [TOO_DEEP_TEXT]: true };
}

function rawDiffDocuments(diff: ChangeDiff): { before: JsonObject; after: JsonObject } {
  const before: JsonObject = {};
  const after: JsonObject = {};
  for (const row of diff.rows) {
    const path = fieldPath(row.field);
    if (row.before.kind === 'known') putPath(before, path, row.before.value);
    else if (row.before.kind === 'unknown') putPath(before, path, UNKNOWN_BEFORE_TEXT);
    if (row.after.kind === 'known') putPath(after, path, row.after.value);
    else {
      putPath(after, path, {
        [UNKNOWN_BEFORE_TEXT]: true,
        added: (row.elements ?? []).filter((e) => e.status === 'added').map((e) => e.value),
        removed: (row.elements ?? []).filter((e) => e.status === 'removed').map((e) => e.value),
      });
    }
  }
  return { before, after };
}
