/**
 * Any JSON value as text nodes: nested values below OPEN_DEPTH start
 * collapsed, long arrays and objects show a first slice with "show more",
 * long strings are cut with "show all".
 */
import { MAX_DISPLAY_DEPTH, TOO_DEEP_TEXT } from '../../src/core/text/valueDepth';
import { isShortScalarList } from '../../src/webviews/eventDetails/valueShape';
import { button, el, fmt, isObject, plural, S, setText } from './dom';

/** How many array items / object fields to render at once. */
const SLICE = 100;
/** Strings longer than this are cut until the user asks for all of it. */
const LONG_STRING = 2000;
/** Keys longer than this may wrap (shorter ones never do, so the key column stays tidy). */
const LONG_KEY = 40;
/** Nested values deeper than this start collapsed. */
export const OPEN_DEPTH = 2;

export function renderString(s: string, limit = LONG_STRING): HTMLElement {
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
export function renderValue(value: unknown, depth = 0): HTMLElement {
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
    // A few short scalars are the fact itself (an API key's scopes): shown, never folded.
    if (isShortScalarList(value)) return renderArray(value, depth);
    return collapsible(plural(value.length, S.itemOne, S.itemMany), depth, () => renderArray(value, depth));
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return el('span', 'v-empty', S.noFields);
    return collapsible(plural(keys.length, S.fieldOne, S.fieldMany), depth, () => renderObject(value, keys, depth));
  }
  return el('span', 'v-other', String(value));
}

export function collapsible(summary: string, depth: number, build: () => HTMLElement): HTMLElement {
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
export function sliced(container: HTMLElement, total: number, renderItem: (i: number) => HTMLElement, footer: (more: HTMLElement) => void): void {
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

export function renderArray(items: readonly unknown[], depth: number): HTMLElement {
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

export function renderObject(
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
