/**
 * Reads the organization's directory through the audit log's own client (`AuditLogClient.getJson`: the same
 * key, retries, timeouts, proxy, errors and redaction), paged by `limit`/`after` as the Admin API pages. A
 * list the key may not read (401/403) or that this API does not have (404) is skipped with a note in
 * `unavailable`; the rest is still read. Anything else (network, 5xx after retries, cancel) fails the read.
 */
import { EndpointNotFoundError, InvalidKeyError, InvalidResponseError, NotAdminKeyError } from '../api/errors';
import type { Directory, DirectoryApiKey, DirectoryGroup, DirectoryProject, DirectoryProjectUser, DirectoryRole, DirectoryServiceAccount } from './types';
import {
  memberId,
  readPage,
  toApiKey,
  toGroup,
  toInvite,
  toProject,
  toProjectUser,
  toRole,
  toServiceAccount,
  toUser,
} from './wire';

/** What the reader needs of a client: `AuditLogClient` is one. */
export interface DirectoryHttp {
  getJson(
    path: string,
    params?: Readonly<Record<string, string | number | boolean | undefined>>,
    options?: { readonly signal?: AbortSignal },
  ): Promise<{ readonly body: unknown }>;
}

export interface ReadDirectoryOptions {
  readonly signal?: AbortSignal;
  /** Waited on before every request (the window's shared rate-limit gate). */
  readonly gate?: { ready(signal?: AbortSignal): Promise<void> };
  /** Items per page; default 100 (the API's maximum). */
  readonly pageSize?: number;
  /** Unix seconds; default now. */
  readonly now?: () => number;
}

/** The parts of the directory, as named in the notes. */
export const DirectoryParts = {
  users: 'Users',
  invites: 'Invites',
  groups: 'Groups',
  groupMembers: 'Members of groups',
  roles: 'Roles of the organization',
  projects: 'Projects',
  projectRoles: 'Roles of projects',
  projectUsers: 'Users of projects',
  serviceAccounts: 'Service accounts of projects',
  apiKeys: 'API keys of projects',
  adminApiKeys: 'Admin API keys',
} as const;
export type DirectoryPart = keyof typeof DirectoryParts;

/** A safety stop: a list that never ends (a cursor loop the API should not produce). */
const MAX_PAGES = 1_000;

class Reader {
  readonly unavailable = new Map<DirectoryPart, string>();
  /** The first refusal, thrown when the key could read nothing at all. */
  firstRefusal: unknown;
  constructor(
    private readonly http: DirectoryHttp,
    private readonly options: ReadDirectoryOptions,
  ) {}

  /** Every item of a list; undefined (and a note) when the key may not read it. */
  async list<T>(part: DirectoryPart, path: string, map: (o: Readonly<Record<string, unknown>>) => T | undefined, extra: Record<string, string | boolean> = {}): Promise<T[] | undefined> {
    if (this.unavailable.has(part)) return undefined;
    const out: T[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      await this.options.gate?.ready(this.options.signal);
      let body: unknown;
      try {
        ({ body } = await this.http.getJson(path, { ...extra, limit: this.options.pageSize ?? 100, after }, this.signalOption()));
      } catch (e) {
        const note = skipNote(part, e);
        if (note === undefined) throw e;
        this.unavailable.set(part, note);
        this.firstRefusal ??= e;
        return undefined;
      }
      const { data, hasMore, cursor } = readPage(body);
      for (const o of data) {
        const item = map(o);
        if (item !== undefined) out.push(item);
      }
      if (!hasMore || cursor === undefined) return out;
      if (seen.has(cursor)) throw new InvalidResponseError(`the cursor ${cursor} of ${path} came back twice; paging stopped to avoid a loop.`);
      seen.add(cursor);
      after = cursor;
    }
    return out;
  }

  private signalOption(): { signal?: AbortSignal } {
    return this.options.signal ? { signal: this.options.signal } : {};
  }
}

/** The note for a list that is skipped, or undefined when the error must fail the read. */
function skipNote(part: DirectoryPart, e: unknown): string | undefined {
  if (e instanceof NotAdminKeyError || e instanceof InvalidKeyError) return `${DirectoryParts[part]}: not readable with this key`;
  if (e instanceof EndpointNotFoundError) return `${DirectoryParts[part]}: not offered by this API`;
  return undefined;
}

const enc = encodeURIComponent;
const TOP_LEVEL: readonly DirectoryPart[] = ['users', 'invites', 'groups', 'roles', 'projects', 'adminApiKeys'];

async function readGroups(r: Reader): Promise<DirectoryGroup[]> {
  const groups = (await r.list('groups', '/organization/groups', toGroup)) ?? [];
  const out: DirectoryGroup[] = [];
  for (const g of groups) {
    const members = await r.list('groupMembers', `/organization/groups/${enc(g.id)}/users`, memberId);
    out.push({ ...g, memberIds: members ?? [] });
  }
  return out;
}

interface ProjectParts {
  roles: DirectoryRole[];
  users: DirectoryProjectUser[];
  serviceAccounts: DirectoryServiceAccount[];
  apiKeys: DirectoryApiKey[];
}

async function readProjectParts(r: Reader, projects: readonly DirectoryProject[]): Promise<ProjectParts> {
  const parts: ProjectParts = { roles: [], users: [], serviceAccounts: [], apiKeys: [] };
  for (const p of projects) {
    const base = `/organization/projects/${enc(p.id)}`;
    parts.users.push(...((await r.list('projectUsers', `${base}/users`, (o) => toProjectUser(o, p.id))) ?? []));
    parts.serviceAccounts.push(...((await r.list('serviceAccounts', `${base}/service_accounts`, (o) => toServiceAccount(o, p.id))) ?? []));
    parts.apiKeys.push(...((await r.list('apiKeys', `${base}/api_keys`, (o) => toApiKey(o, p.id))) ?? []));
    parts.roles.push(...((await r.list('projectRoles', `/projects/${enc(p.id)}/roles`, (o) => toRole(o, p.id))) ?? []));
  }
  return parts;
}

/**
 * Reads every part of the directory, one request at a time (the directory of a large organization is a few
 * hundred requests; the audit log's syncs keep the concurrency).
 */
export async function readDirectory(http: DirectoryHttp, options: ReadDirectoryOptions = {}): Promise<Directory> {
  const r = new Reader(http, options);
  const users = (await r.list('users', '/organization/users', toUser)) ?? [];
  const invites = (await r.list('invites', '/organization/invites', toInvite)) ?? [];
  const groups = await readGroups(r);
  const orgRoles = (await r.list('roles', '/organization/roles', (o) => toRole(o))) ?? [];
  const projects = (await r.list('projects', '/organization/projects', toProject, { include_archived: true })) ?? [];
  const parts = await readProjectParts(r, projects);
  const adminApiKeys = (await r.list('adminApiKeys', '/organization/admin_api_keys', (o) => toApiKey(o))) ?? [];
  // A key that may read none of the organization's lists is a wrong key, not a restricted one: say so.
  if (TOP_LEVEL.every((p) => r.unavailable.has(p))) throw r.firstRefusal;
  return {
    readAt: Math.floor(options.now?.() ?? Date.now() / 1000),
    users,
    invites,
    groups,
    roles: [...orgRoles, ...parts.roles],
    projects,
    projectUsers: parts.users,
    serviceAccounts: parts.serviceAccounts,
    apiKeys: parts.apiKeys,
    adminApiKeys,
    unavailable: [...r.unavailable.values()],
  };
}
