/**
 * The header values of the details panel that are actions ("pivots"): the
 * actor, the IP, the project, the resource and the API key id. Filtering the
 * Events view to one, copying it, or searching for it. No VS Code here: the
 * host side (pivotActions.ts) runs what this decides, and the page only ever
 * names a pivot; the host checks it against the event it shows.
 */
import { normalizeFilters, type EventFilters } from '../../core/analysis/filters';
import { describeActor, projectOf, resourceId, type AuditEvent } from '../../core/model';
import type { PivotAction, PivotTarget, PivotView } from './protocol';

export interface Pivot {
  readonly target: PivotTarget;
  /** The exact value from the event (an email or id, an IP, a project id, a resource id, a key id). */
  readonly value: string;
}

/** What the host can do right now: the store's query filter and the search command may not exist. */
export interface PivotCapabilities {
  /** The store can filter the Events view at all. */
  readonly filter: boolean;
  /** `openaiAuditLogs.search` is registered. */
  readonly search: boolean;
}

/** The header's pivots of an event, in the order the header shows them. */
export function pivotsOf(e: AuditEvent): Pivot[] {
  const out: Pivot[] = [];
  const push = (target: PivotTarget, value: string | undefined): void => {
    if (value !== undefined && value !== '' && !out.some((p) => p.target === target && p.value === value)) out.push({ target, value });
  };
  const actor = describeActor(e);
  push('actor', actor.email ?? actor.actorId);
  push('apiKey', actor.apiKeyId);
  push('ip', actor.ipAddress);
  push('project', projectOf(e)?.id);
  push('resource', resourceId(e));
  return out;
}

/** The actions a pivot offers (always copy; filter and search when the host can). */
export function pivotActions(caps: PivotCapabilities): PivotAction[] {
  const actions: PivotAction[] = [];
  if (caps.filter) actions.push('filter');
  actions.push('copy');
  if (caps.search) actions.push('search');
  return actions;
}

export function pivotViews(e: AuditEvent, caps: PivotCapabilities): PivotView[] {
  return pivotsOf(e).map((p) => ({ target: p.target, value: p.value, actions: pivotActions(caps) }));
}

/**
 * The pivot the page asked for, only when the shown event really has it and
 * it offers that action: the page's message is untrusted, so a value it
 * names that is not in the event is refused.
 */
export function checkPivot(e: AuditEvent, target: PivotTarget, value: string, action: PivotAction, caps: PivotCapabilities): Pivot | undefined {
  const pivot = pivotsOf(e).find((p) => p.target === target && p.value === value);
  return pivot && pivotActions(caps).includes(action) ? pivot : undefined;
}

/** The query language's field for each pivot (src/core/query/fields.ts) (`actor:`, `key:`, `ip:`, `project:`, `resource:`). */
const SEARCH_FIELD: Record<PivotTarget, string> = { actor: 'actor', apiKey: 'key', ip: 'ip', project: 'project', resource: 'resource' };

/** A value as one query term: bare when it is a plain word, else double-quoted with `"` and `\` escaped (parser.ts). */
function term(field: string, value: string): string {
  return /^[\w.@+-]+$/.test(value) ? `${field}:${value}` : `${field}:"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function searchQueryOf(pivot: Pivot): string {
  return term(SEARCH_FIELD[pivot.target], pivot.value);
}

/**
 * The Events view's filters narrowed to a pivot: the pivot's dimension is
 * replaced by its value (an actor replaces both the actor ids and emails), the
 * others (time range, types…) stay. An IP (no list filter of the API has
 * it) goes into the search query (src/core/query), ANDed to a query already there.
 */
export function filtersForPivot(filters: EventFilters, pivot: Pivot, actorEmail?: string): EventFilters {
  const f: { -readonly [K in keyof EventFilters]: EventFilters[K] } = { ...filters };
  switch (pivot.target) {
    case 'actor':
    case 'apiKey':
      delete f.actorEmails;
      delete f.actorIds;
      if (pivot.target === 'actor' && pivot.value === actorEmail) f.actorEmails = [pivot.value];
      else f.actorIds = [pivot.value];
      break;
    case 'project':
      f.projectIds = [pivot.value];
      break;
    case 'resource':
      f.resourceIds = [pivot.value];
      break;
    case 'ip': {
      const existing = f.query?.trim() ?? '';
      const ip = term('ip', pivot.value);
      f.query = existing === '' ? ip : existing.includes(ip) ? existing : `${existing} ${ip}`;
      break;
    }
  }
  return normalizeFilters(f);
}
