/**
 * What a rule's paths read from one event: the event's own fields (`id`, `type`, `effective_at`, `project`,
 * `actor`), `detail` (the typed payload, `event[event.type]`), and a few derived facts that every rule would
 * otherwise spell out for each actor kind:
 *
 * - `$actor`: who did it (email, else user, service account or key id); `$email`: the actor's email;
 * - `$ip`, `$country`, `$asn`: where from (session or API key, `ip_address_details`);
 * - `$role.name`, `$role.known`, `$role.admin`, `$role.owner`: the role an event grants, read from any role
 *   field a payload carries (`role`, `role_id`, `role_name`, in the detail, its `data` or its
 *   `changes_requested`) and resolved through the archive's `role.created` / `role.updated` history or the
 *   organization's directory (a role id's name; for an assignment that names no role, the principal's role).
 */
import type { AuditEvent } from '../model';
import { asRecord, asString, describeActor, eventDetail } from '../model/eventHelpers';

/** Role ids to names, from the archive's role history (or any other source a caller has). */
export interface RoleDirectory {
  nameOf(roleId: string): string | undefined;
  /**
   * The role a principal (`user`, `service_account`, ...) holds on a resource (an organization, or a project
   * when `resourceType` says so) in the organization's directory, when it is known: what names the role of
   * an assignment whose event does not.
   */
  principalRole?(principal: { type: string; id: string; resourceId?: string; resourceType?: string }): string | undefined;
}

export const NO_ROLES: RoleDirectory = { nameOf: () => undefined };

export interface RoleFact {
  readonly name: string | null;
  readonly known: boolean;
  readonly admin: boolean;
  readonly owner: boolean;
}

const ROLE_FIELDS = ['role', 'role_name', 'role_id'] as const;
const ADMIN_ROLE = /\b(owner|admins?|administrator)\b/iu;
const OWNER_ROLE = /^(organization |org )?owner$/iu;

/** The role an event names (or its id resolved to a name), or null when nothing names it. */
export function roleOf(event: AuditEvent, roles: RoleDirectory): RoleFact {
  const detail = eventDetail(event);
  for (const where of [detail, asRecord(detail?.['data']), asRecord(detail?.['changes_requested'])]) {
    for (const field of ROLE_FIELDS) {
      const raw = where?.[field];
      const text = asString(raw) ?? asString(asRecord(raw)?.['name']) ?? asString(asRecord(raw)?.['id']);
      if (text === undefined) continue;
      const name = roles.nameOf(text) ?? (looksLikeId(text) ? undefined : text);
      if (name !== undefined) return named(name);
    }
  }
  // Nothing in the event names the role: the directory may say which role the principal holds.
  const principalId = asString(detail?.['principal_id']);
  const principalType = asString(detail?.['principal_type']);
  if (principalId !== undefined && principalType !== undefined && roles.principalRole) {
    const resourceId = asString(detail?.['resource_id']);
    const resourceType = asString(detail?.['resource_type']);
    const held = roles.principalRole({ type: principalType, id: principalId, ...(resourceId ? { resourceId } : {}), ...(resourceType ? { resourceType } : {}) });
    const name = held === undefined ? undefined : (roles.nameOf(held) ?? (looksLikeId(held) ? undefined : held));
    if (name !== undefined) return named(name);
  }
  return { name: null, known: false, admin: false, owner: false };
}

function named(name: string): RoleFact {
  return { name, known: true, admin: ADMIN_ROLE.test(name), owner: OWNER_ROLE.test(name.trim()) };
}

function looksLikeId(text: string): boolean {
  return /^role[-_][A-Za-z0-9]+$/u.test(text);
}

const cache = new WeakMap<AuditEvent, EventFacts>();

/** One event's facts, shared by every rule that looks at it in a run (the actor is described once). */
export function factsOf(event: AuditEvent, roles: RoleDirectory): EventFacts {
  let f = cache.get(event);
  if (!f || f.roles !== roles) cache.set(event, (f = new EventFacts(event, roles)));
  return f;
}

/** The root value a path starts from (`detail`, `$…`, or the event's own key). */
export class EventFacts {
  private role: RoleFact | undefined;
  private actorFacts: Record<string, string | null> | undefined;

  constructor(
    readonly event: AuditEvent,
    readonly roles: RoleDirectory,
  ) {}

  root(name: string): unknown {
    if (name === 'detail') return eventDetail(this.event);
    if (name === '$role') return (this.role ??= roleOf(this.event, this.roles));
    if (name.startsWith('$')) return this.actor()[name] ?? undefined;
    return (this.event as Record<string, unknown>)[name];
  }

  private actor(): Record<string, string | null> {
    if (this.actorFacts) return this.actorFacts;
    const info = describeActor(this.event);
    const actor = asRecord(this.event.actor);
    const where = asRecord(asRecord(actor?.['session'])?.['ip_address_details']) ?? asRecord(asRecord(actor?.['api_key'])?.['ip_address_details']);
    const asn = where?.['asn'];
    this.actorFacts = {
      $actor: info.kind === 'none' || (info.kind === 'unknown' && !info.actorId) ? null : (info.email ?? info.actorId ?? info.label),
      $email: info.email ?? null,
      $ip: info.ipAddress ?? null,
      $country: asString(where?.['country']) ?? null,
      $asn: typeof asn === 'number' ? String(asn) : (asString(asn) ?? null),
    };
    return this.actorFacts;
  }
}
