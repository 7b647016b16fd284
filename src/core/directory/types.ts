/**
 * The organization's directory as read from the Admin API: who and what the ids in audit events are. Only
 * what a reader needs is kept (names, emails, roles, times, the redacted key values the API returns); a
 * key's secret value is never read into these shapes, so it can never be stored.
 */

export interface DirectoryUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** Organization role (`owner`, `reader`, …) as the API says it. */
  readonly role: string;
  readonly addedAt?: number;
}

export interface DirectoryInvite {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  /** `pending`, `accepted`, `expired`. */
  readonly status: string;
  readonly invitedAt?: number;
  readonly expiresAt?: number;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly name: string;
  /** User ids; empty when the members could not be read. */
  readonly memberIds: readonly string[];
}

export interface DirectoryRole {
  readonly id: string;
  readonly name: string;
  /** The organization's roles, or the roles of one project. */
  readonly projectId?: string;
  readonly permissions: readonly string[];
}

export interface DirectoryProject {
  readonly id: string;
  readonly name: string;
  /** `active`, `archived`. */
  readonly status: string;
  readonly createdAt?: number;
  readonly archivedAt?: number;
}

export interface DirectoryProjectUser {
  readonly projectId: string;
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly role: string;
}

export interface DirectoryServiceAccount {
  readonly id: string;
  readonly name: string;
  readonly projectId: string;
  readonly role: string;
  readonly createdAt?: number;
}

export interface DirectoryKeyOwner {
  readonly type: 'user' | 'service_account' | 'unknown';
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
}

export interface DirectoryApiKey {
  /** The tracking id (`key_…`), as in `actor.api_key.id`. */
  readonly id: string;
  readonly name: string;
  /** As the API gives it (`sk-proj-…abcd`): already redacted by OpenAI. */
  readonly redactedValue: string;
  /** Project keys; absent for the organization's Admin API keys. */
  readonly projectId?: string;
  readonly owner: DirectoryKeyOwner;
  readonly createdAt?: number;
  /** Unix seconds, when the API reports it. */
  readonly lastUsedAt?: number;
}

/** What one refresh read, with the time it was read. */
export interface Directory {
  /** Unix seconds. */
  readonly readAt: number;
  readonly users: readonly DirectoryUser[];
  readonly invites: readonly DirectoryInvite[];
  readonly groups: readonly DirectoryGroup[];
  readonly roles: readonly DirectoryRole[];
  readonly projects: readonly DirectoryProject[];
  readonly projectUsers: readonly DirectoryProjectUser[];
  readonly serviceAccounts: readonly DirectoryServiceAccount[];
  readonly apiKeys: readonly DirectoryApiKey[];
  readonly adminApiKeys: readonly DirectoryApiKey[];
  /** The parts this key could not read, one sentence each ("API keys of projects: not readable with this key"). */
  readonly unavailable: readonly string[];
}

/** What `openaiAuditLogs.refreshDirectory` resolves (an automation contract: never rename). */
export interface DirectoryCounts {
  readonly users: number;
  readonly invites: number;
  readonly groups: number;
  readonly roles: number;
  readonly projects: number;
  readonly serviceAccounts: number;
  readonly apiKeys: number;
  readonly adminApiKeys: number;
  readonly unavailable: string[];
}

export function countsOf(d: Directory): DirectoryCounts {
  return {
    users: d.users.length,
    invites: d.invites.length,
    groups: d.groups.length,
    roles: d.roles.length,
    projects: d.projects.length,
    serviceAccounts: d.serviceAccounts.length,
    apiKeys: d.apiKeys.length,
    adminApiKeys: d.adminApiKeys.length,
    unavailable: [...d.unavailable],
  };
}

export const EMPTY_DIRECTORY: Directory = {
  readAt: 0,
  users: [],
  invites: [],
  groups: [],
  roles: [],
  projects: [],
  projectUsers: [],
  serviceAccounts: [],
  apiKeys: [],
  adminApiKeys: [],
  unavailable: [],
};
