/**
 * The Insights page's DOM layer: the VS Code API, the page's words, and helpers that put data into nodes as
 * text only (no HTML from data, no inline styles or handlers: the CSP forbids them anyway).
 */
import type { InsightsStrings, PageMessage } from '../../src/webviews/insights/protocol';
import { clipDisplayText } from '../../src/core/text/displayText';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
export const app = document.getElementById('app') as HTMLElement;
export const S: InsightsStrings = readStrings();

function readStrings(): InsightsStrings {
  try {
    return JSON.parse(app.dataset.strings ?? '{}') as InsightsStrings;
  } catch {
    return {} as InsightsStrings;
  }
}

export function send(message: PageMessage): void {
  api.postMessage(message);
}

/** A page string with `{0}`, `{1}`… filled in. */
export function fmt(template: string | undefined, ...args: (string | number)[]): string {
  return (template ?? '').replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : typeof v === 'number' ? v.toLocaleString() : v;
  });
}

/** An element with a class and text (API strings made safe to show: one line, no direction overrides). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = safe(text);
  return node;
}

export function safe(text: string): string {
  return clipDisplayText(text, 300);
}

export function button(text: string, className: string, onClick: (ev: MouseEvent) => void): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** Local date and time of a Unix second in `zone` (as the host counted it). */
export function formatTime(seconds: number, zone: string, withSeconds = false): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone: zone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
    }).format(new Date(seconds * 1000));
  } catch {
    return new Date(seconds * 1000).toISOString();
  }
}
