/**
 * Shapes of the deterministic sample organization. Events are plain JSON
 * objects, exactly as `GET /v1/organization/audit_logs` sends them; the roster
 * (projects, users, service accounts, keys) is what a reader of those events
 * can check them against.
 */

/** An actor object on the wire (`event.actor`). */
export type SampleActor =
  | {
      type: 'session';
      session: {
        user: { id: string; email: string };
        ip_address: string;
        user_agent: string;
        ja3: string;
        ja4: string;
        ip_address_details: SampleIpAddressDetails;
      };
    }
  | {
      type: 'api_key';
      api_key:
        | { id: string; type: 'user'; user: { id: string; email: string } }
        | { id: string; type: 'service_account'; service_account: { id: string } };
    };

/**
 * One event as the API sends it. Keys appear in the API's order: `id`, `type`,
 * `effective_at`, `project` (absent when the action is not project-scoped),
 * `actor` (an object, `null`, or absent), then the detail object under a key
 * equal to the event type.
 */
export interface SampleEvent {
  id: string;
  type: string;
  effective_at: number;
  project?: { id: string; name: string };
  actor?: SampleActor | null;
  [detailKey: string]: unknown;
}

export interface SampleOrgInfo {
  id: string;
  /** The organization's title at the end of the sample (it is renamed in-window). */
  name: string;
  /** Every title it had, oldest first. */
  names: string[];
  /** The enterprise tenant that owns the organization (subject of `tenant.*` events). */
  tenantId: string;
}

export interface SampleProject {
  id: string;
  /** The title at the end of the sample. */
  name: string;
  /** Every title the project had, oldest first; `event.project.name` is the title at the event's time. */
  names: string[];
  status: 'active' | 'archived' | 'deleted';
  /** Unix seconds; absent when the project predates the sample window. */
  createdAt?: number;
  archivedAt?: number;
  deletedAt?: number;
  /** The organization's default project (Admin-API-key actions are attributed to it). */
  isDefault: boolean;
}

export interface SampleUser {
  id: string;
  name: string;
  email: string;
  /** Organization role at the end of the sample. */
  role: 'owner' | 'member';
  /** Unix seconds; absent when the user predates the sample window. */
  addedAt?: number;
  removedAt?: number;
}

export interface SampleServiceAccount {
  id: string;
  name: string;
  /** Absent for a tenant-level service account. */
  projectId?: string;
  role: 'owner' | 'member';
  createdAt?: number;
  deletedAt?: number;
}

export interface SampleApiKey {
  /** The key's tracking id (`key_…`), as in `actor.api_key.id` and `api_key.*` details. */
  id: string;
  name: string;
  kind: 'admin' | 'user' | 'service_account';
  /** The owning user (admin and user keys). */
  userId?: string;
  /** The owning service account (service-account keys). */
  serviceAccountId?: string;
  /** Project keys only. */
  projectId?: string;
  /** Scopes at the end of the sample (project keys created in-window). */
  scopes?: string[];
  createdAt?: number;
  deletedAt?: number;
}

export interface SampleOrganization {
  org: SampleOrgInfo;
  projects: SampleProject[];
  users: SampleUser[];
  serviceAccounts: SampleServiceAccount[];
  apiKeys: SampleApiKey[];
  /** Newest first (`effective_at` descending, then `id` descending), like the API. */
  events: SampleEvent[];
  /** The window the events were spread over, Unix seconds, inclusive. */
  startTime: number;
  endTime: number;
}

export interface SampleOrganizationOptions {
  /** PRNG seed; the same seed and options always give the same JSON. */
  seed?: number;
  /** Exactly this many events are returned. */
  eventCount: number;
  /** Newest possible `effective_at`, Unix seconds. Default 2026-11-20T12:00:00Z. */
  endTime?: number;
  /** Length of the window in days (default 30, at least one hour). */
  spanDays?: number;
}

/** A session's `ip_address_details`, as the API sends it. */
export interface SampleIpAddressDetails {
  country: string;
  city: string;
  region: string;
  region_code: string;
  asn: string;
  latitude: string;
  longitude: string;
}
