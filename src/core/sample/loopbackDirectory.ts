/**
 * The organization's directory on the loopback fake API: `/v1/organization/users`, invites, groups and
 * their users, roles (organization and `/v1/projects/{id}/roles`), projects (archived ones with
 * `include_archived=true`), per project its users, service accounts and API keys, and the Admin API keys.
 * Lists page as the Admin API's do: `limit` 1..100 (default 20), `after=<id>` (an id the list holds, else
 * 400), `{ object: 'list', data, first_id, last_id, has_more }`.
 *
 * `sampleDirectory` builds the data from the sample organization, consistent with its events: the roster
 * at the end of the window, and what the events did to invites, groups, roles and project members. A
 * "restricted key" is simulated with `denied`: those lists answer 403 as a key without their scope would.
 */
import type { SampleEvent, SampleOrganization, SampleUser } from './sampleTypes';

type Wire = Record<string, unknown>;

/** The lists a restricted key can be refused (the names of `DirectoryParts` in src/core/directory). */
export type LoopbackDirectoryList =
  | 'users'
  | 'invites'
  | 'groups'
  | 'groupMembers'
  | 'roles'
  | 'projects'
  | 'projectRoles'
  | 'projectUsers'
  | 'serviceAccounts'
  | 'apiKeys'
  | 'adminApiKeys';

/** The directory in wire shape; per-project lists by project id. */
export interface LoopbackDirectoryData {
  users: Wire[];
  invites: Wire[];
  groups: Wire[];
  groupUsers: Record<string, Wire[]>;
  roles: Wire[];
  projects: Wire[];
  projectRoles: Record<string, Wire[]>;
  projectUsers: Record<string, Wire[]>;
  serviceAccounts: Record<string, Wire[]>;
  apiKeys: Record<string, Wire[]>;
  adminApiKeys: Wire[];
}

export type DirectoryAnswer = { status: number; body: string };

const ROUTES: readonly [RegExp, LoopbackDirectoryList][] = [
  [/^\/v1\/organization\/users$/, 'users'],
  [/^\/v1\/organization\/invites$/, 'invites'],
  [/^\/v1\/organization\/groups$/, 'groups'],
  [/^\/v1\/organization\/groups\/([^/]+)\/users$/, 'groupMembers'],
  [/^\/v1\/organization\/roles$/, 'roles'],
  [/^\/v1\/organization\/projects$/, 'projects'],
  [/^\/v1\/projects\/([^/]+)\/roles$/, 'projectRoles'],
  [/^\/v1\/organization\/projects\/([^/]+)\/users$/, 'projectUsers'],
  [/^\/v1\/organization\/projects\/([^/]+)\/service_accounts$/, 'serviceAccounts'],
  [/^\/v1\/organization\/projects\/([^/]+)\/api_keys$/, 'apiKeys'],
  [/^\/v1\/organization\/admin_api_keys$/, 'adminApiKeys'],
];

const SCOPES: Record<LoopbackDirectoryList, string> = {
  users: 'api.organization.users.read',
  invites: 'api.organization.invites.read',
  groups: 'api.groups.read',
  groupMembers: 'api.groups.read',
  roles: 'api.roles.read',
  projects: 'api.organization.projects.read',
  projectRoles: 'api.roles.read',
  projectUsers: 'api.organization.projects.users.read',
  serviceAccounts: 'api.organization.projects.service_accounts.read',
  apiKeys: 'api.organization.projects.api_keys.read',
  adminApiKeys: 'api.admin_api_keys.read',
};

function error(status: number, message: string, param: string | null, code: string | null): DirectoryAnswer {
  return { status, body: JSON.stringify({ error: { message, type: 'invalid_request_error', param, code } }) };
}

export class LoopbackDirectory {
  private denied: ReadonlySet<LoopbackDirectoryList>;
  constructor(
    private data: LoopbackDirectoryData,
    denied: readonly LoopbackDirectoryList[] = [],
  ) {
    this.denied = new Set(denied);
  }

  setData(data: LoopbackDirectoryData): void {
    this.data = data;
  }

  /** The lists answered with 403 from now on (a restricted key). */
  setDenied(lists: readonly LoopbackDirectoryList[]): void {
    this.denied = new Set(lists);
  }

  /** The answer for a directory path (called once the key is checked), or undefined for any other path. */
  match(path: string, query: Readonly<Record<string, readonly string[]>>): (() => DirectoryAnswer) | undefined {
    for (const [pattern, list] of ROUTES) {
      const m = pattern.exec(path);
      if (m) return () => this.answer(list, m[1] !== undefined ? decodeURIComponent(m[1]) : undefined, query);
    }
    return undefined;
  }

  private answer(list: LoopbackDirectoryList, id: string | undefined, query: Readonly<Record<string, readonly string[]>>): DirectoryAnswer {
    if (this.denied.has(list)) {
      return error(403, `You have insufficient permissions for this operation. Missing scopes: ${SCOPES[list]}.`, null, 'insufficient_permissions');
    }
    const items = this.items(list, id, query);
    if (items === undefined) return error(404, `No such object: ${id ?? ''}`, null, 'not_found');
    return pageOf(items, query);
  }

