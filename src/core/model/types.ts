/**
 * The shapes of the audit-log model (an event, its actor, a parsed page), in a
 * file of their own so that the model's members import them from here and
 * only the outside world goes through the barrel (index.ts).
 */

/** A user as the actor of an event. */
export interface AuditLogUser {
  id?: string;
  email?: string;
  [k: string]: unknown;
}
/** Who performed the action; see `describeActor` for a normalized view. */
export interface AuditLogActor {
  type?: string;
  session?: { user?: AuditLogUser; ip_address?: string; user_agent?: string; [k: string]: unknown };
  api_key?: { id?: string; type?: string; user?: AuditLogUser; service_account?: { id?: string; [k: string]: unknown }; [k: string]: unknown };
  [k: string]: unknown;
}
/**
 * One audit-log event as the API sent it (known and unknown keys alike).
 * Only `id`, `type` and `effective_at` are guaranteed; the other declared
 * fields are what the contract says and may hold anything on the wire: read
 * them through the helpers (eventHelpers.ts), which check types.
 */
export interface AuditEvent {
  id: string;
  type: string;
  effective_at: number;
  project?: { id?: string; name?: string; [k: string]: unknown } | null;
  actor?: AuditLogActor | null;
  [detailKey: string]: unknown;
}
/** A parsed event together with the exact JSON text the API sent for it. */
export interface ParsedEvent {
  readonly event: AuditEvent;
  readonly raw: string;
  /** Contract departures that did not stop parsing (see `ParsedAuditEvent.warnings`). */
  readonly warnings?: readonly string[];
  /**
   * Set when the wire value lacks a string `id`/`type` or a finite
   * `effective_at` (or is not an object): the reason. `event` then holds
   * stand-ins for those fields and `raw` the exact text (unreadableEvent.ts).
   */
  readonly unreadable?: string;
}
export interface AuditLogPage {
  readonly data: ParsedEvent[];
  readonly first_id: string | null;
  readonly last_id: string | null;
  readonly has_more: boolean;
}
