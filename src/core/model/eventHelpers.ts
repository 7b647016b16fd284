/**
 * Pure readers of an audit event for the views: who did it, on what, in
 * which project, what changed. Every field on the wire may be missing or of
 * an unexpected type, so each reader checks types and returns `undefined`
 * rather than throwing or passing a wrong type on.
 */
import type { AuditEvent } from './types';
import { AUDIT_LOG_EVENT_TYPES, type KnownEventType } from './generated';

export type ActorKind = 'user-session' | 'user-api-key' | 'service-account-api-key' | 'unknown' | 'none';

/** The actor of an event, normalized for display and filtering. */
export interface ActorInfo {
  kind: ActorKind;
  /** What to show: the email, else the user id, API key id or service account id; 'Unknown actor' or 'No actor'. */
  label: string;
  email?: string;
  userId?: string;
  /** The tracking id of the API key used (`actor.api_key.id`). */
  apiKeyId?: string;
  serviceAccountId?: string;
  ipAddress?: string;
  userAgent?: string;
  /** City and country from `ip_address_details`, e.g. 'San Francisco, US'. */
  location?: string;
  /** The id to pass as `actor_ids[]` to list this actor's events: user id, service account id, or API key id. */
  actorId?: string;
  /** `actor.type` as sent, when it is a string (useful for kinds this build does not know). */
  actorType?: string;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(AUDIT_LOG_EVENT_TYPES);

export function isKnownEventType(type: unknown): type is KnownEventType {
  return typeof type === 'string' && KNOWN_TYPES.has(type);
}

export function describeActor(e: AuditEvent): ActorInfo {
  const actor = asRecord(e?.actor);
  if (!actor) return { kind: 'none', label: 'No actor' };
  const actorType = asString(actor['type']);
  const session = asRecord(actor['session']);
  const apiKey = asRecord(actor['api_key']);

  if (actorType === 'session' || (actorType === undefined && session && !apiKey)) {
    const s = session ?? {};
    const user = asRecord(s['user']);
    const email = asString(user?.['email']);
    const userId = asString(user?.['id']);
    return compact({
      kind: 'user-session',
      label: email ?? userId ?? 'Unknown user',
      email,
      userId,
      ipAddress: asString(s['ip_address']),
      userAgent: asString(s['user_agent']),
      location: locationOf(asRecord(s['ip_address_details'])),
      actorId: userId,
      actorType,
    });
  }

  if (actorType === 'api_key' || (actorType === undefined && apiKey)) {
    const k = apiKey ?? {};
    const keyType = asString(k['type']);
    const apiKeyId = asString(k['id']);
    const user = asRecord(k['user']);
    const serviceAccount = asRecord(k['service_account']);
    const common = {
      apiKeyId,
      ipAddress: asString(k['ip_address']),
      userAgent: asString(k['user_agent']),
      location: locationOf(asRecord(k['ip_address_details'])),
      actorType,
    };
    if (keyType === 'service_account' || (keyType === undefined && serviceAccount && !user)) {
      const serviceAccountId = asString(serviceAccount?.['id']);
      return compact({
        kind: 'service-account-api-key',
        label: serviceAccountId ?? apiKeyId ?? 'Unknown service account',
        serviceAccountId,
        actorId: serviceAccountId ?? apiKeyId,
        ...common,
      });
    }
    if (keyType === 'user' || (keyType === undefined && user)) {
      const email = asString(user?.['email']);
      const userId = asString(user?.['id']);
      return compact({
        kind: 'user-api-key',
        label: email ?? apiKeyId ?? userId ?? 'Unknown user',
        email,
        userId,
        actorId: userId ?? apiKeyId,
        ...common,
      });
    }
    // An API key of a kind this build does not know: still name the key.
    return compact({ kind: 'unknown', label: apiKeyId ?? 'Unknown actor', actorId: apiKeyId, ...common });
  }

  return compact({ kind: 'unknown', label: 'Unknown actor', actorType });
}

/** The typed detail object: the value under the key equal to the event's type. */
export function eventDetail(e: AuditEvent): Record<string, unknown> | undefined {
  const type = e?.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(e, type)) return undefined;
  return asRecord((e as Record<string, unknown>)[type]);
}

/** The id of the resource the event is about (the detail's `id`). */
export function resourceId(e: AuditEvent): string | undefined {
  return asString(eventDetail(e)?.['id']);
}

/** The project the event was scoped to, with only the string fields; undefined when absent. */
export function projectOf(e: AuditEvent): { id?: string; name?: string } | undefined {
  const project = asRecord(e?.project);
  if (!project) return undefined;
  const id = asString(project['id']);
  const name = asString(project['name']);
  if (id === undefined && name === undefined) return undefined;
  return compact({ id, name });
}

/** The `changes_requested` of an update event (the new values), when it is an object. */
export function changesRequested(e: AuditEvent): Record<string, unknown> | undefined {
  return asRecord(eventDetail(e)?.['changes_requested']);
}

/** The `data` of a creation event (`*.created`, `invite.sent`, `user.added`, ...), when it is an object. */
export function createdData(e: AuditEvent): Record<string, unknown> | undefined {
  return asRecord(eventDetail(e)?.['data']);
}

export function hasChangesRequested(e: AuditEvent): boolean {
  return changesRequested(e) !== undefined;
}

export function hasCreatedData(e: AuditEvent): boolean {
  return createdData(e) !== undefined;
}

/** The type without its last segment: 'role.assignment.created' -> 'role.assignment'; a dotless type is its own family. */
export function eventFamily(type: string): string {
  if (typeof type !== 'string') return '';
  const dot = type.lastIndexOf('.');
  return dot < 0 ? type : type.slice(0, dot);
}

/** The last segment of the type: 'role.assignment.created' -> 'created'; '' for a dotless type. */
export function eventAction(type: string): string {
  if (typeof type !== 'string') return '';
  const dot = type.lastIndexOf('.');
  return dot < 0 ? '' : type.slice(dot + 1);
}

/** The value as a plain object (not null, not an array), else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The value when it is a non-empty string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function locationOf(details: Record<string, unknown> | undefined): string | undefined {
  if (!details) return undefined;
  const parts = [asString(details['city']) ?? asString(details['region']), asString(details['country'])].filter(
    (p): p is string => p !== undefined,
  );
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Drops keys whose value is undefined, so results compare cleanly and print compactly. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