  private items(list: LoopbackDirectoryList, id: string | undefined, query: Readonly<Record<string, readonly string[]>>): Wire[] | undefined {
    const d = this.data;
    const perProject = (table: Record<string, Wire[]>) => (id !== undefined && d.projects.some((p) => p.id === id) ? (table[id] ?? []) : undefined);
    switch (list) {
      case 'projects':
        return query.include_archived?.[0] === 'true' ? d.projects : d.projects.filter((p) => p.status !== 'archived');
      case 'groupMembers':
        return id !== undefined && d.groups.some((g) => g.id === id) ? (d.groupUsers[id] ?? []) : undefined;
      case 'projectRoles':
        return perProject(d.projectRoles);
      case 'projectUsers':
        return perProject(d.projectUsers);
      case 'serviceAccounts':
        return perProject(d.serviceAccounts);
      case 'apiKeys':
        return perProject(d.apiKeys);
      default:
        return d[list];
    }
  }
}

function pageOf(items: readonly Wire[], query: Readonly<Record<string, readonly string[]>>): DirectoryAnswer {
  const limitText = query.limit?.[0];
  const limit = limitText === undefined ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'limit must be an integer from 1 to 100.', 'limit', 'invalid_value');
  let start = 0;
  const after = query.after?.[0];
  if (after !== undefined) {
    const at = items.findIndex((i) => i.id === after);
    if (at < 0) return error(400, `after: no object with id ${after} in this list.`, 'after', 'invalid_value');
    start = at + 1;
  }
  const data = items.slice(start, start + limit);
  const first = data[0]?.id ?? null;
  const last = data[data.length - 1]?.id ?? null;
  const hasMore = start + limit < items.length;
  return { status: 200, body: JSON.stringify({ object: 'list', data, first_id: first, last_id: last, has_more: hasMore, next: hasMore ? last : null }) };
}

// ---- the sample organization's directory ---------------------------------------------------------------

/** `sk-…abcd` as the API redacts a key: a prefix and the last four characters of a value made up from the id. */
function redacted(prefix: string, id: string): string {
  return `${prefix}****${id.slice(-4)}`;
}

function userWire(u: SampleUser, role: string, addedAt: number): Wire {
  return { object: 'organization.user', id: u.id, name: u.name, email: u.email, role, added_at: addedAt };
}

/** Newest use of each API key in the events (`actor.api_key.id`). */
function lastUses(events: readonly SampleEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    const actor = e.actor;
    if (actor?.type !== 'api_key') continue;
    const id = actor.api_key.id;
    out.set(id, Math.max(out.get(id) ?? 0, e.effective_at));
  }
  return out;
}

function detailOf(e: SampleEvent): Wire {
  const d = e[e.type];
  return typeof d === 'object' && d !== null ? (d as Wire) : {};
}

/** Replays invites, groups, custom roles and project membership from the events, oldest first. */
function replay(org: SampleOrganization) {
  const invites = new Map<string, Wire>();
  const groups = new Map<string, Wire>();
  const roles = new Map<string, { wire: Wire; projectId?: string }>();
  const members = new Map<string, Map<string, string>>();
  for (const e of [...org.events].reverse()) {
    const d = detailOf(e);
    const id = typeof d.id === 'string' ? d.id : '';
    const data = (d.data ?? {}) as Wire;
    const changes = (d.changes_requested ?? {}) as Wire;
    switch (e.type) {
      case 'invite.sent':
        invites.set(id, { object: 'organization.invite', id, email: data.email, role: data.role, status: 'pending', invited_at: e.effective_at, expires_at: e.effective_at + 30 * 86_400 });
        break;
      case 'invite.accepted': {
        const inv = invites.get(id);
        if (inv) Object.assign(inv, { status: 'accepted', accepted_at: e.effective_at });
        break;
      }
      case 'invite.deleted':
        invites.delete(id);
        break;
      case 'group.created':
        groups.set(id, { object: 'group', id, name: data.group_name, created_at: e.effective_at, is_scim_managed: false });
        break;
      case 'group.updated':
        if (groups.has(id) && typeof changes.group_name === 'string') groups.get(id)!.name = changes.group_name;
        break;
      case 'group.deleted':
        groups.delete(id);
        break;
      case 'role.created': {
        const projectId = d.resource_type === 'api.project' && typeof d.resource_id === 'string' ? d.resource_id : undefined;
        const wire: Wire = { object: 'role', id, name: d.role_name, description: null, permissions: [...((d.permissions as string[]) ?? [])], resource_type: d.resource_type, predefined_role: false };
        roles.set(id, projectId !== undefined ? { wire, projectId } : { wire });
        break;
      }
      case 'role.updated': {
        const role = roles.get(id)?.wire;
        if (!role) break;
        if (typeof changes.role_name === 'string') role.name = changes.role_name;
        const perms = new Set(role.permissions as string[]);
        for (const p of (changes.permissions_added as string[]) ?? []) perms.add(p);
        for (const p of (changes.permissions_removed as string[]) ?? []) perms.delete(p);
        role.permissions = [...perms];
        break;
      }
      case 'role.deleted':
        roles.delete(id);
        break;
      case 'user.added':
      case 'user.updated':
      case 'user.deleted': {
        if (!e.project) break;
        const m = members.get(e.project.id) ?? new Map<string, string>();
        members.set(e.project.id, m);
        if (e.type === 'user.deleted') m.delete(id);
        else m.set(id, String((e.type === 'user.added' ? data.role : changes.role) ?? m.get(id) ?? 'member'));
        break;
      }
    }
  }
  return { invites, groups, roles, members };
}

