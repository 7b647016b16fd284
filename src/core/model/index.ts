/**
 * Public surface of the audit-log model. PLACEHOLDER CONTRACT: the model work
 * replaces the bodies; the exported names and shapes are what the rest of the
 * code builds on.
 */
export interface AuditLogUser { id?: string; email?: string }
export interface AuditLogActor {
  type?: string;
  session?: { user?: AuditLogUser; ip_address?: string; [k: string]: unknown };
  api_key?: { id?: string; type?: string; user?: AuditLogUser; service_account?: { id?: string }; [k: string]: unknown };
  [k: string]: unknown;
}
/** One audit-log event as the API sent it (known and unknown keys alike). */
export interface AuditEvent {
  id: string;
  type: string;
  effective_at: number;
  project?: { id?: string; name?: string; [k: string]: unknown } | null;
  actor?: AuditLogActor | null;
  [detailKey: string]: unknown;
}
/** A parsed event together with the exact JSON text the API sent for it. */
export interface ParsedEvent { readonly event: AuditEvent; readonly raw: string }
export interface AuditLogPage {
  readonly data: ParsedEvent[];
  readonly first_id: string | null;
  readonly last_id: string | null;
  readonly has_more: boolean;
}
