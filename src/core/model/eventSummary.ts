/**
 * One-line, human summaries of audit events, e.g.
 * "API key key_abc created with scopes a, b" or
 * "Rate limit rl_1 updated: max_requests_per_1_minute → 500".
 *
 * Every value comes from the wire and may be hostile or odd: summaries never
 * throw, are a single line (control characters, line breaks and bidi
 * overrides are replaced), and are at most SUMMARY_MAX_LENGTH characters.
 */
import { clipDisplayText } from '../text/displayText';
import type { AuditEvent } from './types';
import {
  asRecord,
  asString,
  changesRequested,
  createdData,
  describeActor,
  eventAction,
  eventDetail,
  eventFamily,
  isKnownEventType,
  resourceId,
} from './eventHelpers';

export const SUMMARY_MAX_LENGTH = 200;
const VALUE_MAX_LENGTH = 60;
const LIST_MAX_ITEMS = 5;
const FIELDS_MAX = 3;

/** Nouns that do not follow from the family name by the generic rule. */
const NOUNS: Readonly<Record<string, string>> = {
  api_key: 'API key',
  ip_allowlist: 'IP allowlist',
  'ip_allowlist.config': 'IP allowlist configuration',
  scim: 'SCIM',
  external_key: 'External key',
  'checkpoint.permission': 'Checkpoint permission',
  certificates: 'Certificates',
  organization: 'Organization',
};
const ACRONYMS: Readonly<Record<string, string>> = {
  api: 'API',
  ip: 'IP',
  id: 'ID',
  sso: 'SSO',
  scim: 'SCIM',
  chatgpt: 'ChatGPT',
  microsoft: 'Microsoft',
  entra: 'Entra',
};
/** Fields whose change reads as a rename, per family. */
const NAME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  project: ['title', 'name'],
  organization: ['title'],
  group: ['group_name'],
  role: ['role_name'],
};

type Summarizer = (e: AuditEvent, ctx: SummaryContext) => string | undefined;

interface SummaryContext {
  /** "Project proj_1" (noun and resource id when present). */
  subject: string;
  /** "created", "bound to resource", ... */
  verb: string;
  detail: Record<string, unknown> | undefined;
}

