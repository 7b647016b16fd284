/**
 * Header values that are actions: a click filters the Events view to the
 * value (or copies it, when it cannot be filtered), a right-click or
 * Shift+F10 / the ContextMenu key opens a small menu with every action.
 * The page only names the value; the host checks it is in the shown event.
 */
import type { PivotAction, PivotTarget, PivotView } from '../../src/webviews/eventDetails/protocol';
import { button, el, fmt, S, send } from './dom';

const NOUNS: Record<PivotTarget, string> = {
  actor: S.nounActor,
  apiKey: S.nounApiKey,
  ip: S.nounIp,
  project: S.nounProject,
  resource: S.nounResource,
};

const LABELS: Record<PivotAction, string> = { filter: S.pivotFilter, copy: S.pivotCopy, search: S.pivotSearch };

let openMenu: { menu: HTMLElement; anchor: HTMLElement } | undefined;

function closeMenu(refocus: boolean): void {
  const open = openMenu;
  openMenu = undefined;
  if (!open) return;
  open.menu.remove();
  open.anchor.setAttribute('aria-expanded', 'false');
  if (refocus) open.anchor.focus();
}

function run(pivot: PivotView, action: PivotAction): void {
  send({ type: 'pivot', action, target: pivot.target, value: pivot.value });
}

/** Arrow keys, Home and End move between the items; Escape closes and returns to the value; Tab closes. */
function onMenuKey(ev: KeyboardEvent, items: readonly HTMLButtonElement[]): void {
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  const focus = (i: number): void => items[(i + items.length) % items.length]?.focus();
  switch (ev.key) {
    case 'ArrowDown':
      focus(at + 1);
      break;
    case 'ArrowUp':
      focus(at - 1);
      break;
    case 'Home':
      focus(0);
      break;
    case 'End':
      focus(items.length - 1);
      break;
    case 'Escape':
      closeMenu(true);
      break;
    case 'Tab':
      closeMenu(false);
      return;
    default:
      return;
  }
  ev.preventDefault();
}

function showMenu(wrap: HTMLElement, anchor: HTMLElement, pivot: PivotView): void {
  closeMenu(false);
  const noun = NOUNS[pivot.target];
  const menu = el('div', 'pivot-menu');
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', fmt(S.pivotMenu, noun));
  const items = pivot.actions.map((action) => {
    const item = button(fmt(LABELS[action], noun), () => {
      closeMenu(true);
      run(pivot, action);
    }, 'pivot-item');
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    item.dataset.action = action;
    return item;
  });
  menu.append(...items);
  menu.addEventListener('keydown', (ev) => onMenuKey(ev, items));
  menu.addEventListener('focusout', (ev) => {
    if (!(ev.relatedTarget instanceof Node) || !menu.contains(ev.relatedTarget)) closeMenu(false);
  });
  wrap.append(menu);
  anchor.setAttribute('aria-expanded', 'true');
  openMenu = { menu, anchor };
  items[0]?.focus();
}

document.addEventListener('mousedown', (ev) => {
  if (openMenu && !(ev.target instanceof Node && openMenu.menu.contains(ev.target))) closeMenu(false);
});

/**
 * `content` as an action when the event has a pivot for `target` (the host
 * sent it with the actions it offers); otherwise `content` unchanged.
 */
export function pivotPart(pivots: readonly PivotView[] | undefined, target: PivotTarget, content: HTMLElement): HTMLElement {
  const pivot = pivots?.find((p) => p.target === target);
  if (!pivot || pivot.actions.length === 0) return content;
  const primary: PivotAction = pivot.actions.includes('filter') ? 'filter' : 'copy';
  const wrap = el('span', 'pivot-wrap');
  const anchor = button('', () => run(pivot, primary), 'pivot', fmt(primary === 'filter' ? S.pivotHintFilter : S.pivotHintCopy, NOUNS[target]));
  anchor.append(content);
  anchor.dataset.pivot = target;
  anchor.setAttribute('aria-haspopup', 'menu');
  anchor.setAttribute('aria-expanded', 'false');
  anchor.addEventListener('contextmenu', (ev) => {
    ev.preventDefault();
    showMenu(wrap, anchor, pivot);
  });
  anchor.addEventListener('keydown', (ev) => {
    if (ev.key === 'ContextMenu' || (ev.shiftKey && ev.key === 'F10')) {
      ev.preventDefault();
      showMenu(wrap, anchor, pivot);
    }
  });
  wrap.append(anchor);
  return wrap;
}
