/**
 * What the archive indexes of one event, computed once at insert: the same
 * keys and labels the explorer's grouping uses (`describeActor`, `projectOf`,
 * `resourceId` of the model; the project/actor keys of `groupEvents`), and
 * the ids the API's own filters match (`actor_ids[]` matches the session's or
 * the key's user, the API key and the service account; `actor_emails[]` the
 * session's or the key's user email).
 */
import { describeActor, projectOf, resourceId, type ParsedEvent } from '../model';

export interface ProjectDim {
  /** Identity of the (id, name) pair as stored. */
  readonly sig: string;
  /** The grouping key: the id, else `name:<name>`. */
  readonly key: string;
  readonly label: string;
  readonly projectId: string | null;
  readonly name: string | null;
}

export interface ActorDim {
  readonly sig: string;
  /** The grouping key: `actorId ?? email ?? kind:label`, as `groupEvents` computes it. */
  readonly key: string;
  readonly label: string;
  readonly kind: string;
  readonly actorType: string | null;
  readonly actorId: string | null;
  readonly email: string | null;
  /** What `actor_ids[]` matches: the user (session or key), the API key, the service account. */
  readonly userId: string | null;
  readonly apiKeyId: string | null;
  readonly serviceAccountId: string | null;
}

export interface EventRow {
  readonly id: string;
  readonly effectiveAt: number;
  readonly type: string;
  readonly project: ProjectDim | undefined;
  readonly actor: ActorDim;
  readonly resourceId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly raw: string;
  /** Every string value of the event (keys excluded), for the full-text index. */
  readonly text: string;
}

/** Strings beyond this many characters per event are not indexed for search. */
const MAX_TEXT = 32_768;

export function toEventRow(parsed: ParsedEvent): EventRow {
  const e = parsed.event;
  const actor = describeActor(e);
  const raw = actorFilterIds(e as unknown as Record<string, unknown>);
  const key = actor.actorId ?? actor.email ?? `${actor.kind}:${actor.label}`;
  const actorType = actor.actorType ?? null;
  const actorId = actor.actorId ?? null;
  const email = raw.email ?? null;
  const userId = raw.userId ?? null;
  const apiKeyId = raw.apiKeyId ?? null;
  const serviceAccountId = raw.serviceAccountId ?? null;
  // The stored signature: every other field, in the order of `ActorDim` (files already hold sigs in this form).
  const sig = JSON.stringify([key, actor.label, actor.kind, actorType, actorId, email, userId, apiKeyId, serviceAccountId]);
  const actorDim: ActorDim = { key, label: actor.label, kind: actor.kind, actorType, actorId, email, userId, apiKeyId, serviceAccountId, sig };
  const p = projectOf(e);
  const project: ProjectDim | undefined = p
    ? {
        sig: JSON.stringify([p.id ?? null, p.name ?? null]),
        key: p.id ?? `name:${p.name ?? ''}`,
        label: p.name && p.id ? p.name : p.id ?? p.name ?? '',
        projectId: p.id ?? null,
        name: p.name ?? null,
      }
    : undefined;
  return {
    id: String(e.id),
    effectiveAt: secondsOf(e.effective_at),
    type: typeof e.type === 'string' ? e.type : String(e.type),
    project,
    actor: actorDim,
    resourceId: resourceId(e) ?? null,
    ip: actor.ipAddress ?? null,
    userAgent: actor.userAgent ?? null,
    raw: parsed.raw,
    text: stringsOf(e),
  };
}

/** Whole seconds for the integer column (an odd wire value still sorts somewhere sensible). */
export function secondsOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : 0;
}

function actorFilterIds(e: Record<string, unknown>): { userId?: string; apiKeyId?: string; serviceAccountId?: string; email?: string } {
  const actor = record(e['actor']);
  const session = record(actor?.['session']);
  const apiKey = record(actor?.['api_key']);
  const user = record(session?.['user']) ?? record(apiKey?.['user']);
  const out: { userId?: string; apiKeyId?: string; serviceAccountId?: string; email?: string } = {};
  const userId = str(user?.['id']);
  const email = str(user?.['email']);
  const apiKeyId = str(apiKey?.['id']);
  const serviceAccountId = str(record(apiKey?.['service_account'])?.['id']);
  if (userId !== undefined) out.userId = userId;
  if (email !== undefined) out.email = email;
  if (apiKeyId !== undefined) out.apiKeyId = apiKeyId;
  if (serviceAccountId !== undefined) out.serviceAccountId = serviceAccountId;
  return out;
}

function stringsOf(value: unknown): string {
  const walker = new StringWalker();
  walker.walk(value, 0);
  return walker.text.length > MAX_TEXT ? walker.text.slice(0, MAX_TEXT) : walker.text;
}

/** Every string value in document order, joined by spaces, until MAX_TEXT characters (keys excluded). */
class StringWalker {
  text = '';
  private length = 0;

  walk(v: unknown, depth: number): void {
    if (this.length >= MAX_TEXT || depth > 32) return;
    if (typeof v === 'string') {
      this.text = this.length === 0 ? v : `${this.text} ${v}`;
      this.length += v.length + 1;
    } else if (Array.isArray(v)) {
      for (const item of v) this.walk(item, depth + 1);
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const key in o) if (Object.prototype.hasOwnProperty.call(o, key)) this.walk(o[key], depth + 1);
    }
  }
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
