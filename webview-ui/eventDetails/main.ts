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
import type { EventView, HostMessage } from '../../src/webviews/eventDetails/protocol';
import { app, el, fmt, S, send, vscode } from './dom';
import { renderChanges } from './changes';
import { renderHeader, setPinButton } from './header';
import { renderHistory } from './history';
import { renderValue } from './values';

let current: EventView | undefined;
let pinned = false;

// ---- page -------------------------------------------------------------------

/** The sections below the header, top to bottom: what was asked for (changes, history) above the payload. */
const SECTION_ORDER = ['changes', 'history', 'detail', 'extra'];

/** Puts a section in its place in {@link SECTION_ORDER} (replacing or removing the one there). */
function replaceSection(id: string, node: HTMLElement | undefined): void {
  const old = document.getElementById(id);
  if (node) node.id = id;
  if (old && node) old.replaceWith(node);
  else if (old) old.remove();
  else if (node) {
    const later = SECTION_ORDER.slice(SECTION_ORDER.indexOf(id) + 1).map((s) => document.getElementById(s)).find((n) => n !== null);
    if (later) later.before(node);
    else app.append(node);
  }
}

function renderEvent(e: EventView): void {
  current = e;
  app.replaceChildren();
  app.append(renderHeader(e, pinned));
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
      if (current && msg.eventId === current.id) replaceSection('changes', renderChanges(msg.changes));
      break;
    case 'history': {
      if (current && msg.eventId === current.id) {
        const node = renderHistory(msg.history);
        // Above the details (a 6,000-character description must not hide it), below the changes.
        replaceSection('history', node);
        // Asked for: brought into view while it loads, and again when it is there.
        node.scrollIntoView({ block: 'start' });
      }
      break;
    }
    case 'pivots':
      if (current && msg.eventId === current.id) {
        current = { ...current, pivots: msg.pivots };
        document.querySelector('header.header')?.replaceWith(renderHeader(current, pinned));
      }
      break;
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
