/**
 * What an organization is, without VS Code: its typed id, its label and its
 * optional API base URL, and the checks applied before one is stored. Plain
 * Node (no `vscode` import), so the unit tier covers it.
 *
 * An organization never holds its key: the key lives only in SecretStorage,
 * behind the AdminKeyStore, under a name derived from the id.
 */
import { randomBytes } from 'node:crypto';
import { validateBaseUrl } from '../core/api/baseUrl';
import { neutralizeDisplayText } from '../core/text/displayText';

export type OrganizationId = string & { readonly __brand: 'OrganizationId' };

export interface Organization {
  readonly id: OrganizationId;
  readonly label: string;
  /** Its own API base URL (validated); undefined: the `openaiAuditLogs.apiBaseUrl` setting. */
  readonly apiBaseUrl?: string;
}

/** The organization the single key of earlier versions became: always there, never removed. */
export const DEFAULT_ORGANIZATION_ID = 'default' as OrganizationId;

export const MAX_LABEL_LENGTH = 64;

const ADDED_ID = /^org-[0-9a-f]{16}$/;

/** A fresh id for an added organization: `org-` and 16 random hex digits. */
export function newOrganizationId(): OrganizationId {
  return `org-${randomBytes(8).toString('hex')}` as OrganizationId;
}

/** The default id, or the shape {@link newOrganizationId} makes; nothing else names an organization. */
export function isOrganizationId(value: unknown): value is OrganizationId {
  return value === DEFAULT_ORGANIZATION_ID || (typeof value === 'string' && ADDED_ID.test(value));
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * A label as the user typed it: trimmed, 1-64 characters, one line with no characters that reorder or
 * hide text (a label shows in the view's title and in prompts), and no other organization's label
 * (compared without case), so a quick pick never offers two look-alikes.
 */
export function checkOrganizationLabel(input: unknown, taken: readonly string[] = []): Checked<string> {
  const label = typeof input === 'string' ? input.trim() : '';
  if (label === '') return { ok: false, reason: 'The organization needs a name.' };
  if (label.length > MAX_LABEL_LENGTH) return { ok: false, reason: `The name is too long (at most ${MAX_LABEL_LENGTH} characters).` };
  if (neutralizeDisplayText(label) !== label) {
    return { ok: false, reason: 'The name must be one line, without control, invisible or direction characters, or link syntax.' };
  }
  const lower = label.toLocaleLowerCase();
  if (taken.some((t) => t.toLocaleLowerCase() === lower)) return { ok: false, reason: `An organization named "${label}" already exists.` };
  return { ok: true, value: label };
}

/**
 * An organization's own API base URL, checked exactly like the setting (https, or http only to
 * loopback). Empty or absent: none of its own (the setting applies), which is `value: undefined`.
 */
export function checkOrganizationBaseUrl(input: unknown): Checked<string | undefined> {
  if (input === undefined || input === null || (typeof input === 'string' && input.trim() === '')) return { ok: true, value: undefined };
  if (typeof input !== 'string') return { ok: false, reason: 'The API base URL must be a string.' };
  const result = validateBaseUrl(input);
  return result.ok ? { ok: true, value: result.url } : { ok: false, reason: `The API base URL is not usable: ${result.reason}` };
}

/**
 * The added organizations as stored (globalState), read defensively: a hand-edited or older value
 * drops what is not an organization (a bad id, a bad label, a base URL that no longer passes the
 * check, a repeated id or label) instead of failing, and never yields the default organization.
 */
export function parseStoredOrganizations(value: unknown): Organization[] {
  if (!Array.isArray(value)) return [];
  const out: Organization[] = [];
  for (const item of value as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const { id, label, apiBaseUrl } = item as Record<string, unknown>;
    if (!isOrganizationId(id) || id === DEFAULT_ORGANIZATION_ID || out.some((o) => o.id === id)) continue;
    const checkedLabel = checkOrganizationLabel(label, out.map((o) => o.label));
    const checkedUrl = checkOrganizationBaseUrl(apiBaseUrl);
    if (!checkedLabel.ok || !checkedUrl.ok) continue;
    out.push(checkedUrl.value === undefined ? { id, label: checkedLabel.value } : { id, label: checkedLabel.value, apiBaseUrl: checkedUrl.value });
  }
  return out;
}
