/**
 * What the loopback server records of each request, and the faults a test
 * can make it answer with instead (the sample organization never sets any).
 */

/** What to do to one request instead of (or before) answering it normally. */
export type Fault =
  /** 429 with OpenAI's rate-limit body; `retry-after` / `retry-after-ms` headers when given. */
  | { kind: '429'; retryAfterSeconds?: number; retryAfterMs?: number; headers?: Record<string, string> }
  /** A server error with OpenAI's error body. */
  | { kind: '500' | '502' | '503' | '504'; headers?: Record<string, string> }
  /** Any status and body, verbatim. */
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** 200 and the correct headers (with the full `content-length`), half the body, then the socket is destroyed. */
  | { kind: 'reset' }
  /** 200 with an HTML page (a proxy or captive portal answering instead of the API). */
  | { kind: 'html' }
  /** Never answers; the socket stays open until the client gives up or the server closes. */
  | { kind: 'hang' }
  /** Waits `ms` (on top of `latencyMs`), then answers normally. */
  | { kind: 'latency'; ms: number };

export type FaultKind = Fault['kind'];

/**
 * Which requests fail: a map from 1-based request number to fault, a
 * function of the request number and the recorded request, or a fault on
 * every `every`-th request (`every: 5` ⇒ requests 5, 10, 15…; `offset`
 * shifts that, `offset: 1` ⇒ 1, 6, 11…).
 */
export type FaultPlan =
  | Readonly<Record<number, Fault>>
  | ((requestNumber: number, request: RecordedRequest) => Fault | undefined)
  | { readonly every: number; readonly fault: Fault; readonly offset?: number };

export type AuthOutcome = 'ok' | 'missing' | 'wrong' | 'not-admin' | 'unchecked';

export interface RecordedRequest {
  /** 1-based, in arrival order. */
  readonly number: number;
  readonly method: string;
  /** Path without the query string, e.g. `/v1/organization/audit_logs`. */
  readonly path: string;
  /** The raw query string without `?` (still percent-encoded). */
  readonly rawQuery: string;
  /** Decoded query parameters, every value of each, in order. */
  readonly query: Readonly<Record<string, string[]>>;
  /** Request headers without `authorization`; see `auth` for how it fared. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly auth: AuthOutcome;
  /** The fault applied, if any. */
  readonly fault?: FaultKind;
  /** The status sent (undefined while pending, for `hang`, and for `reset` it is 200). */
  status?: number;
}

/** The fault `plan` assigns to request `number`, if any. */
export function faultFor(plan: FaultPlan | undefined, number: number, request: RecordedRequest): Fault | undefined {
  if (!plan) return undefined;
  if (typeof plan === 'function') return plan(number, request);
  if ('every' in plan && 'fault' in plan && typeof plan.every === 'number') {
    const offset = plan.offset ?? 0;
    return plan.every > 0 && (number - offset) % plan.every === 0 && number >= offset ? (plan.fault as Fault) : undefined;
  }
  return (plan as Readonly<Record<number, Fault>>)[number];
}