const BY_FAMILY: Readonly<Record<string, Summarizer>> = {
  api_key: (e, c) => {
    const scopes = createdData(e)?.['scopes'];
    return Array.isArray(scopes) && eventAction(e.type) === 'created'
      ? `${c.subject} created with ${scopes.length === 0 ? 'no scopes' : `scopes ${formatList(scopes)}`}`
      : undefined;
  },
  login: (e, c) => authSummary(e, 'Login', c),
  logout: (e, c) => authSummary(e, 'Logout', c),
  invite: (e, c) => {
    const data = createdData(e);
    const email = asString(data?.['email']);
    const role = asString(data?.['role']);
    if (!email && !role) return undefined;
    return `${c.subject} ${c.verb}${email ? ` to ${formatValue(email)}` : ''}${role ? ` as ${formatValue(role)}` : ''}`;
  },
  user: (e, c) => {
    const role = asString(createdData(e)?.['role']);
    return role ? `${c.subject} ${c.verb} as ${formatValue(role)}` : undefined;
  },
  service_account: (e, c) => {
    const role = asString(createdData(e)?.['role']);
    return role ? `${c.subject} ${c.verb} as ${formatValue(role)}` : undefined;
  },
  project: (e, c) => {
    const data = createdData(e);
    const title = asString(data?.['title']) ?? asString(data?.['name']);
    return title ? `${c.subject} ${c.verb} as ${quote(title)}` : undefined;
  },
  group: (e, c) => {
    const name = asString(createdData(e)?.['group_name']);
    return name ? `${c.subject} ${c.verb} as ${quote(name)}` : undefined;
  },
  role: (e, c) => {
    const d = c.detail;
    const action = eventAction(e.type);
    if (action === 'created') {
      const name = asString(d?.['role_name']);
      const permissions = d?.['permissions'];
      return `${c.subject} created${name ? ` as ${quote(name)}` : ''}${
        Array.isArray(permissions) && permissions.length > 0 ? ` with permissions ${formatList(permissions)}` : ''
      }`;
    }
    if (action === 'bound_to_resource' || action === 'unbound_from_resource') {
      const role = asString(d?.['role_id']);
      const target = asString(d?.['connector_name']) ?? asString(d?.['resource_id']) ?? asString(d?.['id']);
      const kind = asString(d?.['resource_type']);
      const preposition = action === 'bound_to_resource' ? 'bound to' : 'unbound from';
      return `Role${role ? ` ${formatValue(role)}` : ''} ${preposition} ${kind ? `${humanize(kind)} ` : 'resource '}${
        target ? formatValue(target) : ''
      }`.trimEnd();
    }
    if (action === 'updated') {
      const changes = changesRequested(e);
      if (!changes) return undefined;
      const added = changes['permissions_added'];
      const removed = changes['permissions_removed'];
      const parts: string[] = [];
      const name = asString(changes['role_name']);
      if (name) parts.push(`renamed to ${quote(name)}`);
      if (Array.isArray(added) && added.length > 0) parts.push(`added ${formatList(added)}`);
      if (Array.isArray(removed) && removed.length > 0) parts.push(`removed ${formatList(removed)}`);
      const rest = formatChanges(changes, ['role_name', 'permissions_added', 'permissions_removed']);
      if (rest) parts.push(rest);
      return parts.length > 0 ? `${c.subject} updated: ${parts.join('; ')}` : undefined;
    }
    return undefined;
  },
  'role.assignment': (e, c) => {
    const d = c.detail;
    const principal = asString(d?.['principal_id']);
    const principalType = asString(d?.['principal_type']);
    const resource = asString(d?.['resource_id']);
    const resourceType = asString(d?.['resource_type']);
    if (!principal && !resource) return undefined;
    const to = eventAction(e.type) === 'deleted' ? 'from' : 'for';
    return `${c.subject} ${c.verb}${principal ? ` ${to} ${principalType ? `${humanize(principalType)} ` : ''}${formatValue(principal)}` : ''}${
      resource ? ` on ${resourceType ? `${humanize(resourceType)} ` : ''}${formatValue(resource)}` : ''
    }`;
  },
  ip_allowlist: (_e, c) => {
    const name = asString(c.detail?.['name']);
    const ips = c.detail?.['allowed_ips'];
    if (!name && !Array.isArray(ips)) return undefined;
    return `${c.subject}${name ? ` ${quote(name)}` : ''} ${c.verb}${Array.isArray(ips) ? `: ${ips.length === 0 ? 'no IPs' : formatList(ips)}` : ''}`;
  },
  'ip_allowlist.config': (_e, c) => namedItems('IP allowlist configurations', c.verb, c.detail?.['configs']),
  certificates: (_e, c) => namedItems('Certificates', c.verb, c.detail?.['certificates']),
  certificate: (_e, c) => {
    const name = asString(c.detail?.['name']);
    return name ? `${c.subject} ${quote(name)} ${c.verb}` : undefined;
  },
};

/** A one-line summary of the event; never throws, at most SUMMARY_MAX_LENGTH characters. */
export function summarizeEvent(e: AuditEvent): string {
  try {
    return finish(summarize(e));
  } catch {
    return finish(typeof e?.type === 'string' ? e.type : 'Audit event');
  }
}

