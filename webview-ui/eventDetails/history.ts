/** The history of this resource: every event of it, oldest first. */
import type { HistoryView } from '../../src/webviews/eventDetails/protocol';
import { button, el, fmt, plural, S, send } from './dom';
import { diffTable, diffValue } from './changes';
import { times } from './header';
import { collapsible, OPEN_DEPTH, renderObject } from './values';

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

export function renderHistory(history: HistoryView): HTMLElement {
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
    li.append(...entryBody(entry));
    list.append(li);
  }
  section.append(list);
  return section;
}

type HistoryEntryView = Extract<HistoryView, { state: 'ready' }>['entries'][number];

/**
 * An update: the fields it changed as before → after, with the whole state
 * after it folded below. Anything else (a creation): the state after it.
 */
function entryBody(entry: HistoryEntryView): HTMLElement[] {
  // Each field as in the diff: small lists open, long strings and lists folded.
  const keys = Object.keys(entry.stateAfter);
  // The top-level fields this event set are marked (`metadata.ticket` marks `metadata`).
  const touched = new Set(entry.changedFields.map(topField));
  const state = (): HTMLElement =>
    keys.length ? renderObject(entry.stateAfter, keys, 1, diffValue, (key) => (touched.has(key) ? 'changed-here' : undefined)) : el('span', 'muted', S.noKnownFields);
  const after = el('div', 'state-after');
  if (!entry.changes || entry.changes.length === 0) {
    after.append(el('span', 'muted', S.stateAfter), state());
    return [after];
  }
  after.append(collapsible(`${S.stateAfter}${plural(keys.length, S.fieldOne, S.fieldMany)}`, OPEN_DEPTH, state));
  return [diffTable(entry.changes, 'diff step'), after];
}
