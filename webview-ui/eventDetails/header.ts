/** The panel's header: the type, the toolbar, and the facts (time, actor, project, resource, event). */
import type { EventView, PivotTarget } from '../../src/webviews/eventDetails/protocol';
import { el, fmt, S, send, toolButton } from './dom';
import { pivotPart } from './pivotMenu';

// ---- time -------------------------------------------------------------------

function relative(seconds: number): string {
  const diff = seconds - Date.now() / 1000;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  for (const [unit, size] of units) if (abs >= size || unit === 'second') return rtf.format(Math.round(diff / size), unit);
  return '';
}

export function times(seconds: number): { local: string; utc: string; relative: string } {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return { local: String(seconds), utc: String(seconds), relative: '' };
  return {
    local: d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
    utc: d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC'),
    relative: relative(seconds),
  };
}

export function setPinButton(b: Element, isPinned: boolean): void {
  const glyph = b.querySelector('.codicon');
  if (glyph) glyph.className = `codicon codicon-${isPinned ? 'pinned' : 'pin'}`;
  const label = b.querySelector('.label');
  if (label) label.textContent = isPinned ? S.unpin : S.keepOpen;
}

// ---- header -------------------------------------------------------------------

const ACTOR_KINDS: Record<string, string | undefined> = {
  'user-session': S.actorUserSession,
  'user-api-key': S.actorUserApiKey,
  'service-account-api-key': S.actorServiceAccountApiKey,
  unknown: S.actorUnknown,
  none: S.actorNone,
};

/** A row of the facts list; `key` (`time`, `actor`…) marks it whatever the display language. */
function fact(list: HTMLElement, key: string, label: string, ...values: (HTMLElement | string | undefined)[]): void {
  const present = values.filter((v): v is HTMLElement | string => v !== undefined && v !== '');
  if (present.length === 0) return;
  const row = el('div', 'fact');
  const dt = el('dt', undefined, label);
  const dd = el('dd');
  for (const v of present) dd.append(typeof v === 'string' ? el('span', 'part', v) : v);
  row.append(dt, dd);
  list.append(row);
  row.dataset.fact = key;
}

export function renderHeader(e: EventView, pinned: boolean): HTMLElement {
  const header = el('header', 'header');
  const titleRow = el('div', 'title-row');
  const h1 = el('h1', 'type', e.type);
  titleRow.append(h1);
  if (!e.knownType) titleRow.append(el('span', 'badge', S.unknownType));
  titleRow.append(el('span', 'badge pin-state', pinned ? S.keptOpen : S.preview));
  header.append(titleRow);

  const toolbar = el('div', 'toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', S.eventActions);
  toolbar.append(
    toolButton('json', S.copyJson, () => send({ type: 'copyJson' }), 'btn', S.copyJsonTitle),
    toolButton('copy', S.copyId, () => send({ type: 'copyId' }), 'btn secondary'),
    toolButton('go-to-file', S.openJson, () => send({ type: 'openJson' }), 'btn secondary', S.openJsonTitle),
  );
  if (e.resourceId) toolbar.append(toolButton('history', S.history, () => send({ type: 'showHistory' }), 'btn secondary', S.historyTitle));
  if (e.hasChanges) toolbar.append(toolButton('diff', S.openDiff, () => send({ type: 'openDiff' }), 'btn secondary', S.openDiffTitle));
  const pin = toolButton('pin', '', () => send({ type: 'togglePin' }), 'btn secondary pin', S.pinTitle);
  setPinButton(pin, pinned);
  toolbar.append(pin);
  header.append(toolbar);

  const facts = el('dl', 'facts');
  const t = times(e.effectiveAt);
  fact(facts, 'time', S.factTime, el('span', 'time-local', t.local), el('span', 'time-utc', t.utc), el('span', 'time-relative muted', t.relative));
  const a = e.actor;
  const part = (text: string | undefined): HTMLElement | undefined => (text === undefined || text === '' ? undefined : el('span', 'part', text));
  const pivot = (target: PivotTarget, node: HTMLElement | undefined): HTMLElement | undefined => (node ? pivotPart(e.pivots, target, node) : undefined);
  fact(
    facts,
    'actor',
    S.factActor,
    el('span', 'actor-kind badge', ACTOR_KINDS[a.kind] ?? a.kind),
    pivot('actor', part(a.email ?? (a.kind === 'none' ? undefined : a.label))),
    pivot('apiKey', part(a.apiKeyId ? fmt(S.actorKey, a.apiKeyId) : undefined)),
    a.serviceAccountId ? fmt(S.actorServiceAccount, a.serviceAccountId) : undefined,
    pivot('ip', part(a.ipAddress ? fmt(S.actorIp, a.ipAddress) : undefined)),
    a.location,
  );
  if (a.userAgent) fact(facts, 'user agent', S.factUserAgent, a.userAgent);
  if (e.project) {
    const project = el('span', 'project');
    if (e.project.name) project.append(el('span', 'project-name', e.project.name));
    if (e.project.id) project.append(el('code', 'project-id', e.project.id));
    fact(facts, 'project', S.factProject, pivot('project', project));
  }
  if (e.resourceId) fact(facts, 'resource', S.factResource, pivot('resource', el('code', 'resource-id', e.resourceId)));
  fact(facts, 'event', S.factEvent, el('code', 'event-id', e.id));
  // The directory's names of the ids above (issue 15): the name, "now" when it may differ from then, the id.
  fact(facts, 'names', S.factNames, ...(e.names ?? []).map((n) => {
    const entry = el('span', 'directory-name', n.name);
    if (n.now) entry.append(' ', el('span', 'badge name-now', S.nameNow));
    entry.append(' ', el('code', 'name-id', n.id));
    return entry;
  }));
  header.append(facts);
  if (e.warnings.length) {
    const w = el('ul', 'warnings');
    for (const text of e.warnings) w.append(el('li', undefined, text));
    header.append(w);
  }
  return header;
}
