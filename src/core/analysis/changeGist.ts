/**
 * The gist of an event: what it changed, in a few words for a tree row, so a
 * group of twenty rows reads without twenty hovers. "role → owner",
 * "added as owner", "scopes: api.model.read, api.files.read",
 * "deactivated: Office networks", "name, settings.threads_ui_visibility".
 *
 * It says only what the row does not: not the type (the group or the label
 * names it), not the resource id (the row's description shows it), not the
 * actor. An event with nothing more to say (a deletion, a login) has no gist.
 *
 * The one-sentence summary (model/eventSummary.ts) stays the tooltip's and
 * the screen reader's; this is its short form for the row, built on the same
 * readers: the model's payload readers and `stateChangeOf`, the one
 * definition of the fields an update sets (the diff uses it too).
 *
 * Every value comes from the wire: the gist never throws, is one line
 * without control or bidi characters (core/text), at most
 * {@link GIST_MAX_LENGTH} characters.
 */
import type { AuditEvent } from '../model';
import { asRecord, asString, changesRequested, createdData, eventAction, eventDetail } from '../model/eventHelpers';
import { clip } from '../text/oneLine';
import { hasChanges, stateChangeOf, type StateChange } from './changes';

export const GIST_MAX_LENGTH = 80;
const VALUE_MAX = 40;
const LIST_MAX = 3;

/** Fields that name the resource, most telling first; the first present one is quoted. */
const NAME_FIELDS = ['title', 'name', 'group_name', 'role_name', 'display_name'] as const;
/** Lists that carry a security fact, with how the gist introduces them. */
const LIST_FIELDS: readonly (readonly [field: string, intro: string])[] = [
  ['scopes', 'scopes'],
  ['permissions', 'permissions'],
  ['allowed_ips', 'IPs'],
];
/** Lists of named items (`ip_allowlist.config.*`, `certificates.*`): the verb, then the names. */
const NAMED_ITEM_FIELDS = ['configs', 'certificates'] as const;
/** Keys that identify rather than describe (the row shows the resource id already). */
const IDENTITY = new Set(['id', 'object']);

/** What the event changed, in at most {@link GIST_MAX_LENGTH} characters; undefined when there is nothing to add. */
export function changeGist(event: AuditEvent): string | undefined {
  try {
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') return undefined;
    // An upsert that sends `data` (not `changes_requested`) describes the resource as a creation does.
    const isUpdate = hasChanges(event) && (changesRequested(event) !== undefined || createdData(event) === undefined);
    const gist = isUpdate ? updateGist(stateChangeOf(event)) : factsGist(event);
    if (gist === undefined) return undefined;
    const line = clip(gist, GIST_MAX_LENGTH);
    return line === '' ? undefined : line;
  } catch {
    return undefined;
  }
}

/**
 * An update: one field with its new value ("role → owner", "permissions +a −b"), a few short
 * ones with theirs, else the names of the fields it touched.
 */
function updateGist(change: StateChange): string | undefined {
  const set = Object.entries(change.set);
  const ops = Object.entries(change.arrayOps);
  const pairs = [
    ...set.map(([field, value]) => `${key(field)} → ${valueText(value)}`),
    ...ops.map(([field, op]) => `${key(field)} ${[...op.added.map((v) => `+${valueText(v)}`), ...op.removed.map((v) => `−${valueText(v)}`)].join(' ')}`),
  ];
  if (pairs.length === 0) return undefined;
  const allScalar = set.every(([, v]) => !isContainer(v)) && ops.length === 0;
  if (pairs.length === 1 || (allScalar && pairs.join(', ').length <= GIST_MAX_LENGTH)) return pairs.join(', ');
  return [...set.map(([f]) => key(f)), ...ops.map(([f]) => key(f))].join(', ');
}

/** Anything else: the facts its payload carries (name, email and role, security lists), else its first plain fields. */
function factsGist(event: AuditEvent): string | undefined {
  const payload = createdData(event) ?? eventDetail(event);
  if (!payload) return undefined;
  const verb = eventAction(event.type).replace(/_/g, ' ');
  const facts: string[] = [];

  const name = NAME_FIELDS.map((f) => asString(payload[f])).find((v) => v !== undefined);
  if (name !== undefined) facts.push(`'${clip(name, VALUE_MAX)}'`);
  const email = asString(payload['email']);
  const role = asString(payload['role']);
  if (email !== undefined || role !== undefined) {
    const who = email !== undefined ? clip(email, VALUE_MAX) : name === undefined && verb !== '' ? verb : '';
    facts.push(`${who}${role !== undefined ? `${who ? ' ' : ''}as ${clip(role, VALUE_MAX)}` : ''}`);
  }
  const principal = asString(payload['principal_id']);
  if (principal !== undefined) {
    const kind = asString(payload['principal_type']);
    facts.push(`for ${kind ? `${clip(kind, 20)} ` : ''}${clip(principal, VALUE_MAX)}`);
  }
  for (const [field, intro] of LIST_FIELDS) {
    const list = payload[field];
    if (Array.isArray(list)) facts.push(list.length === 0 ? `no ${intro}` : `${intro}: ${listOf(list)}`);
  }
  for (const field of NAMED_ITEM_FIELDS) {
    const items = payload[field];
    if (!Array.isArray(items)) continue;
    const names = items.map((item) => asString(asRecord(item)?.['name']) ?? asString(asRecord(item)?.['id']) ?? '?');
    facts.push(`${verb ? `${verb}: ` : ''}${names.length === 0 ? 'none' : listOf(names)}`);
  }
  const error = asString(payload['error_code']) ?? asString(payload['error_message']);
  if (error !== undefined) facts.push(clip(error, VALUE_MAX));

  if (facts.length > 0) return facts.join('; ');
  return plainFields(payload);
}

/** "lookup: email", "provider: aws_kms, region: us-east-1": the first scalar fields of a payload. */
function plainFields(payload: Record<string, unknown>): string | undefined {
  const fields = Object.entries(payload)
    .filter(([k, v]) => !IDENTITY.has(k) && !isContainer(v) && v !== undefined)
    .slice(0, 2)
    .map(([k, v]) => `${key(k)}: ${valueText(v)}`);
  return fields.length > 0 ? fields.join(', ') : undefined;
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function key(field: string): string {
  return clip(field, VALUE_MAX);
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return clip(value, VALUE_MAX);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : listOf(value);
  return isContainer(value) ? (Object.keys(value as object).length === 0 ? '{}' : '{…}') : '?';
}

function listOf(items: readonly unknown[]): string {
  const shown = items.slice(0, LIST_MAX).map((v) => (Array.isArray(v) ? '[…]' : valueText(v)));
  return `${shown.join(', ')}${items.length > LIST_MAX ? ` (+${items.length - LIST_MAX})` : ''}`;
}
