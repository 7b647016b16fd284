/** The changes table of an update: field | before | after, lists element by element. */
import type { ChangesView, FieldDiffView } from '../../src/webviews/eventDetails/protocol';
import { canonicalJson } from '../../src/core/analysis/canonicalJson';
import { el, fmt, plural, S } from './dom';
import { collapsible, OPEN_DEPTH, renderArray, renderString, renderValue, sliced } from './values';

/** Strings in a diff cell longer than this are cut until asked for (a 6,000-character description). */
const DIFF_STRING = 400;
/** Lists in a diff cell longer than this start collapsed, and their unchanged elements stay folded. */
const DIFF_LIST = 20;

/** A value in a diff cell: short strings and small lists in full, big ones folded. */
export function diffValue(value: unknown): HTMLElement {
  if (typeof value === 'string') return renderString(value, DIFF_STRING);
  if (Array.isArray(value) && value.length > DIFF_LIST) {
    return collapsible(plural(value.length, S.itemOne, S.itemMany), OPEN_DEPTH, () => renderArray(value, 1));
  }
  return renderValue(value, 1);
}

/** True when the before column shows the list element by element (so the after column need not repeat removals). */
function beforeAsList(row: FieldDiffView): row is FieldDiffView & { before: { kind: 'known'; value: unknown[] } } {
  return row.before.kind === 'known' && row.elements !== undefined && Array.isArray(row.before.value) && row.before.value.length <= DIFF_LIST;
}

/** A changed whole value, marked as removed (before) or added (after): only what changed is coloured, not the cell. */
function marked(node: HTMLElement, mark: 'removed' | 'added' | undefined): HTMLElement {
  if (!mark) return node;
  const span = el('span', `chg chg-${mark}`);
  span.setAttribute('aria-label', mark);
  span.append(node);
  return span;
}

function beforeCell(row: FieldDiffView): HTMLElement {
  const td = el('td', 'before');
  if (beforeAsList(row)) {
    // The same element layout as the after column, so the two read side by side; only removals are marked.
    const removed = new Set((row.elements ?? []).filter((e) => e.status === 'removed').map((e) => canonicalJson(e.value)));
    const before = row.before.value;
    td.append(
      before.length === 0
        ? el('span', 'v-empty', S.emptyList)
        : elementList(before.map((value) => ({ value, status: removed.has(canonicalJson(value)) ? ('removed' as const) : ('kept' as const) }))),
    );
  } else if (row.before.kind === 'known') {
    td.append(marked(diffValue(row.before.value), row.status === 'changed' ? 'removed' : undefined));
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
    // Beside a before list that shows the removals, the after column is the list after: kept plain, added marked.
    td.append(elementList(beforeAsList(row) ? row.elements.filter((e) => e.status !== 'removed') : row.elements));
  } else if (row.after.kind === 'known') {
    td.append(marked(diffValue(row.after.value), row.status === 'changed' || row.status === 'set' ? 'added' : undefined));
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

export function renderChanges(changes: ChangesView): HTMLElement | undefined {
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
  section.append(diffTable(changes.rows));
  const basis = changes.basedOn.length
    ? fmt(changes.fromCreation ? S.basisFromCreation : S.basisPartial, plural(changes.basedOn.length, S.earlierEventOne, S.earlierEventMany))
    : S.basisNone;
  section.append(el('p', 'muted', basis));
  if (changes.note) section.append(el('p', 'warning', changes.note));
  return section;
}

/** Field | before | after, one row per field (the changes section, and each step of the history). */
export function diffTable(rows: readonly FieldDiffView[], className = 'diff'): HTMLElement {
  const table = el('table', className);
  const head = el('thead');
  const hr = el('tr');
  for (const h of [S.colField, S.colBefore, S.colAfter]) {
    const th = el('th', undefined, h);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr', `row-${row.status}`);
    tr.dataset.field = row.field;
    const name = el('th', 'field');
    name.scope = 'row';
    name.append(el('span', 'field-name', row.field), el('span', 'status', STATUS_TEXT[row.status]));
    tr.append(name, beforeCell(row), afterCell(row));
    body.append(tr);
  }
  table.append(head, body);
  return table;
}