function summarize(e: AuditEvent): string {
  if (typeof e !== 'object' || e === null) return 'Audit event';
  const type = typeof e.type === 'string' && e.type !== '' ? e.type : undefined;
  if (type === undefined) return 'Audit event of unknown type';
  const id = resourceId(e);
  if (!isKnownEventType(type)) return id ? `${type} on ${formatValue(id)}` : type;

  const family = eventFamily(type);
  const ctx: SummaryContext = {
    subject: `${nounOf(family)}${id ? ` ${formatValue(id)}` : ''}`,
    verb: humanize(eventAction(type)),
    detail: eventDetail(e),
  };
  const special = BY_FAMILY[family]?.(e, ctx);
  if (special) return special;

  const changes = changesRequested(e);
  if (changes) {
    const renameFields = NAME_FIELDS[family] ?? [];
    const newName = renameFields.map((f) => asString(changes[f])).find((v) => v !== undefined);
    const rest = formatChanges(changes, renameFields);
    if (newName) return `${ctx.subject} renamed to ${quote(newName)}${rest ? `; ${rest}` : ''}`;
    return rest ? `${ctx.subject} ${ctx.verb}: ${rest}` : `${ctx.subject} ${ctx.verb}`;
  }
  const data = createdData(e);
  if (data) {
    const fields = formatChanges(data, [], ' ');
    return fields ? `${ctx.subject} ${ctx.verb} with ${fields}` : `${ctx.subject} ${ctx.verb}`;
  }
  return `${ctx.subject} ${ctx.verb}`;
}

function authSummary(e: AuditEvent, what: string, c: SummaryContext): string {
  const actor = describeActor(e);
  const who = actor.kind === 'none' || actor.kind === 'unknown' ? '' : ` for ${formatValue(actor.label)}`;
  const code = asString(c.detail?.['error_code']) ?? asString(c.detail?.['error_message']);
  return `${what} ${c.verb}${who}${code ? `: ${formatValue(code)}` : ''}`;
}

function namedItems(noun: string, verb: string, items: unknown): string | undefined {
  if (!Array.isArray(items)) return undefined;
  const names = items.map((item) => {
    const r = asRecord(item);
    return asString(r?.['name']) ?? asString(r?.['id']) ?? '?';
  });
  return `${noun} ${verb}: ${names.length === 0 ? 'none' : formatList(names)}`;
}

/** "field → value, field → value (+2 more)" for the fields of `changes` not in `skip`. */
function formatChanges(changes: Record<string, unknown>, skip: readonly string[], arrow = ' → '): string {
  const keys = Object.keys(changes).filter((k) => !skip.includes(k));
  if (keys.length === 0) return '';
  const shown = keys.slice(0, FIELDS_MAX).map((k) => `${clean(k, VALUE_MAX_LENGTH)}${arrow}${formatValue(changes[k])}`);
  return `${shown.join(', ')}${keys.length > FIELDS_MAX ? ` (+${keys.length - FIELDS_MAX} more)` : ''}`;
}

function nounOf(family: string): string {
  const noun = NOUNS[family];
  if (noun) return noun;
  return capitalize(humanize(family));
}

/** 'tenant.sso_connection' -> 'tenant SSO connection'. */
function humanize(identifier: string): string {
  return identifier
    .split(/[._]+/)
    .filter((w) => w !== '')
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w)
    .join(' ');
}

function capitalize(s: string): string {
  return s === '' ? s : s[0]!.toUpperCase() + s.slice(1);
}

function quote(s: string): string {
  return `'${clean(s, VALUE_MAX_LENGTH)}'`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return clean(value, VALUE_MAX_LENGTH);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : formatList(value);
  try {
    return clean(JSON.stringify(value) ?? '{…}', VALUE_MAX_LENGTH);
  } catch {
    return '{…}';
  }
}

function formatList(items: readonly unknown[]): string {
  const shown = items.slice(0, LIST_MAX_ITEMS).map((v) => (Array.isArray(v) ? '[…]' : formatValue(v)));
  return `${shown.join(', ')}${items.length > LIST_MAX_ITEMS ? ` (+${items.length - LIST_MAX_ITEMS} more)` : ''}`;
}

/** One line, no direction tricks or link syntax, at most `max` characters. */
function clean(s: string, max: number): string {
  return clipDisplayText(s, max);
}

function finish(summary: string): string {
  return clean(summary, SUMMARY_MAX_LENGTH);
}
