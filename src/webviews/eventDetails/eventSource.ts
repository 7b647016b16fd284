/**
 * Where the details panel, the JSON documents and the diff editor get events:
 * first the explorer's store (what is loaded), then the current client (live
 * API or sample organization). Narrow on purpose: the store of the explorer
 * satisfies these interfaces structurally, and tests can hand in their own.
 */
import type { ParsedEvent } from '../../core/model';
import { resourceIdOf } from '../../core/analysis/changes';

/** The part of an audit-log query this feature sends (a subset of the API layer's AuditLogQuery). */
export interface EventQuery {
  readonly effectiveAt?: { readonly gt?: number; readonly gte?: number; readonly lt?: number; readonly lte?: number };
  readonly eventTypes?: readonly string[];
  readonly resourceIds?: readonly string[];
  readonly limit?: number;
}

export interface EventClient {
  events(query: EventQuery, options?: { signal?: AbortSignal; maxPages?: number }): AsyncIterable<ParsedEvent>;
}

/** What this feature needs of the explorer's event store. */
export interface EventStoreLike {
  getEvent(id: string): ParsedEvent | undefined;
  /** The newest loaded events matching the view's filters, at most `limit` (for the event picker). */
  recent?(limit: number): readonly ParsedEvent[];
  /** Loaded events of one resource, newest first (no network; used to show a diff before a fetch returns). */
  loadedOfResource?(resourceId: string): readonly ParsedEvent[];
  /**
   * A resource's events newest first when the store holds its whole history up to `upTo` (then no
   * request is needed); undefined when the API must be asked.
   */
  resourceHistory?(resourceId: string, upTo?: number): readonly ParsedEvent[] | undefined;
  /** The client of the current source; the store resolves where the key comes from before it answers. */
  client(): Promise<EventClient> | EventClient;
}

/** Events the event picker offers at most. */
const PICKER_LIMIT = 500;

/** Upper bound on one resource's fetched history (pages of 100). */
export const MAX_HISTORY_PAGES = 10;
const PAGE_SIZE = 100;

/** A resource's events as far as fetched: newest first, like the API. */
export interface FetchedResourceEvents {
  readonly events: readonly ParsedEvent[];
  /** True when the fetch stopped at MAX_HISTORY_PAGES with more left. */
  readonly truncated: boolean;
}

/** What identifies an event well enough to fetch it again (the API has no get-by-id). */
export interface EventLocator {
  readonly eventId: string;
  readonly effectiveAt: number;
  readonly type: string;
}

export class EventSource {
  /** Events this feature fetched itself (restored panels, resource histories). */
  private readonly fetched = new Map<string, ParsedEvent>();
  /** Per resource: the fetch of its whole history, shared by every panel. */
  private readonly histories = new Map<string, Promise<FetchedResourceEvents>>();

  constructor(private readonly store: EventStoreLike) {}

  get(id: string): ParsedEvent | undefined {
    return this.store.getEvent(id) ?? this.fetched.get(id);
  }

  /** True when the explorer's store holds the event (its copy commands know it). */
  isInStore(id: string): boolean {
    return this.store.getEvent(id) !== undefined;
  }

  /** The store's loaded events, newest first. */
  loaded(): readonly ParsedEvent[] {
    return this.store.recent?.(PICKER_LIMIT) ?? [];
  }

  /** The newest events (one page), for a picker when nothing is loaded yet. */
  async newest(limit: number, signal?: AbortSignal): Promise<ParsedEvent[]> {
    const client = await this.client();
    const out: ParsedEvent[] = [];
    for await (const p of client.events({ limit: Math.min(limit, PAGE_SIZE) }, { ...(signal ? { signal } : {}), maxPages: 1 })) {
      out.push(p);
      if (!this.store.getEvent(p.event.id)) this.fetched.set(p.event.id, p);
    }
    return out;
  }

