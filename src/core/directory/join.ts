/**
 * The names of an event's ids, from the directory: the actor (user, key, service account), the project,
 * the resource and any id in the detail (`principal_id`, `role_id`, …). The event's own fields win: an id
 * whose name the event already carries is not joined, and a directory name is marked `now` unless the event
 * itself holds that same name (it is the name at refresh time, which may differ from the event's).
 */
import { describeActor, eventDetail, projectOf, resourceId, type AuditEvent } from '../model';
import type { DirectoryName, DirectoryNames } from './names';

export type JoinedRole = 'actor' | 'apiKey' | 'serviceAccount' | 'project' | 'resource' | 'detail';

export interface JoinedName extends DirectoryName {
  /** Where the id is in the event. */
  readonly role: JoinedRole;
  /** The directory's name now, which may differ from the name at the event's time. */
  readonly now: boolean;
}

const MAX_STRINGS = 200;

/** Short strings of a value, depth-first and bounded (the detail can be anything the API sends). */
function strings(value: unknown, out: string[], depth = 0): void {
  if (out.length >= MAX_STRINGS || depth > 4) return;
  if (typeof value === 'string') {
    if (value.length <= 200) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) strings(v, out, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) strings(v, out, depth + 1);
  }
}

export function joinEvent(e: AuditEvent, names: DirectoryNames): JoinedName[] {
  if (names.size === 0) return [];
  const own: string[] = [];
  strings(e, own);
  const carried = new Set(own);
  const out: JoinedName[] = [];
  const seen = new Set<string>();
  const add = (id: string | undefined, role: JoinedRole): void => {
    if (id === undefined || seen.has(id)) return;
    const n = names.lookup(id);
    if (!n) return;
    seen.add(id);
    out.push({ ...n, role, now: !carried.has(n.name) });
  };
  const actor = describeActor(e);
  add(actor.userId, 'actor');
  add(actor.apiKeyId, 'apiKey');
  add(actor.serviceAccountId, 'serviceAccount');
  const project = projectOf(e);
  // The event names its project at the event's time: that wins, the directory adds nothing.
  if (project?.id !== undefined && !project.name) add(project.id, 'project');
  else if (project?.id !== undefined) seen.add(project.id);
  add(resourceId(e), 'resource');
  const inDetail: string[] = [];
  strings(eventDetail(e), inDetail);
  for (const s of inDetail) add(s, 'detail');
  return out;
}

/** The name to show in place of `id` in a short row, with whether it is the directory's name now. */
export function shownName(id: string | undefined, names: DirectoryNames, e?: AuditEvent): { text: string; now: boolean } | undefined {
  const n = names.lookup(id);
  if (!n) return undefined;
  if (!e) return { text: n.name, now: true };
  const own: string[] = [];
  strings(e, own);
  return { text: n.name, now: !own.includes(n.name) };
}
