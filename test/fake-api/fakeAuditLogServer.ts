/**
 * A faithful stand-in for `GET /v1/organization/audit_logs` on 127.0.0.1 and
 * a random port. Used by unit tests, integration tests in the extension host,
 * benchmarks, and the extension's sample mode, so it depends on nothing but
 * `node:http` and bundles with esbuild.
 *
 * Behaviour (what a client may rely on):
 * - Order: newest first, `effective_at` descending, then `id` descending
 *   (plain string comparison), so events sharing a second keep one stable
 *   order across pages and requests.
 * - Filters: `effective_at[gt|gte|lt|lte]`, `project_ids[]`, `event_types[]`,
 *   `actor_ids[]` (the session user, the API key's tracking id, its user or
 *   its service account), `actor_emails[]` (session or API-key user email),
 *   `resource_ids[]` (the `id` of the event's detail object), `tenant_only`.
 *   Values of one array parameter are ORed, different parameters ANDed.
 * - `tenant_only=true` returns only tenant-scoped events (`tenant.*`,
 *   `role.bound_to_resource`, `role.unbound_from_resource`) and refuses
 *   other types in `event_types[]`. Without it every event is returned,
 *   unless `tenantEventsNeedTenantOnly` is set, which hides tenant-scoped
 *   events as the contract describes.
 * - Paging: `limit` 1..100 (default 20). `after=<id>`: the events following
 *   that id in list order (older). `before=<id>`: the `limit` events
 *   immediately preceding that id (newer), still newest first. `has_more`
 *   says whether more events exist beyond the page in the direction of
 *   travel. A cursor must be an id the server holds (else 400); filters still
 *   apply to the events around it. `after` and `before` together is a 400.
 * - Errors use OpenAI's body `{ "error": { message, type, param, code } }`:
 *   404 for any other path or method, 401 for a missing or wrong key, 403
 *   for a key listed in `nonAdminKeys`, 400 for an unknown or repeated
 *   parameter or a bad value (naming it in `param`).
 * - Each event is served as `JSON.stringify` of the object given to
 *   `setEvents` (serialized once, then; later mutations are not seen).
 * - Faults at chosen request numbers (1-based, counting every request the
 *   server receives): see `Fault` and `FaultPlan`.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const AUDIT_LOGS_PATH = '/v1/organization/audit_logs';
export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

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

export interface FakeAuditLogServerOptions {
  /** Events in any order (the server sorts them); default none. */
  events?: readonly object[];
  /** The expected Admin key. Omitted: authentication is not checked. */
  apiKey?: string;
  /** Keys that are valid but not Admin keys: 403. */
  nonAdminKeys?: readonly string[];
  /** Delay before every answer. */
  latencyMs?: number;
  faults?: FaultPlan;
  /** Hide tenant-scoped events unless `tenant_only=true` (the contract's behaviour). Default false. */
  tenantEventsNeedTenantOnly?: boolean;
  /** Default 0 (a free port). The server binds 127.0.0.1 only. */
  port?: number;
}

interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly effectiveAt: number;
  readonly json: string;
  readonly projectId: string | undefined;
  readonly actorIds: readonly string[];
  readonly actorEmails: readonly string[];
  readonly resourceId: string | undefined;
  readonly tenantScoped: boolean;
}

