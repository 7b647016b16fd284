/**
 * The page of the event details panel. Plain DOM, no framework.
 *
 * Every string shown comes from an audit event and is attacker-controlled, so
 * this file never builds HTML from data: elements are created with
 * createElement and filled with textContent only (no innerHTML, no inline
 * handlers, no inline styles; the CSP forbids them anyway). Large payloads are
 * rendered on demand: nested values start collapsed, long arrays and objects
 * show a first slice with "show more", long strings are cut with "show all".
 */
import type { ChangesView, EventView, FieldDiffView, HistoryView, HostMessage, PageMessage, PageStrings, PanelState } from '../../src/webviews/eventDetails/protocol';
import { codePointLabel, invisibleCharacterName, invisibleCharacters } from '../../src/core/text/invisibleCharacters';
import { MAX_DISPLAY_DEPTH, TOO_DEEP_TEXT } from '../../src/core/text/valueDepth';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  setState(state: PanelState): void;
  getState(): PanelState | undefined;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

/** How many array items / object fields to render at once. */
const SLICE = 100;
/** Strings longer than this are cut until the user asks for all of it. */
const LONG_STRING = 2000;
/** Keys longer than this may wrap (shorter ones never do, so the key column stays tidy). */
const LONG_KEY = 40;
/** Nested values deeper than this start collapsed. */
const OPEN_DEPTH = 2;

/** The page's words in the display language, from the host (html.ts puts them on #app). */
const S = readStrings();

function readStrings(): PageStrings {
  try {
    return JSON.parse(app.dataset.strings ?? '{}') as PageStrings;
  } catch {
    return {} as PageStrings;
  }
}

/** A page string with `{0}`, `{1}`… filled in. */
function fmt(template: string | undefined, ...args: (string | number)[]): string {
  return (template ?? '').replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : typeof v === 'number' ? v.toLocaleString() : v;
  });
}

let current: EventView | undefined;
let pinned = false;

// ---- tiny DOM helpers (text only) -------------------------------------------

/** The characters that reorder or hide text: one definition with the host's displayText (core/text). */
const HAS_INVISIBLE = invisibleCharacters('');

/**
 * Puts text into a node as text nodes only. Invisible control characters are
 * shown as visible markers (`U+202E`, named in a tooltip) instead of acting on
 * the text; the exact characters stay available through Copy JSON.
 */
function setText(node: HTMLElement, text: string): void {
  if (!HAS_INVISIBLE.test(text)) {
    node.textContent = text;
    return;
  }
  node.replaceChildren();
  let last = 0;
  for (const m of text.matchAll(invisibleCharacters('g'))) {
    const at = m.index ?? 0;
    if (at > last) node.append(document.createTextNode(text.slice(last, at)));
    const code = codePointLabel(m[0]);
    const mark = document.createElement('span');
    mark.className = 'ctrl';
    mark.textContent = code;
    mark.title = fmt(S.shownNotApplied, code, invisibleCharacterName(m[0]));
    node.append(mark);
    last = at + m[0].length;
  }
  if (last < text.length) node.append(document.createTextNode(text.slice(last)));
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) setText(node, text);
  return node;
}

function button(label: string, onClick: () => void, className = 'btn', title?: string): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** A toolbar button: a codicon (decorative, hidden from screen readers) and its label. */
function toolButton(icon: string, label: string, onClick: () => void, className: string, title?: string): HTMLButtonElement {
  const b = button('', onClick, className, title);
  const glyph = el('span', `codicon codicon-${icon}`);
  glyph.setAttribute('aria-hidden', 'true');
  b.append(glyph, el('span', 'label', label));
  return b;
}

function setPinButton(b: Element, isPinned: boolean): void {
  const glyph = b.querySelector('.codicon');
  if (glyph) glyph.className = `codicon codicon-${isPinned ? 'pinned' : 'pin'}`;
  const label = b.querySelector('.label');
  if (label) label.textContent = isPinned ? S.unpin : S.keepOpen;
}

function send(message: PageMessage): void {
  vscode.postMessage(message);
}

// ---- values -------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A count with its noun: `one` and `many` are page strings with `{0}` for the number. */
function plural(n: number, one: string, many: string): string {
  return fmt(n === 1 ? one : many, n);
}

