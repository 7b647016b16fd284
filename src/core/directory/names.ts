/**
 * `DirectoryNames`: id → name over the directory, for every feature that shows or matches ids (the tree,
 * the details panel, search's `actor:"Grace Hopper"`, findings, insights). VS Code-free and cheap: maps
 * built once per directory read.
 */
import type { Directory, DirectoryApiKey } from './types';

export type NameKind = 'user' | 'invite' | 'group' | 'role' | 'project' | 'serviceAccount' | 'apiKey' | 'adminApiKey';

export interface DirectoryName {
  readonly id: string;
  readonly kind: NameKind;
  /** The name as the directory says it now (email for an invite, title for a project). */
  readonly name: string;
  /** What tells it apart: a user's email, a key's redacted value, a project's status when not active. */
  readonly detail?: string;
}

function keyName(k: DirectoryApiKey, kind: 'apiKey' | 'adminApiKey'): DirectoryName {
  return { id: k.id, kind, name: k.name || k.redactedValue || k.id, ...(k.redactedValue ? { detail: k.redactedValue } : {}) };
}

export class DirectoryNames {
  static readonly EMPTY = new DirectoryNames(undefined);
  private readonly byId = new Map<string, DirectoryName>();
  /** Unix seconds the directory was read; 0 when there is none. */
  readonly readAt: number;

  constructor(directory: Directory | undefined) {
    this.readAt = directory?.readAt ?? 0;
    if (!directory) return;
    const add = (n: DirectoryName): void => {
      if (n.id && !this.byId.has(n.id)) this.byId.set(n.id, n);
    };
    for (const u of directory.users) add({ id: u.id, kind: 'user', name: u.name || u.email || u.id, ...(u.email ? { detail: u.email } : {}) });
    // Members of projects who are not (or no longer) listed as the organization's users still have a name.
    for (const u of directory.projectUsers) add({ id: u.userId, kind: 'user', name: u.name || u.email || u.userId, ...(u.email ? { detail: u.email } : {}) });
    for (const p of directory.projects) add({ id: p.id, kind: 'project', name: p.name || p.id, ...(p.status && p.status !== 'active' ? { detail: p.status } : {}) });
    for (const g of directory.groups) add({ id: g.id, kind: 'group', name: g.name || g.id });
    for (const r of directory.roles) add({ id: r.id, kind: 'role', name: r.name || r.id });
    for (const s of directory.serviceAccounts) add({ id: s.id, kind: 'serviceAccount', name: s.name || s.id });
    for (const k of directory.apiKeys) add(keyName(k, 'apiKey'));
    for (const k of directory.adminApiKeys) add(keyName(k, 'adminApiKey'));
    for (const i of directory.invites) add({ id: i.id, kind: 'invite', name: i.email || i.id, ...(i.status ? { detail: i.status } : {}) });
  }

  get size(): number {
    return this.byId.size;
  }

  lookup(id: string | undefined): DirectoryName | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The name of an id, or undefined when the directory does not know it (a deleted object, another organization's). */
  nameOf(id: string | undefined): string | undefined {
    return this.lookup(id)?.name;
  }

  /**
   * Ids whose name or detail (email, redacted key) equals `text`, ignoring case: what a filter or a search
   * term given as a name (`actor:"Grace Hopper"`, `project:Atlas`) means. Optionally of some kinds only.
   */
  idsNamed(text: string, kinds?: readonly NameKind[]): string[] {
    const wanted = text.trim().toLocaleLowerCase();
    if (wanted === '') return [];
    const out: string[] = [];
    for (const n of this.byId.values()) {
      if (kinds && !kinds.includes(n.kind)) continue;
      if (n.name.toLocaleLowerCase() === wanted || n.detail?.toLocaleLowerCase() === wanted) out.push(n.id);
    }
    return out;
  }
}
