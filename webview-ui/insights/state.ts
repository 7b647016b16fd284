/** State as of: pick a resource and a moment (and optionally a second one), see its fields then. */
import type { HostMessage } from '../../src/webviews/insights/protocol';
import { button, el, fmt, S, safe, send } from './dom';

type Resource = Extract<HostMessage, { type: 'resources' }>['resources'][number];
type StateMessage = Extract<HostMessage, { type: 'state' }>;
type StateView = StateMessage['before'];

const select = el('select', 'resource-pick');
const moment = el('input', 'moment');
const compare = el('input', 'moment');
const result = el('div', 'state-result');

export function renderStateSection(): HTMLElement {
  const section = el('section', 'state');
  section.id = 'state';
  section.append(el('h2', undefined, S.stateHeading));
  for (const input of [moment, compare]) {
    input.type = 'datetime-local';
    input.step = '1';
  }
  moment.value = localInputValue(Date.now() / 1000);
  const form = el('div', 'state-form');
  form.append(labelled(S.resource, select), labelled(S.moment, moment), labelled(S.compareWith, compare), button(S.show, 'primary show-state', () => ask()));
  result.setAttribute('aria-live', 'polite');
  section.append(form, result);
  return section;
}

function labelled(text: string, control: HTMLElement): HTMLElement {
  const label = el('label', 'field-label');
  label.append(el('span', undefined, text), control);
  return label;
}

export function setResources(resources: readonly Resource[]): void {
  const current = select.value;
  select.replaceChildren();
  const none = el('option', undefined, S.pickResource);
  none.value = '';
  select.append(none);
  for (const r of resources) {
    const o = el('option', undefined, `${r.name ? `${r.name} · ` : ''}${r.id} (${r.kind}, ${r.events.toLocaleString()})`);
    o.value = r.id;
    select.append(o);
  }
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}

function ask(): void {
  const resourceId = select.value;
  const time = secondsOf(moment.value);
  if (!resourceId || time === undefined) return;
  const compareTime = secondsOf(compare.value);
  send({ type: 'stateAsOf', resourceId, time, ...(compareTime !== undefined ? { compareTime } : {}) });
}

function secondsOf(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) : undefined;
}

function localInputValue(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function showState(m: StateMessage): void {
  result.replaceChildren();
  if (select.value !== m.resourceId && [...select.options].some((o) => o.value === m.resourceId)) select.value = m.resourceId;
  result.append(el('p', 'muted', `${m.resourceId} · ${new Date(m.before.time * 1000).toLocaleString()}${m.after ? ` → ${new Date(m.after.time * 1000).toLocaleString()}` : ''}`));
  for (const v of m.after ? [m.before, m.after] : [m.before]) {
    const note = statusNote(v);
    if (note) result.append(el('p', 'muted', note));
  }
  result.append(m.after ? comparisonTable(m.before, m.after) : stateTable(m.before));
}

function statusNote(v: StateView): string | undefined {
  if (v.status === 'deleted') return fmt(S.statusDeleted, v.deletedBy ?? '');
  if (v.status === 'notCreated') return S.statusNotCreated;
  if (v.status === 'noHistory') return S.statusNoHistory;
  return undefined;
}

function valueText(f: StateView['fields'][string] | undefined): string {
  if (!f) return '—';
  if (!f.known && f.eventId === null) return S.unknownBefore;
  const text = typeof f.value === 'string' ? f.value : JSON.stringify(f.value) ?? String(f.value);
  return f.known ? text : `${S.unknownBefore}: ${text}`;
}

function table(headers: string[]): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const t = el('table', 'state-table');
  const head = el('thead');
  const row = el('tr');
  for (const h of headers) row.append(el('th', undefined, h));
  head.append(row);
  const body = el('tbody');
  t.append(head, body);
  return { table: t, body };
}

function cell(text: string, className?: string): HTMLTableCellElement {
  return el('td', className, safe(text));
}

function stateTable(v: StateView): HTMLElement {
  const { table: t, body } = table([S.field, S.value, S.setBy]);
  for (const [name, f] of Object.entries(v.fields).sort(([a], [b]) => a.localeCompare(b))) {
    const row = el('tr', f.known ? undefined : 'unknown');
    row.append(cell(name, 'field-name'), cell(valueText(f)), cell(f.eventId ?? '—', 'event-id'));
    body.append(row);
  }
  return t;
}

function comparisonTable(before: StateView, after: StateView): HTMLElement {
  const { table: t, body } = table([S.field, S.before, S.after, S.setBy]);
  const names = [...new Set([...Object.keys(before.fields), ...Object.keys(after.fields)])].sort();
  for (const name of names) {
    const b = before.fields[name];
    const a = after.fields[name];
    const changed = valueText(b) !== valueText(a);
    const row = el('tr', changed ? 'changed' : undefined);
    row.append(cell(name, 'field-name'), cell(valueText(b)), cell(valueText(a)), cell(changed ? `${a?.eventId ?? '—'} (${S.changed})` : a?.eventId ?? '—', 'event-id'));
    body.append(row);
  }
  return t;
}