function renderString(s: string, limit = LONG_STRING): HTMLElement {
  const span = el('span', 'v-string');
  if (s.length <= limit) {
    setText(span, s);
    if (s === '') span.classList.add('v-empty');
    return span;
  }
  setText(span, s.slice(0, limit));
  const more = button(fmt(S.showAllChars, plural(s.length, S.charOne, S.charMany)), () => {
    setText(span, s);
    more.remove();
  }, 'link');
  const wrap = el('span');
  wrap.append(span, more);
  return wrap;
}

/** Renders any JSON value; containers below OPEN_DEPTH start collapsed and render when opened. */
function renderValue(value: unknown, depth = 0): HTMLElement {
  // The host cuts values at MAX_DISPLAY_DEPTH (valueDepth.ts) and puts TOO_DEEP_TEXT there; the
  // depth check is the page's own backstop (a diff cell or history field starts a level in).
  if (value === TOO_DEEP_TEXT || (depth > MAX_DISPLAY_DEPTH + 8 && typeof value === 'object' && value !== null)) {
    return el('span', 'v-too-deep muted', S.tooDeep);
  }
  if (value === null) return el('span', 'v-null', 'null');
  if (value === undefined) return el('span', 'v-null', '—');
  if (typeof value === 'string') return renderString(value);
  if (typeof value === 'number' || typeof value === 'bigint') return el('span', 'v-number', String(value));
  if (typeof value === 'boolean') return el('span', 'v-bool', String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return el('span', 'v-empty', S.emptyList);
    return collapsible(plural(value.length, S.itemOne, S.itemMany), depth, () => renderArray(value, depth));
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return el('span', 'v-empty', S.noFields);
    return collapsible(plural(keys.length, S.fieldOne, S.fieldMany), depth, () => renderObject(value, keys, depth));
  }
  return el('span', 'v-other', String(value));
}

function collapsible(summary: string, depth: number, build: () => HTMLElement): HTMLElement {
  if (depth < OPEN_DEPTH) return build();
  const wrap = el('div', 'collapsible');
  const toggle = el('button', 'toggle', `▸ ${summary}`);
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  let body: HTMLElement | undefined;
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = `${open ? '▾' : '▸'} ${summary}`;
    if (open && !body) {
      body = build();
      wrap.append(body);
    }
    if (body) body.hidden = !open;
  });
  wrap.append(toggle);
  return wrap;
}

/** Appends items in slices of SLICE, with a "show more" button for the rest. */
function sliced(container: HTMLElement, total: number, renderItem: (i: number) => HTMLElement, footer: (more: HTMLElement) => void): void {
  let shown = 0;
  let more: HTMLButtonElement | undefined;
  const showNext = (count: number): void => {
    const end = Math.min(total, shown + count);
    const frag = document.createDocumentFragment();
    for (let i = shown; i < end; i++) frag.append(renderItem(i));
    container.append(frag);
    shown = end;
    if (more) {
      if (shown >= total) more.parentElement?.remove();
      else more.textContent = fmt(S.showMore, Math.min(SLICE, total - shown), shown, total);
    }
  };
  showNext(SLICE);
  if (shown < total) {
    const bar = el('div', 'more');
    more = button('', () => showNext(SLICE), 'link');
    const all = button(fmt(S.showAll, total), () => showNext(total - shown), 'link');
    bar.append(more, all);
    footer(bar);
    showNext(0);
  }
}

function renderArray(items: readonly unknown[], depth: number): HTMLElement {
  const wrap = el('div', 'array');
  const list = el('ol', 'list');
  list.start = 0;
  wrap.append(list);
  sliced(
    list,
    items.length,
    (i) => {
      const li = el('li');
      li.append(renderValue(items[i], depth + 1));
      return li;
    },
    (bar) => wrap.append(bar),
  );
  return wrap;
}

