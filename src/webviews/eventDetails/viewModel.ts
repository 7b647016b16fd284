/**
 * Event → what the page shows. Plain data: values stay JSON values, and the
 * page turns every string into text nodes. No VS Code here. Every value is
 * bounded in depth (core/text/valueDepth.ts): nesting the parser accepts
 * must neither overflow the message serializer nor the page's renderer.
 */
import { diffChanges, hasChanges, needsPriorEvents, type ChangeDiff } from '../../core/analysis/changes';
import type { ResourceHistory } from '../../core/analysis/resourceHistory';
import { describeActor, eventDetail, isKnownEventType, projectOf, resourceId, type AuditEvent, type ParsedEvent } from '../../core/model';
import { boundDepth } from '../../core/text/valueDepth';
import { currentDirectoryNames, joinEvent, shownName, type DirectoryNames } from '../../core/directory';
import type { ChangesView, EventView, HistoryView } from './protocol';

const ENVELOPE_KEYS = new Set(['id', 'type', 'effective_at', 'actor', 'project', 'object']);

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function toEventView(parsed: ParsedEvent, names: DirectoryNames = currentDirectoryNames()): EventView {
  const e = parsed.event;
  const actor = describeActor(e);
  const project = projectOf(e);
  const rid = resourceId(e);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (!ENVELOPE_KEYS.has(k) && k !== e.type) Object.defineProperty(extra, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return defined({
    id: e.id,
    type: e.type,
    effectiveAt: e.effective_at,
    knownType: isKnownEventType(e.type),
    actor: defined({
      kind: actor.kind,
      label: actor.label,
      email: actor.email,
      userId: actor.userId,
      apiKeyId: actor.apiKeyId,
      serviceAccountId: actor.serviceAccountId,
      ipAddress: actor.ipAddress,
      userAgent: actor.userAgent,
      location: actor.location,
    }),
    project: project ? defined({ id: project.id, name: project.name }) : undefined,
    resourceId: rid,
    detail: boundDepth(eventDetail(e) ?? (Object.prototype.hasOwnProperty.call(e, e.type) ? e[e.type] : null)),
    extra: boundDepth(extra) as Record<string, unknown>,
    warnings: [...(parsed.warnings ?? [])],
    hasChanges: hasChanges(e),
    names: directoryNamesOf(e, names),
  });
}

/** The directory's names of the event's ids (issue 15): the event's own names win, see joinEvent. */
function directoryNamesOf(e: AuditEvent, names: DirectoryNames): EventView['names'] {
  const joined = joinEvent(e, names);
  return joined.length === 0 ? undefined : joined.map((n) => defined({ id: n.id, role: n.role, name: n.name, detail: n.detail, now: n.now }));
}

/** A history row's actor: the directory's name in place of an id (a key, a service account), else the label. */
function historyActor(e: AuditEvent): string {
  const label = describeActor(e).label;
  const n = shownName(label, currentDirectoryNames(), e);
  return n === undefined ? label : n.now ? `${n.text} (now)` : n.text;
}

export function changesView(diff: ChangeDiff | undefined, note?: string): ChangesView {
  if (!diff) return { state: 'none' };
  return {
    state: 'ready',
    fromCreation: diff.fromCreation,
    basedOn: [...diff.basedOn],
    rows: diff.rows.map(({ elements, before, after, ...r }) => ({
      ...r,
      before: before.kind === 'known' ? { ...before, value: boundDepth(before.value) } : before,
      after: after.kind === 'known' ? { ...after, value: boundDepth(after.value) } : after,
      ...(elements ? { elements: elements.map((el) => ({ ...el, value: boundDepth(el.value) })) } : {}),
    })),
    ...(note !== undefined ? { note } : {}),
  };
}

/**
 * The diff of an event against earlier events, or (when those could not be
 * fetched) against nothing: every before is then unknown, never guessed.
 * `note` (localized by the caller) says why the earlier events are missing.
 */
export function computeChanges(target: AuditEvent, earlier: readonly AuditEvent[] | undefined, note?: string): ChangesView {
  if (!hasChanges(target)) return { state: 'none' };
  if (earlier === undefined) return changesView(diffChanges(target, []), note);
  return changesView(diffChanges(target, earlier));
}

export { needsPriorEvents };

export function historyView(history: ResourceHistory, currentId: string, truncated: boolean): HistoryView {
  return {
    state: 'ready',
    resourceId: history.resourceId,
    fromCreation: history.fromCreation,
    truncated,
    entries: history.entries.map((h) => ({
      id: h.event.id,
      type: h.event.type,
      effectiveAt: h.event.effective_at,
      actor: historyActor(h.event),
      role: h.role,
      changedFields: [...h.changedFields],
      stateAfter: boundStateAfter(h.stateAfter),
      current: h.event.id === currentId,
    })),
  };
}

function boundStateAfter(state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) Object.defineProperty(out, k, { value: boundDepth(v), enumerable: true, writable: true, configurable: true });
  return out;
}
