/**
 * The loopback server's events: sorted once in list order (newest first,
 * `effective_at` descending, then `id` descending by plain string comparison),
 * serialized once, and indexed by what the list filters on.
 */
import { isTenantScopedEventType, type ListQuery } from './loopbackQuery';

interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly effectiveAt: number;
  readonly json: string;
  readonly projectId: string | undefined;
  readonly actorIds: readonly string[];
  readonly actorEmails: readonly string[];
  readonly resourceId: string | undefined;
  readonly tenantScoped: boolean;
}

/** One page of a list request: the events' JSON texts in list order. */
export interface ListedPage {
  readonly ids: readonly string[];
  readonly json: readonly string[];
  readonly hasMore: boolean;
}

export class LoopbackEventIndex {
  private readonly stored: StoredEvent[];
  private readonly positions = new Map<string, number>();

  /** Each event needs a unique string `id`, a string `type` and an integer `effective_at`. */
  constructor(events: readonly object[]) {
    const stored = events.map(toStored);
    stored.sort((a, b) => (a.effectiveAt !== b.effectiveAt ? b.effectiveAt - a.effectiveAt : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    stored.forEach((e, i) => {
      if (this.positions.has(e.id)) throw new TypeError(`duplicate event id ${e.id}`);
      this.positions.set(e.id, i);
    });
    this.stored = stored;
  }

  get size(): number {
    return this.stored.length;
  }

  /** The ids, in list order (newest first). */
  ids(): string[] {
    return this.stored.map((e) => e.id);
  }

  has(id: string): boolean {
    return this.positions.has(id);
  }

  /** The page `q` asks for; tenant-scoped events only with `tenant_only`, or hidden without it when `tenantNeedsTenantOnly`. */
  list(q: ListQuery, tenantNeedsTenantOnly: boolean): ListedPage {
    const events = this.stored;
    // [lo, hi): the slice inside the time range (the list is sorted by effective_at descending).
    const upper = Math.min(q.lt !== undefined ? q.lt - 1 : Infinity, q.lte ?? Infinity);
    const lower = Math.max(q.gt !== undefined ? q.gt + 1 : -Infinity, q.gte ?? -Infinity);
    let lo = firstIndex(events, (e) => e.effectiveAt <= upper);
    let hi = firstIndex(events, (e) => e.effectiveAt < lower);
    const match = (e: StoredEvent) => matches(e, q, tenantNeedsTenantOnly);
    const page: StoredEvent[] = [];
    if (q.before !== undefined) {
      hi = Math.min(hi, this.positions.get(q.before) as number);
      for (let i = hi - 1; i >= lo && page.length <= q.limit; i--) {
        const e = events[i] as StoredEvent;
        if (match(e)) page.push(e);
      }
      return pageOf(page, q.limit, true);
    }
    if (q.after !== undefined) lo = Math.max(lo, (this.positions.get(q.after) as number) + 1);
    for (let i = lo; i < hi && page.length <= q.limit; i++) {
      const e = events[i] as StoredEvent;
      if (match(e)) page.push(e);
    }
    return pageOf(page, q.limit, false);
  }
}

/** `found` holds up to `limit + 1` events (one more says there are more); `reversed` when collected oldest first. */
function pageOf(found: StoredEvent[], limit: number, reversed: boolean): ListedPage {
  const hasMore = found.length > limit;
  if (hasMore) found.length = limit;
  if (reversed) found.reverse();
  return { ids: found.map((e) => e.id), json: found.map((e) => e.json), hasMore };
}

function matches(e: StoredEvent, q: ListQuery, tenantNeedsTenantOnly: boolean): boolean {
  if (q.tenantOnly ? !e.tenantScoped : tenantNeedsTenantOnly && e.tenantScoped) return false;
  if (q.eventTypes && !q.eventTypes.has(e.type)) return false;
  if (q.projectIds && (e.projectId === undefined || !q.projectIds.has(e.projectId))) return false;
  if (q.resourceIds && (e.resourceId === undefined || !q.resourceIds.has(e.resourceId))) return false;
  if (q.actorIds && !e.actorIds.some((id) => q.actorIds!.has(id))) return false;
  if (q.actorEmails && !e.actorEmails.some((m) => q.actorEmails!.has(m))) return false;
  return true;
}

/** The first index whose event satisfies `pred`, for a predicate that is false then true along the list. */
function firstIndex(events: readonly StoredEvent[], pred: (e: StoredEvent) => boolean): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(events[mid] as StoredEvent)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function toStored(event: object): StoredEvent {
  const e = event as Json;
  const id = e.id;
  const type = e.type;
  const effectiveAt = e.effective_at;
  if (typeof id !== 'string' || typeof type !== 'string' || typeof effectiveAt !== 'number' || !Number.isInteger(effectiveAt)) {
    throw new TypeError('every event needs a string id, a string type and an integer effective_at');
  }
  const actorIds: string[] = [];
  const actorEmails: string[] = [];
  const actor = asObject(e.actor);
  const session = asObject(actor?.session);
  const apiKey = asObject(actor?.api_key);
  for (const user of [asObject(session?.user), asObject(apiKey?.user)]) {
    const uid = asString(user?.id);
    const email = asString(user?.email);
    if (uid !== undefined) actorIds.push(uid);
    if (email !== undefined) actorEmails.push(email);
  }
  const keyId = asString(apiKey?.id);
  if (keyId !== undefined) actorIds.push(keyId);
  const saId = asString(asObject(apiKey?.service_account)?.id);
  if (saId !== undefined) actorIds.push(saId);
  return {
    id,
    type,
    effectiveAt,
    json: JSON.stringify(event),
    projectId: asString(asObject(e.project)?.id),
    actorIds,
    actorEmails,
    resourceId: asString(asObject(e[type])?.id),
    tenantScoped: isTenantScopedEventType(type),
  };
}