interface ListQuery {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  projectIds?: Set<string>;
  eventTypes?: Set<string>;
  actorIds?: Set<string>;
  actorEmails?: Set<string>;
  resourceIds?: Set<string>;
  tenantOnly: boolean;
  limit: number;
  after?: string;
  before?: string;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

const ARRAY_PARAMS = {
  'project_ids[]': 'projectIds',
  'event_types[]': 'eventTypes',
  'actor_ids[]': 'actorIds',
  'actor_emails[]': 'actorEmails',
  'resource_ids[]': 'resourceIds',
} as const;
const TIME_PARAMS = { 'effective_at[gt]': 'gt', 'effective_at[gte]': 'gte', 'effective_at[lt]': 'lt', 'effective_at[lte]': 'lte' } as const;
const SCALAR_PARAMS = new Set(['tenant_only', 'limit', 'after', 'before', ...Object.keys(TIME_PARAMS)]);

export function isTenantScopedEventType(type: string): boolean {
  return type.startsWith('tenant.') || type === 'role.bound_to_resource' || type === 'role.unbound_from_resource';
}

export class FakeAuditLogServer {
  /** Every request received since start or the last `reset()`. */
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stored: StoredEvent[] = [];
  private positions = new Map<string, number>();
  private counter = 0;
  private faults: FaultPlan | undefined;
  private latencyMs: number;
  private closed = false;
  private readonly apiKey: string | undefined;
  private readonly nonAdminKeys: ReadonlySet<string>;
  private readonly tenantEventsNeedTenantOnly: boolean;

