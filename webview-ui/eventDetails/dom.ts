/**
 * The page's tiny DOM layer: the VS Code API, the page strings, and helpers
 * that put text into nodes as text only (never HTML from data).
 */
import type { PageMessage, PageStrings, PanelState } from '../../src/webviews/eventDetails/protocol';
import { codePointLabel, invisibleCharacterName, invisibleCharacters } from '../../src/core/text/invisibleCharacters';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  setState(state: PanelState): void;
  getState(): PanelState | undefined;
}
declare function acquireVsCodeApi(): VsCodeApi;

export const vscode = acquireVsCodeApi();
export const app = document.getElementById('app') as HTMLElement;

/** The page's words in the display language, from the host (html.ts puts them on #app). */
export const S = readStrings();

function readStrings(): PageStrings {
  try {
    return JSON.parse(app.dataset.strings ?? '{}') as PageStrings;
  } catch {
    return {} as PageStrings;
  }
}

/** A page string with `{0}`, `{1}`… filled in. */
export function fmt(template: string | undefined, ...args: (string | number)[]): string {
  return (template ?? '').replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : typeof v === 'number' ? v.toLocaleString() : v;
  });
}
// ---- tiny DOM helpers (text only) -------------------------------------------

/** The characters that reorder or hide text: one definition with the host's displayText (core/text). */
const HAS_INVISIBLE = invisibleCharacters('');

/**
 * Puts text into a node as text nodes only. Invisible control characters are
 * shown as visible markers (`U+202E`, named in a tooltip) instead of acting on
 * the text; the exact characters stay available through Copy JSON.
 */
export function setText(node: HTMLElement, text: string): void {
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

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) setText(node, text);
  return node;
}

export function button(label: string, onClick: () => void, className = 'btn', title?: string): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** A toolbar button: a codicon (decorative, hidden from screen readers) and its label. */
export function toolButton(icon: string, label: string, onClick: () => void, className: string, title?: string): HTMLButtonElement {
  const b = button('', onClick, className, title);
  const glyph = el('span', `codicon codicon-${icon}`);
  glyph.setAttribute('aria-hidden', 'true');
  b.append(glyph, el('span', 'label', label));
  return b;
}

export function send(message: PageMessage): void {
  vscode.postMessage(message);
}

// ---- values -------------------------------------------------------------------

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A count with its noun: `one` and `many` are page strings with `{0}` for the number. */
export function plural(n: number, one: string, many: string): string {
  return fmt(n === 1 ? one : many, n);
}
