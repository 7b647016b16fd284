/**
 * What the directory section flags, as data: keys and service accounts never seen in the archive's events,
 * keys whose owner is no longer a member, keys unused for longer than a setting (when the API reports last
 * use), the owners and admins, and invites pending for more than 7 days. Pure: the caller passes which ids
 * the archive's events mention (`seenInArchive`) and the time.
 */
import type { Directory, DirectoryApiKey } from './types';

export type DirectoryFlagKind = 'keyNeverSeen' | 'serviceAccountNeverSeen' | 'keyOwnerGone' | 'keyUnused' | 'ownerOrAdmin' | 'staleInvite';

export interface DirectoryFlag {
  readonly kind: DirectoryFlagKind;
  readonly id: string;
  readonly name: string;
  /** A short fact: the redacted key, the owner, the last use, the role, the invite's age. */
  readonly detail: string;
}

export interface FlagOptions {
  /** Unix seconds. */
  readonly now: number;
  /** Ids the archive's events mention (as actor key/service account or as resource). */
  readonly seen: ReadonlySet<string>;
  /** Flag keys last used longer ago than this; default 90. */
  readonly unusedDays?: number;
  /** Default 7. */
  readonly inviteDays?: number;
}

const DAY = 86_400;

function days(seconds: number): number {
  return Math.floor(seconds / DAY);
}

/** Owner ids that are no longer members: not a user of the organization (nor, for a project key, of its project). */
function ownerGone(d: Directory, k: DirectoryApiKey, users: ReadonlySet<string>, projectMembers: ReadonlySet<string>): boolean {
  if (k.owner.type !== 'user' || k.owner.id === undefined) return false;
  if (d.unavailable.some((u) => u.startsWith('Users:'))) return false; // unknown, not gone
  if (!users.has(k.owner.id)) return true;
  return k.projectId !== undefined && projectMembers.size > 0 && !projectMembers.has(`${k.projectId}|${k.owner.id}`);
}

function keyFlags(d: Directory, o: FlagOptions): DirectoryFlag[] {
  const out: DirectoryFlag[] = [];
  const users = new Set(d.users.map((u) => u.id));
  const members = new Set(d.projectUsers.map((u) => `${u.projectId}|${u.userId}`));
  const unusedDays = o.unusedDays ?? 90;
  for (const k of [...d.adminApiKeys, ...d.apiKeys]) {
    const name = k.name || k.id;
    if (!o.seen.has(k.id)) out.push({ kind: 'keyNeverSeen', id: k.id, name, detail: k.redactedValue });
    if (ownerGone(d, k, users, members)) out.push({ kind: 'keyOwnerGone', id: k.id, name, detail: k.owner.email ?? k.owner.name ?? k.owner.id ?? '' });
    if (k.lastUsedAt !== undefined && o.now - k.lastUsedAt > unusedDays * DAY) {
      out.push({ kind: 'keyUnused', id: k.id, name, detail: `${days(o.now - k.lastUsedAt)} days` });
    }
  }
  return out;
}

export function directoryFlags(d: Directory, o: FlagOptions): DirectoryFlag[] {
  const out = keyFlags(d, o);
  for (const s of d.serviceAccounts) if (!o.seen.has(s.id)) out.push({ kind: 'serviceAccountNeverSeen', id: s.id, name: s.name || s.id, detail: s.role });
  for (const u of d.users) if (u.role === 'owner') out.push({ kind: 'ownerOrAdmin', id: u.id, name: u.name || u.email, detail: u.email ? `${u.email} · owner` : 'owner' });
  const orgOwners = new Set(d.users.filter((u) => u.role === 'owner').map((u) => u.id));
  for (const u of d.projectUsers) {
    if (u.role === 'owner' && !orgOwners.has(u.userId)) {
      const project = d.projects.find((p) => p.id === u.projectId)?.name ?? u.projectId;
      out.push({ kind: 'ownerOrAdmin', id: u.userId, name: u.name || u.email, detail: `owner of ${project}` });
    }
  }
  const inviteDays = o.inviteDays ?? 7;
  for (const i of d.invites) {
    if (i.status === 'pending' && i.invitedAt !== undefined && o.now - i.invitedAt > inviteDays * DAY) {
      out.push({ kind: 'staleInvite', id: i.id, name: i.email, detail: `pending ${days(o.now - i.invitedAt)} days` });
    }
  }
  return out;
}