  private constructor(options: FakeAuditLogServerOptions) {
    this.apiKey = options.apiKey;
    this.nonAdminKeys = new Set(options.nonAdminKeys ?? []);
    this.latencyMs = options.latencyMs ?? 0;
    this.faults = options.faults;
    this.tenantEventsNeedTenantOnly = options.tenantEventsNeedTenantOnly ?? false;
    this.setEvents(options.events ?? []);
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeAuditLogServerOptions = {}): Promise<FakeAuditLogServer> {
    const server = new FakeAuditLogServer(options);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:PORT`. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The API base URL, `http://127.0.0.1:PORT/v1`, as a client's `baseURL`. */
  get url(): string {
    return `${this.origin}/v1`;
  }

  /** Requests received so far (not reset by anything but `reset()`). */
  get requestCount(): number {
    return this.counter;
  }

  get eventCount(): number {
    return this.stored.length;
  }

  /** Replaces the events. Each needs a unique string `id`, a string `type` and an integer `effective_at`. */
  setEvents(events: readonly object[]): void {
    const stored = events.map(toStored);
    stored.sort((a, b) => (a.effectiveAt !== b.effectiveAt ? b.effectiveAt - a.effectiveAt : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const positions = new Map<string, number>();
    stored.forEach((e, i) => {
      if (positions.has(e.id)) throw new TypeError(`duplicate event id ${e.id}`);
      positions.set(e.id, i);
    });
    this.stored = stored;
    this.positions = positions;
  }

  /** The ids the server holds, in list order (newest first). */
  eventIds(): string[] {
    return this.stored.map((e) => e.id);
  }

  setFaults(plan: FaultPlan | undefined): void {
    this.faults = plan;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Forgets recorded requests, restarts request numbering at 1 and removes faults; events and latency stay. */
  reset(): void {
    this.requests.length = 0;
    this.counter = 0;
    this.faults = undefined;
  }

  /** Stops listening and destroys every connection, including hanging requests. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const number = ++this.counter;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const headers: Record<string, string | string[] | undefined> = { ...req.headers };
    delete headers.authorization;
    const base = {
      number,
      method: req.method ?? 'GET',
      path: url.pathname,
      rawQuery: url.search.slice(1),
      query,
      headers,
      auth: this.checkAuth(req.headers.authorization),
    };
    const fault = this.faultFor(number, base);
    const record: RecordedRequest = fault ? { ...base, fault: fault.kind } : base;
    this.requests.push(record);
    // Drain the (normally empty) request body so keep-alive works.
    req.resume();
    const delay = this.latencyMs + (fault?.kind === 'latency' ? fault.ms : 0);
    const go = () => this.answer(record, fault, res);
    if (delay > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) go();
      }, delay);
      this.timers.add(timer);
    } else {
      go();
    }
  }

  private faultFor(number: number, request: RecordedRequest): Fault | undefined {
    const plan = this.faults;
    if (!plan) return undefined;
    if (typeof plan === 'function') return plan(number, request);
    if ('every' in plan && 'fault' in plan && typeof plan.every === 'number') {
      const offset = plan.offset ?? 0;
      return plan.every > 0 && (number - offset) % plan.every === 0 && number >= offset ? (plan.fault as Fault) : undefined;
    }
    return (plan as Readonly<Record<number, Fault>>)[number];
  }

  private checkAuth(header: string | undefined): AuthOutcome {
    if (this.apiKey === undefined && this.nonAdminKeys.size === 0) return 'unchecked';
    const match = /^Bearer (.+)$/.exec(header ?? '');
    const key = match?.[1]?.trim();
    if (!key) return 'missing';
    if (this.nonAdminKeys.has(key)) return 'not-admin';
    if (this.apiKey === undefined || key === this.apiKey) return 'ok';
    return 'wrong';
  }

  private answer(record: RecordedRequest, fault: Fault | undefined, res: http.ServerResponse): void {
    switch (fault?.kind) {
      case 'hang':
        return;
      case '429': {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        return this.sendError(record, res, 429, 'Rate limit reached for requests on this organization. Please try again later.', 'requests', null, 'rate_limit_exceeded', headers);
      }
      case '500':
        return this.sendError(record, res, 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null, fault.headers);
      case '502':
        return this.sendError(record, res, 502, 'Bad gateway.', 'server_error', null, null, fault.headers);
      case '503':
        return this.sendError(record, res, 503, 'The server is overloaded or not ready yet.', 'server_error', null, null, fault.headers);
      case '504':
        return this.sendError(record, res, 504, 'Gateway timeout.', 'server_error', null, null, fault.headers);
      case 'status':
        return this.send(record, res, fault.status, fault.body ?? '', fault.contentType ?? 'application/json', fault.headers);
      case 'html':
        return this.send(
          record,
          res,
          200,
          '<!DOCTYPE html>\n<html><head><title>Sign in to continue</title></head><body><h1>Network login required</h1><p>Please sign in to the guest network.</p></body></html>\n',
          'text/html; charset=utf-8',
        );
      case 'reset': {
        const { status, body } = this.route(record);
        const bytes = Buffer.from(body, 'utf8');
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
        return;
      }
      default: {
        const { status, body, headers } = this.route(record);
        return this.send(record, res, status, body, 'application/json', headers);
      }
    }
  }

  private route(record: RecordedRequest): { status: number; body: string; headers?: Record<string, string> } {
    if (record.method !== 'GET' || record.path !== AUDIT_LOGS_PATH) {
      return errorResponse(404, `Invalid URL (${record.method} ${record.path})`, 'invalid_request_error', null, null);
    }
    switch (record.auth) {
      case 'missing':
        return errorResponse(
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          'invalid_request_error',
          null,
          'invalid_api_key',
        );
      case 'wrong':
        return errorResponse(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', null, 'invalid_api_key');
      case 'not-admin':
        return errorResponse(
          403,
          'You have insufficient permissions for this operation. Missing scopes: api.audit_logs.read. This endpoint requires an Admin API key.',
          'invalid_request_error',
          null,
          'insufficient_permissions',
        );
    }
    let q: ListQuery;
    try {
      q = this.parseQuery(record.query);
    } catch (e) {
      if (e instanceof BadRequest) return errorResponse(400, e.message, 'invalid_request_error', e.param, e.code);
      throw e;
    }
    const { data, hasMore } = this.list(q);
    const first = data[0];
    const last = data[data.length - 1];
    const body =
      `{"object":"list","data":[${data.map((e) => e.json).join(',')}],` +
      `"first_id":${first ? JSON.stringify(first.id) : 'null'},"last_id":${last ? JSON.stringify(last.id) : 'null'},"has_more":${hasMore}}`;
    return { status: 200, body };
  }

  private parseQuery(query: Readonly<Record<string, string[]>>): ListQuery {
    const q: ListQuery = { tenantOnly: false, limit: DEFAULT_PAGE_LIMIT };
    for (const [name, values] of Object.entries(query)) {
      if (name in ARRAY_PARAMS) {
        q[ARRAY_PARAMS[name as keyof typeof ARRAY_PARAMS]] = new Set(values);
        continue;
      }
      if (!SCALAR_PARAMS.has(name)) throw new BadRequest(`Unrecognized request argument supplied: ${name}`, name, 'unknown_parameter');
      if (values.length > 1) throw new BadRequest(`Duplicate parameter: ${name} was given ${values.length} times.`, name, 'invalid_value');
      const value = values[0] as string;
      if (name in TIME_PARAMS) {
        if (!/^-?\d+$/.test(value)) throw new BadRequest(`Invalid '${name}': expected an integer (Unix seconds), got '${value}'.`, name, 'invalid_type');
        q[TIME_PARAMS[name as keyof typeof TIME_PARAMS]] = Number(value);
      } else if (name === 'limit') {
        if (!/^-?\d+$/.test(value)) throw new BadRequest(`Invalid 'limit': expected an integer, got '${value}'.`, 'limit', 'invalid_type');
        const limit = Number(value);
        if (limit < 1) throw new BadRequest(`Invalid 'limit': integer below minimum value. Expected a value >= 1, but got ${limit} instead.`, 'limit', 'integer_below_min_value');
        if (limit > MAX_PAGE_LIMIT) {
          throw new BadRequest(`Invalid 'limit': integer above maximum value. Expected a value <= ${MAX_PAGE_LIMIT}, but got ${limit} instead.`, 'limit', 'integer_above_max_value');
        }
        q.limit = limit;
      } else if (name === 'tenant_only') {
        if (value !== 'true' && value !== 'false') throw new BadRequest(`Invalid 'tenant_only': expected true or false, got '${value}'.`, 'tenant_only', 'invalid_type');
        q.tenantOnly = value === 'true';
      } else {
        // after / before
        if (value === '') throw new BadRequest(`Invalid '${name}': expected an audit log id.`, name, 'invalid_value');
        if (!this.positions.has(value)) throw new BadRequest(`Invalid '${name}': no audit log with id '${value}'.`, name, 'invalid_value');
        q[name as 'after' | 'before'] = value;
      }
    }
    if (q.after !== undefined && q.before !== undefined) throw new BadRequest("Only one of 'after' and 'before' may be given.", 'before', 'invalid_value');
    if (q.tenantOnly && q.eventTypes) {
      const other = [...q.eventTypes].find((t) => !isTenantScopedEventType(t));
      if (other !== undefined) throw new BadRequest(`'${other}' is not a tenant-scoped event type; with tenant_only=true every event type must be tenant-scoped.`, 'event_types[]', 'invalid_value');
    }
    return q;
  }

  private list(q: ListQuery): { data: StoredEvent[]; hasMore: boolean } {
    const events = this.stored;
    // [lo, hi): the slice inside the time range (the list is sorted by effective_at descending).
    const upper = Math.min(q.lt !== undefined ? q.lt - 1 : Infinity, q.lte ?? Infinity);
    const lower = Math.max(q.gt !== undefined ? q.gt + 1 : -Infinity, q.gte ?? -Infinity);
    let lo = firstIndex(events, (e) => e.effectiveAt <= upper);
    let hi = firstIndex(events, (e) => e.effectiveAt < lower);
    const match = (e: StoredEvent) => this.matches(e, q);
    const page: StoredEvent[] = [];
    if (q.before !== undefined) {
      hi = Math.min(hi, this.positions.get(q.before) as number);
      for (let i = hi - 1; i >= lo && page.length <= q.limit; i--) {
        const e = events[i] as StoredEvent;
        if (match(e)) page.push(e);
      }
      const hasMore = page.length > q.limit;
      if (hasMore) page.length = q.limit;
      return { data: page.reverse(), hasMore };
    }
    if (q.after !== undefined) lo = Math.max(lo, (this.positions.get(q.after) as number) + 1);
    for (let i = lo; i < hi && page.length <= q.limit; i++) {
      const e = events[i] as StoredEvent;
      if (match(e)) page.push(e);
    }
    const hasMore = page.length > q.limit;
    if (hasMore) page.length = q.limit;
    return { data: page, hasMore };
  }

  private matches(e: StoredEvent, q: ListQuery): boolean {
    if (q.tenantOnly ? !e.tenantScoped : this.tenantEventsNeedTenantOnly && e.tenantScoped) return false;
    if (q.eventTypes && !q.eventTypes.has(e.type)) return false;
    if (q.projectIds && (e.projectId === undefined || !q.projectIds.has(e.projectId))) return false;
    if (q.resourceIds && (e.resourceId === undefined || !q.resourceIds.has(e.resourceId))) return false;
    if (q.actorIds && !e.actorIds.some((id) => q.actorIds!.has(id))) return false;
    if (q.actorEmails && !e.actorEmails.some((m) => q.actorEmails!.has(m))) return false;
    return true;
  }

  private send(record: RecordedRequest, res: http.ServerResponse, status: number, body: string, contentType: string, headers?: Record<string, string>): void {
    record.status = status;
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(status, {
      ...headers,
      'content-type': contentType,
      'content-length': String(bytes.length),
      'x-request-id': `req_fake_${record.number}`,
      'openai-processing-ms': '1',
    });
    res.end(bytes);
  }

  private sendError(
    record: RecordedRequest,
    res: http.ServerResponse,
    status: number,
    message: string,
    type: string,
    param: string | null,
    code: string | null,
    headers?: Record<string, string>,
  ): void {
    const { body } = errorResponse(status, message, type, param, code);
    this.send(record, res, status, body, 'application/json', headers);
  }
}

export function startFakeAuditLogServer(options: FakeAuditLogServerOptions = {}): Promise<FakeAuditLogServer> {
  return FakeAuditLogServer.start(options);
}

function errorResponse(status: number, message: string, type: string, param: string | null, code: string | null): { status: number; body: string } {
  return { status, body: JSON.stringify({ error: { message, type, param, code } }) };
}

/** The first index whose event satisfies `pred`, for a predicate that is false then true along the list. */
function firstIndex(events: readonly StoredEvent[], pred: (e: StoredEvent) => boolean): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(events[mid] as StoredEvent)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function toStored(event: object): StoredEvent {
  const e = event as Json;
  const id = e.id;
  const type = e.type;
  const effectiveAt = e.effective_at;
  if (typeof id !== 'string' || typeof type !== 'string' || typeof effectiveAt !== 'number' || !Number.isInteger(effectiveAt)) {
    throw new TypeError('every event needs a string id, a string type and an integer effective_at');
  }
  const actorIds: string[] = [];
  const actorEmails: string[] = [];
  const actor = asObject(e.actor);
  const session = asObject(actor?.session);
  const apiKey = asObject(actor?.api_key);
  for (const user of [asObject(session?.user), asObject(apiKey?.user)]) {
    const uid = asString(user?.id);
    const email = asString(user?.email);
    if (uid !== undefined) actorIds.push(uid);
    if (email !== undefined) actorEmails.push(email);
  }
  const keyId = asString(apiKey?.id);
  if (keyId !== undefined) actorIds.push(keyId);
  const saId = asString(asObject(apiKey?.service_account)?.id);
  if (saId !== undefined) actorIds.push(saId);
  return {
    id,
    type,
    effectiveAt,
    json: JSON.stringify(event),
    projectId: asString(asObject(e.project)?.id),
    actorIds,
    actorEmails,
    resourceId: asString(asObject(e[type])?.id),
    tenantScoped: isTenantScopedEventType(type),
  };
}