function renderObject(
  obj: Record<string, unknown>,
  keys: readonly string[],
  depth: number,
  renderField: (value: unknown) => HTMLElement = (value) => renderValue(value, depth + 1),
  rowClass?: (key: string) => string | undefined,
): HTMLElement {
  const wrap = el('div', 'object');
  const table = el('table', 'kv');
  const body = el('tbody');
  table.append(body);
  wrap.append(table);
  sliced(
    body,
    keys.length,
    (i) => {
      const tr = el('tr', rowClass?.(keys[i]));
      const th = el('th', keys[i].length > LONG_KEY ? 'key long-key' : 'key', keys[i]);
      th.scope = 'row';
      const td = el('td');
      td.append(renderField(obj[keys[i]]));
      tr.append(th, td);
      return tr;
    },
    (bar) => wrap.append(bar),
  );
  return wrap;
}

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

function times(seconds: number): { local: string; utc: string; relative: string } {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return { local: String(seconds), utc: String(seconds), relative: '' };
  return {
    local: d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
    utc: d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC'),
    relative: relative(seconds),
  };
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

function renderHeader(e: EventView): HTMLElement {
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
  fact(
    facts,
    'actor',
    S.factActor,
    el('span', 'actor-kind badge', ACTOR_KINDS[a.kind] ?? a.kind),
    a.email ?? (a.kind === 'none' ? undefined : a.label),
    a.apiKeyId ? fmt(S.actorKey, a.apiKeyId) : undefined,
    a.serviceAccountId ? fmt(S.actorServiceAccount, a.serviceAccountId) : undefined,
    a.ipAddress ? fmt(S.actorIp, a.ipAddress) : undefined,
    a.location,
  );
  if (a.userAgent) fact(facts, 'user agent', S.factUserAgent, a.userAgent);
  if (e.project) fact(facts, 'project', S.factProject, e.project.name ? el('span', 'project-name', e.project.name) : undefined, e.project.id ? el('code', 'project-id', e.project.id) : undefined);
  if (e.resourceId) fact(facts, 'resource', S.factResource, el('code', 'resource-id', e.resourceId));
  fact(facts, 'event', S.factEvent, el('code', 'event-id', e.id));
  header.append(facts);
  if (e.warnings.length) {
    const w = el('ul', 'warnings');
    for (const text of e.warnings) w.append(el('li', undefined, text));
    header.append(w);
  }
  return header;
}

// ---- changes ------------------------------------------------------------------

/** Strings in a diff cell longer than this are cut until asked for (a 6,000-character description). */
const DIFF_STRING = 400;
/** Lists in a diff cell longer than this start collapsed, and their unchanged elements stay folded. */
const DIFF_LIST = 20;

/** A value in a diff cell: short strings and small lists in full, big ones folded. */
function diffValue(value: unknown): HTMLElement {
  if (typeof value === 'string') return renderString(value, DIFF_STRING);
  if (Array.isArray(value) && value.length > DIFF_LIST) {
    return collapsible(plural(value.length, S.itemOne, S.itemMany), OPEN_DEPTH, () => renderArray(value, 1));
  }
  return renderValue(value, 1);
}

function beforeCell(row: FieldDiffView): HTMLElement {
  const td = el('td', 'before');
  if (row.before.kind === 'known' && row.elements && Array.isArray(row.before.value) && row.before.value.length <= DIFF_LIST) {
    // The same element layout as the after column, so the two read side by side.
    const before = row.before.value;
    td.append(before.length === 0 ? el('span', 'v-empty', S.emptyList) : elementList(before.map((value) => ({ value, status: 'kept' as const }))));
  } else if (row.before.kind === 'known') {
    td.append(diffValue(row.before.value));
  } else if (row.before.kind === 'unset') {
    td.append(el('span', 'unset', S.unsetBefore));
  } else {
    td.append(el('span', 'unknown', S.unknownBefore));
  }
  return td;
}

type ElementView = NonNullable<FieldDiffView['elements']>[number];

function elementItem(item: ElementView): HTMLElement {
  const marks = { added: '+', removed: '−', kept: ' ' } as const;
  const li = el('li', `el-${item.status}`);
  const mark = el('span', 'mark', marks[item.status]);
  mark.setAttribute('aria-hidden', 'true');
  li.append(mark, renderValue(item.value, OPEN_DEPTH));
  if (item.status !== 'kept') li.setAttribute('aria-label', item.status);
  return li;
}

/**
 * Elements with their fate. A short list is shown in order; a long one shows
 * what was added and removed, with the unchanged elements folded behind a
 * count (and rendered in slices when opened).
 */
function elementList(elements: readonly ElementView[]): HTMLElement {
  const ul = el('ul', 'elements');
  if (elements.length <= DIFF_LIST) {
    for (const item of elements) ul.append(elementItem(item));
    return ul;
  }
  const changed = elements.filter((e) => e.status !== 'kept');
  const kept = elements.filter((e) => e.status === 'kept');
  const wrap = el('div', 'element-groups');
  if (changed.length) {
    wrap.append(ul);
    sliced(ul, changed.length, (i) => elementItem(changed[i]), (bar) => wrap.append(bar));
  }
  if (kept.length) {
    wrap.append(
      collapsible(plural(kept.length, S.unchangedElementOne, S.unchangedElementMany), OPEN_DEPTH, () => {
        const box = el('div');
        const list = el('ul', 'elements');
        box.append(list);
        sliced(list, kept.length, (i) => elementItem(kept[i]), (bar) => box.append(bar));
        return box;
      }),
    );
  }
  return wrap;
}

function afterCell(row: FieldDiffView): HTMLElement {
  const td = el('td', 'after');
  if (row.elements && row.elements.length > 0) {
    if (row.after.kind === 'unknown') td.append(el('div', 'unknown', S.onlyTheseKnown));
    td.append(elementList(row.elements));
  } else if (row.after.kind === 'known') {
    td.append(diffValue(row.after.value));
  } else {
    td.append(el('span', 'unknown', S.unknown));
  }
  return td;
}

const STATUS_TEXT: Record<FieldDiffView['status'], string> = {
  changed: S.statusChanged,
  unchanged: S.statusUnchanged,
  set: S.statusSet,
  'unknown-before': S.statusUnknownBefore,
};

function renderChanges(changes: ChangesView): HTMLElement | undefined {
  if (changes.state === 'none') return undefined;
  const section = el('section', 'changes');
  section.id = 'changes';
  section.append(el('h2', undefined, S.changesHeading));
  if (changes.state === 'loading') {
    section.append(el('p', 'muted', S.changesLoading));
    return section;
  }
  if (changes.state === 'error') {
    section.append(el('p', 'error', changes.message));
    return section;
  }
  const table = el('table', 'diff');
  const head = el('thead');
  const hr = el('tr');
  for (const h of [S.colField, S.colBefore, S.colAfter]) {
    const th = el('th', undefined, h);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = el('tbody');
  for (const row of changes.rows) {
    const tr = el('tr', `row-${row.status}`);
    tr.dataset.field = row.field;
    const name = el('th', 'field');
    name.scope = 'row';
    name.append(el('span', 'field-name', row.field), el('span', 'status', STATUS_TEXT[row.status]));
    tr.append(name, beforeCell(row), afterCell(row));
    body.append(tr);
  }
  table.append(head, body);
  section.append(table);
  const basis = changes.basedOn.length
    ? fmt(changes.fromCreation ? S.basisFromCreation : S.basisPartial, plural(changes.basedOn.length, S.earlierEventOne, S.earlierEventMany))
    : S.basisNone;
  section.append(el('p', 'muted', basis));
  if (changes.note) section.append(el('p', 'warning', changes.note));
  return section;
}

// ---- history ------------------------------------------------------------------

/** The first segment of a dotted field name (`"a.b".c` → `a.b`, `settings.x` → `settings`). */
function topField(name: string): string {
  if (name.startsWith('"')) {
    let j = 1;
    while (j < name.length && name[j] !== '"') j += name[j] === '\\' ? 2 : 1;
    try {
      return JSON.parse(name.slice(0, j + 1)) as string;
    } catch {
      return name;
    }
  }
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

function renderHistory(history: HistoryView): HTMLElement {
  const section = el('section', 'history');
  section.id = 'history';
  section.append(el('h2', undefined, S.history));
  if (history.state === 'loading') {
    section.append(el('p', 'muted', S.historyLoading));
    return section;
  }
  if (history.state === 'error') {
    section.append(el('p', 'error', history.message));
    return section;
  }
  section.append(
    el(
      'p',
      'muted',
      fmt(
        history.fromCreation ? S.historyFromCreation : S.historyPartial,
        plural(history.entries.length, S.eventOne, S.eventMany),
        history.resourceId,
        history.truncated ? S.historyTruncated : '',
      ),
    ),
  );
  const list = el('ol', 'timeline');
  for (const entry of history.entries) {
    const li = el('li', entry.current ? 'entry current' : 'entry');
    li.dataset.eventId = entry.id;
    const line = el('div', 'entry-head');
    const t = times(entry.effectiveAt);
    line.append(el('span', 'time', t.local));
    if (entry.current) line.append(el('strong', 'entry-type', fmt(S.thisEvent, entry.type)));
    else line.append(button(entry.type, () => send({ type: 'openEvent', eventId: entry.id }), 'link entry-type', fmt(S.openEventTitle, entry.id)));
    line.append(el('span', 'muted', fmt(S.byActor, entry.actor)));
    if (entry.changedFields.length) line.append(el('span', 'muted', fmt(S.setFields, entry.changedFields.join(', '))));
    li.append(line);
    // Each field as in the diff: small lists open, long strings and lists folded.
    const keys = Object.keys(entry.stateAfter);
    // The top-level fields this event set are marked (`metadata.ticket` marks `metadata`).
    const touched = new Set(entry.changedFields.map(topField));
    const state = keys.length
      ? renderObject(entry.stateAfter, keys, 1, diffValue, (key) => (touched.has(key) ? 'changed-here' : undefined))
      : el('span', 'muted', S.noKnownFields);
    const after = el('div', 'state-after');
    after.append(el('span', 'muted', S.stateAfter), state);
    li.append(after);
    list.append(li);
  }
  section.append(list);
  return section;
}

// ---- page -------------------------------------------------------------------

function replaceSection(id: string, node: HTMLElement | undefined, before?: string): void {
  const old = document.getElementById(id);
  if (node) node.id = id;
  if (old && node) old.replaceWith(node);
  else if (old) old.remove();
  else if (node) {
    const anchor = before ? document.getElementById(before) : null;
    if (anchor) anchor.before(node);
    else app.append(node);
  }
}

function renderEvent(e: EventView): void {
  current = e;
  app.replaceChildren();
  app.append(renderHeader(e));
  const detail = el('section', 'detail');
  detail.id = 'detail';
  detail.append(el('h2', undefined, S.detailsHeading));
  detail.append(e.detail === null || e.detail === undefined ? el('p', 'muted', S.noDetail) : renderValue(e.detail, 0));
  app.append(detail);
  const extraKeys = Object.keys(e.extra);
  if (extraKeys.length) {
    const extra = el('section', 'extra');
    extra.id = 'extra';
    extra.append(el('h2', undefined, S.otherFields));
    extra.append(renderValue(e.extra, 0));
    app.append(extra);
  }
  document.title = e.type;
}

function showMessage(text: string, className: string): void {
  app.replaceChildren(el('p', className, text));
}

window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'event':
      pinned = msg.pinned;
      renderEvent(msg.event);
      // Ids only, exactly as the host sent them: a reload fetches the event again.
      vscode.setState(msg.state);
      break;
    case 'changes':
      if (current && msg.eventId === current.id) replaceSection('changes', renderChanges(msg.changes), 'detail');
      break;
    case 'history': {
      if (current && msg.eventId === current.id) {
        const node = renderHistory(msg.history);
        replaceSection('history', node);
        if (msg.history.state === 'loading') node.scrollIntoView({ block: 'start' });
      }
      break;
    }
    case 'pinned': {
      pinned = msg.pinned;
      if (current) {
        const badge = document.querySelector('.pin-state');
        if (badge) badge.textContent = pinned ? S.keptOpen : S.preview;
        const pin = document.querySelector('.btn.pin');
        if (pin) setPinButton(pin, pinned);
      }
      break;
    }
    case 'loading':
      vscode.setState(msg.state);
      showMessage(fmt(S.fetchingAgain, msg.state.type, msg.state.eventId), 'muted');
      break;
    case 'failed':
      showMessage(msg.message, 'error');
      break;
  }
});

send({ type: 'ready' });