  /** Loaded events of one resource (no network), newest first. */
  loadedOfResource(resourceId: string): ParsedEvent[] {
    const out = new Map<string, ParsedEvent>();
    for (const p of this.store.loadedOfResource?.(resourceId) ?? []) out.set(p.event.id, p);
    for (const p of this.fetched.values()) if (resourceIdOf(p.event) === resourceId && !out.has(p.event.id)) out.set(p.event.id, p);
    return [...out.values()].sort((a, b) => b.event.effective_at - a.event.effective_at);
  }

  /**
   * Fetches an event again from its id, time and type:
   * `effective_at[gte]=[lte]=t&event_types[]=type`, then picks the id.
   * `fresh` skips what is already loaded (a restored panel shows the
   * event as the API has it now).
   */
  async refetch(locator: EventLocator, options: { signal?: AbortSignal; fresh?: boolean } = {}): Promise<ParsedEvent | undefined> {
    const { signal, fresh = false } = options;
    const known = fresh ? undefined : this.get(locator.eventId);
    if (known) return known;
    const client = await this.client();
    const query: EventQuery = {
      effectiveAt: { gte: locator.effectiveAt, lte: locator.effectiveAt },
      eventTypes: [locator.type],
      limit: PAGE_SIZE,
    };
    for await (const p of client.events(query, { ...(signal ? { signal } : {}), maxPages: MAX_HISTORY_PAGES })) {
      if (p.event.id === locator.eventId) {
        this.fetched.set(p.event.id, p);
        return p;
      }
    }
    return undefined;
  }

  /**
   * Every event of a resource (`resource_ids[]=<id>`), fetched once per
   * session and shared; `upTo` narrows it with `effective_at[lte]` when the
   * whole history is not needed and not already fetched. The bound is
   * inclusive on purpose: events of the same second as the one being
   * explained may precede it, and only the API's order among them (kept in
   * the result) tells which (see priorEvents in core/analysis/changes).
   */
  async resourceEvents(resourceId: string, options: { upTo?: number; signal?: AbortSignal } = {}): Promise<FetchedResourceEvents> {
    const whole = this.histories.get(resourceId);
    if (whole) return narrow(await whole, options.upTo);
    const archived = this.store.resourceHistory?.(resourceId, options.upTo);
    if (archived) return { events: archived, truncated: false };
    if (options.upTo !== undefined) {
      return this.fetchResource(resourceId, { lte: options.upTo }, options.signal);
    }
    const pending = this.fetchResource(resourceId, undefined, options.signal);
    this.histories.set(resourceId, pending);
    pending.catch(() => this.histories.delete(resourceId));
    return pending;
  }

  private async client(): Promise<EventClient> {
    return this.store.client();
  }

  /** Forgets fetched histories (after a refresh or a change of source). */
  clear(): void {
    this.histories.clear();
    this.fetched.clear();
  }

  private async fetchResource(resourceId: string, effectiveAt: EventQuery['effectiveAt'], signal?: AbortSignal): Promise<FetchedResourceEvents> {
    const client = await this.client();
    const query: EventQuery = { resourceIds: [resourceId], limit: PAGE_SIZE, ...(effectiveAt ? { effectiveAt } : {}) };
    const events: ParsedEvent[] = [];
    const seen = new Set<string>();
    let truncated = false;
    for await (const p of client.events(query, { ...(signal ? { signal } : {}), maxPages: MAX_HISTORY_PAGES + 1 })) {
      if (events.length >= MAX_HISTORY_PAGES * PAGE_SIZE) {
        truncated = true;
        break;
      }
      if (seen.has(p.event.id)) continue;
      seen.add(p.event.id);
      events.push(p);
      if (!this.store.getEvent(p.event.id)) this.fetched.set(p.event.id, p);
    }
    return { events, truncated };
  }
}

function narrow(all: FetchedResourceEvents, upTo: number | undefined): FetchedResourceEvents {
  if (upTo === undefined) return all;
  return { events: all.events.filter((p) => p.event.effective_at <= upTo), truncated: all.truncated };
}
