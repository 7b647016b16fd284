/**
 * Names for the ids in a filter, from the events a window already holds, so
 * a summary reads "project Atlas Core" rather than "project proj_Y9aI…".
 * One newest event per id answers it (a bounded read, not a scan); an id no
 * event names stays an id. Names come from the wire: one safe line each.
 */
import type { AuditLogQuery } from '../api/query';
import { describeActor, projectOf, type AuditEvent, type ParsedEvent } from '../model';
import { clip } from '../text/oneLine';

/** What the filter summaries show in place of an id, when it is known. */
export interface FilterNames {
  project?(id: string): string | undefined;
  actor?(id: string): string | undefined;
}

/** Anything that lists events by query, newest first (the archive). */
export interface NamedEventSource {
  events(query: AuditLogQuery, options: { limit: number }): readonly ParsedEvent[];
}

const NAME_MAX = 60;
/** A name found stays this long: the tree and the view's description ask on every refresh, and a sync refreshes often. */
const KEEP_MS = 10_000;
const found = new WeakMap<NamedEventSource, Map<string, { name: string; at: number }>>();

/** Names looked up in `source`: each id at most once per returned object, a found name reused for {@link KEEP_MS}. */
export function archiveFilterNames(source: NamedEventSource | undefined, nowMs = Date.now()): FilterNames | undefined {
  if (!source) return undefined;
  let cache = found.get(source);
  if (!cache) found.set(source, (cache = new Map()));
  const memo = new Map<string, string | undefined>();
  const look = (key: string, query: AuditLogQuery, pick: (e: AuditEvent) => string | undefined): string | undefined => {
    const hit = cache.get(key);
    if (hit && nowMs - hit.at < KEEP_MS) return hit.name;
    if (!memo.has(key)) {
      let name: string | undefined;
      try {
        const newest = source.events(query, { limit: 1 })[0];
        name = newest ? pick(newest.event) : undefined;
      } catch {
        name = undefined;
      }
      const clean = name === undefined ? undefined : clip(name, NAME_MAX) || undefined;
      memo.set(key, clean);
      if (clean !== undefined) cache.set(key, { name: clean, at: nowMs });
    }
    return memo.get(key);
  };
  return {
    project: (id) => look(`project:${id}`, { projectIds: [id] }, (e) => {
      const p = projectOf(e);
      return p?.id === id ? p.name : undefined;
    }),
    // A user's email for a user id; a key or service account has no other name than its id.
    actor: (id) => look(`actor:${id}`, { actorIds: [id] }, (e) => {
      const a = describeActor(e);
      return a.userId === id ? a.email : undefined;
    }),
  };
}