/** The sample organization's directory as the Admin API would list it at the end of the window. */
export function sampleDirectory(org: SampleOrganization): LoopbackDirectoryData {
  const before = org.startTime - 90 * 86_400;
  const used = lastUses(org.events);
  const { invites, groups, roles, members } = replay(org);
  const users = org.users.filter((u) => u.removedAt === undefined);
  const byId = new Map(org.users.map((u) => [u.id, u]));
  const projects = org.projects.filter((p) => p.status !== 'deleted');
  const data: LoopbackDirectoryData = {
    users: users.map((u) => userWire(u, u.role, u.addedAt ?? before)),
    invites: [...invites.values()],
    groups: [...groups.values()],
    groupUsers: {},
    roles: [
      { object: 'role', id: 'role_org_owner', name: 'Owner', permissions: ['api.organization.write'], resource_type: 'api.organization', predefined_role: true },
      { object: 'role', id: 'role_org_reader', name: 'Reader', permissions: ['api.organization.read'], resource_type: 'api.organization', predefined_role: true },
      ...[...roles.values()].filter((r) => r.projectId === undefined).map((r) => r.wire),
    ],
    projects: projects.map((p) => ({ object: 'organization.project', id: p.id, name: p.name, created_at: p.createdAt ?? before, archived_at: p.archivedAt ?? null, status: p.status })),
    projectRoles: {},
    projectUsers: {},
    serviceAccounts: {},
    apiKeys: {},
    adminApiKeys: [],
  };
  // Group members: every third current user, by the group's place (deterministic).
  data.groups.forEach((g, i) => (data.groupUsers[String(g.id)] = users.filter((_, j) => j % 3 === i % 3).map((u) => userWire(u, u.role, u.addedAt ?? before))));
  for (const p of projects) {
    const m = members.get(p.id) ?? new Map<string, string>();
    for (const owner of users.filter((u) => u.role === 'owner')) if (!m.has(owner.id)) m.set(owner.id, 'owner');
    data.projectUsers[p.id] = [...m].filter(([id]) => byId.get(id)?.removedAt === undefined && byId.has(id)).map(([id, role]) => ({ ...userWire(byId.get(id)!, role, before), object: 'organization.project.user' }));
    data.projectRoles[p.id] = [
      ...['Owner', 'Member', 'Viewer'].map((name) => ({ object: 'role', id: `role_${name.toLowerCase()}_${p.id.slice(5, 17)}`, name, permissions: [], resource_type: 'api.project', predefined_role: true })),
      ...[...roles.values()].filter((r) => r.projectId === p.id).map((r) => r.wire),
    ];
    data.serviceAccounts[p.id] = org.serviceAccounts
      .filter((s) => s.projectId === p.id && s.deletedAt === undefined)
      .map((s) => ({ object: 'organization.project.service_account', id: s.id, name: s.name, role: s.role, created_at: s.createdAt ?? before }));
    data.apiKeys[p.id] = [];
  }
  for (const k of org.apiKeys.filter((k) => k.deletedAt === undefined)) {
    const base = { id: k.id, name: k.name, created_at: k.createdAt ?? before, last_used_at: used.get(k.id) ?? null };
    const user = k.userId !== undefined ? byId.get(k.userId) : undefined;
    if (k.kind === 'admin') {
      data.adminApiKeys.push({ object: 'organization.admin_api_key', ...base, redacted_value: redacted('sk-admin-', k.id), owner: user ? { type: 'user', object: 'organization.user', id: user.id, name: user.name, role: user.role, created_at: before } : null });
    } else if (k.projectId !== undefined && data.apiKeys[k.projectId]) {
      const sa = org.serviceAccounts.find((s) => s.id === k.serviceAccountId);
      const owner = k.kind === 'service_account' && sa
        ? { type: 'service_account', service_account: { object: 'organization.project.service_account', id: sa.id, name: sa.name, role: sa.role, created_at: sa.createdAt ?? before } }
        : user
          ? { type: 'user', user: userWire(user, user.role, user.addedAt ?? before) }
          : { type: 'user', user: { id: k.userId } };
      data.apiKeys[k.projectId]!.push({ object: 'organization.project.api_key', ...base, redacted_value: redacted('sk-proj-', k.id), owner });
    }
  }
  return data;
}
