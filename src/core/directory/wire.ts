/**
 * The Admin API's directory objects → our shapes. Lenient: a field of the wrong type is left out rather
 * than failing the list (the API adds fields; a missing name becomes ''). Only named fields are copied, so
 * whatever else a response carries (a key's `value`, should one ever be sent) is never kept.
 */
import type {
  DirectoryApiKey,
  DirectoryGroup,
  DirectoryInvite,
  DirectoryKeyOwner,
  DirectoryProject,
  DirectoryProjectUser,
  DirectoryRole,
  DirectoryServiceAccount,
  DirectoryUser,
} from './types';

type Obj = Readonly<Record<string, unknown>>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(o: Obj, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}
function num(o: Obj, k: string): number | undefined {
  const v = o[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
/** Only the defined properties (exactOptionalPropertyTypes). */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** One page of a list: `{ data, has_more, last_id | next }`. */
export interface WirePage {
  readonly data: readonly Obj[];
  readonly hasMore: boolean;
  readonly cursor: string | undefined;
}

export function readPage(body: unknown): WirePage {
  if (!isObj(body) || !Array.isArray(body.data)) throw new Error('the response is not a list ({ data: [...] }).');
  const data = body.data.filter(isObj);
  const last = data[data.length - 1];
  const cursor = str(body, 'last_id') ?? str(body, 'next') ?? (last ? str(last, 'id') : undefined);
  return { data, hasMore: body.has_more === true, cursor };
}

export function toUser(o: Obj): DirectoryUser | undefined {
  const id = str(o, 'id');
  if (!id) return undefined;
  return defined({ id, name: str(o, 'name') ?? '', email: str(o, 'email') ?? '', role: str(o, 'role') ?? '', addedAt: num(o, 'added_at') });
}

export function toInvite(o: Obj): DirectoryInvite | undefined {
  const id = str(o, 'id');
  if (!id) return undefined;
  return defined({
    id,
    email: str(o, 'email') ?? '',
    role: str(o, 'role') ?? '',
    status: str(o, 'status') ?? '',
    invitedAt: num(o, 'invited_at'),
    expiresAt: num(o, 'expires_at'),
  });
}

export function toGroup(o: Obj): Omit<DirectoryGroup, 'memberIds'> | undefined {
  const id = str(o, 'id');
  if (!id) return undefined;
  return { id, name: str(o, 'name') ?? str(o, 'group_name') ?? '' };
}

/** A member row of a group: a user object, or `{ user: {…} }`, or `{ user_id }`. */
export function memberId(o: Obj): string | undefined {
  const user = o.user;
  if (isObj(user)) return str(user, 'id');
  return str(o, 'user_id') ?? str(o, 'id');
}

export function toRole(o: Obj, projectId?: string): DirectoryRole | undefined {
  const id = str(o, 'id');
  if (!id) return undefined;
  const permissions = Array.isArray(o.permissions) ? o.permissions.filter((p): p is string => typeof p === 'string') : [];
  return defined({ id, name: str(o, 'name') ?? str(o, 'role_name') ?? '', projectId, permissions });
}

export function toProject(o: Obj): DirectoryProject | undefined {
  const id = str(o, 'id');
  if (!id) return undefined;
  return defined({
    id,
    name: str(o, 'name') ?? str(o, 'title') ?? '',
    status: str(o, 'status') ?? (num(o, 'archived_at') !== undefined ? 'archived' : 'active'),
    createdAt: num(o, 'created_at'),
    archivedAt: num(o, 'archived_at'),
  });
}

export function toProjectUser(o: Obj, projectId: string): DirectoryProjectUser | undefined {
  const userId = str(o, 'id') ?? str(o, 'user_id');
  if (!userId) return undefined;
  return { projectId, userId, name: str(o, 'name') ?? '', email: str(o, 'email') ?? '', role: str(o, 'role') ?? '' };
}

export function toServiceAccount(o: Obj, projectId: string): DirectoryServiceAccount | undefined {
  const id = str(o, 'id');
  if (!id) return undefined;
  return defined({ id, name: str(o, 'name') ?? '', projectId, role: str(o, 'role') ?? '', createdAt: num(o, 'created_at') });
}

/**
 * A key's owner: project keys say `{ type, user: {…} }` or `{ type, service_account: {…} }`; Admin keys
 * put the owner's fields on `owner` itself.
 */
function toOwner(raw: unknown): DirectoryKeyOwner {
  if (!isObj(raw)) return { type: 'unknown' };
  const type = str(raw, 'type');
  const nested = isObj(raw.user) ? raw.user : isObj(raw.service_account) ? raw.service_account : raw;
  const kind: DirectoryKeyOwner['type'] =
    isObj(raw.service_account) || type === 'service_account' ? 'service_account' : isObj(raw.user) || type === 'user' ? 'user' : 'unknown';
  return defined({ type: kind, id: str(nested, 'id'), name: str(nested, 'name'), email: str(nested, 'email') });
}

export function toApiKey(o: Obj, projectId?: string): DirectoryApiKey | undefined {
  const id = str(o, 'id');
  if (!id) return undefined;
  return defined({
    id,
    name: str(o, 'name') ?? '',
    redactedValue: str(o, 'redacted_value') ?? '',
    projectId,
    owner: toOwner(o.owner),
    createdAt: num(o, 'created_at'),
    lastUsedAt: num(o, 'last_used_at'),
  });
}
