/**
 * A faithful stand-in for `GET /v1/organization/audit_logs` on 127.0.0.1 and
 * a random port. It serves the extension's sample organization, and the unit
 * tests, integration tests in the extension host and benchmarks reuse it from
 * here (shipped code never imports `test/`). It depends on nothing but
 * `node:http` and bundles with esbuild. (The class keeps its historical name,
 * `FakeAuditLogServer`: to the tests it is the fake API.)
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
import { faultFor, type AuthOutcome, type Fault, type FaultPlan, type RecordedRequest } from './loopbackFaults';
import { LoopbackEventIndex } from './loopbackEventIndex';
import { BadRequest, parseListQuery, type ListQuery } from './loopbackQuery';
import { LoopbackDirectory, type LoopbackDirectoryData, type LoopbackDirectoryList } from './loopbackDirectory';

export type { AuthOutcome, Fault, FaultKind, FaultPlan, RecordedRequest } from './loopbackFaults';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, isTenantScopedEventType } from './loopbackQuery';

export const AUDIT_LOGS_PATH = '/v1/organization/audit_logs';

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
  /** Serve the organization's directory (users, projects, keys…; see loopbackDirectory.ts). */
  directory?: LoopbackDirectoryData;
  /** Directory lists answered with 403, as for a restricted key. */
  directoryDenied?: readonly LoopbackDirectoryList[];
}

export class FakeAuditLogServer {
  /** Every request received since start or the last `reset()`. */
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private index = new LoopbackEventIndex([]);
  private counter = 0;
  private faults: FaultPlan | undefined;
  private latencyMs: number;
  private closed = false;
  private readonly apiKey: string | undefined;
  private readonly nonAdminKeys: ReadonlySet<string>;
  private readonly tenantEventsNeedTenantOnly: boolean;
  /** The directory's routes, when served (see loopbackDirectory.ts). */
  readonly directory: LoopbackDirectory | undefined;

  private constructor(options: FakeAuditLogServerOptions) {
    this.directory = options.directory ? new LoopbackDirectory(options.directory, options.directoryDenied) : undefined;
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
    return this.index.size;
  }

  /** Replaces the events. Each needs a unique string `id`, a string `type` and an integer `effective_at`. */
  setEvents(events: readonly object[]): void {
    this.index = new LoopbackEventIndex(events);
  }

  /** The ids the server holds, in list order (newest first). */
  eventIds(): string[] {
    return this.index.ids();
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
    const fault = faultFor(this.faults, number, base);
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
    const directory = record.method === 'GET' && record.path !== AUDIT_LOGS_PATH ? this.directory?.match(record.path, record.query) : undefined;
    if (record.method !== 'GET' || (record.path !== AUDIT_LOGS_PATH && !directory)) {
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
    if (directory) return directory();
    let q: ListQuery;
    try {
      q = parseListQuery(record.query, (id) => this.index.has(id));
    } catch (e) {
      if (e instanceof BadRequest) return errorResponse(400, e.message, 'invalid_request_error', e.param, e.code);
      throw e;
    }
    const { ids, json, hasMore } = this.index.list(q, this.tenantEventsNeedTenantOnly);
    const first = ids[0];
    const last = ids[ids.length - 1];
    const body =
      `{"object":"list","data":[${json.join(',')}],` +
      `"first_id":${first !== undefined ? JSON.stringify(first) : 'null'},"last_id":${last !== undefined ? JSON.stringify(last) : 'null'},"has_more":${hasMore}}`;
    return { status: 200, body };
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
