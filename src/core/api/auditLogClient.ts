/**
 * The audit-log HTTP client: one keep-alive dispatcher per client, one
 * origin, retries with backoff, cancellation, and errors a user can act on.
 * See `index.ts` for the design note.
 */
import type { Dispatcher } from 'undici';
import { type AuditLogPage, PageNotJsonError, PageSchemaError, type ParsedEvent, parseAuditLogPage } from '../model';
import { DEFAULT_BASE_URL, validateBaseUrl } from './baseUrl';
import {
  type AuditLogApiError,
  BadRequestError,
  CancelledError,
  EndpointNotFoundError,
  InvalidBaseUrlError,
  InvalidKeyError,
  InvalidResponseError,
  InvalidQueryError,
  MissingKeyError,
  NetworkError,
  NotAdminKeyError,
  type OpenAiErrorBody,
  RateLimitError,
  RedirectError,
  SchemaMismatchError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
  redactSecrets,
} from './errors';
import { type ClientTimeouts, DEFAULT_TIMEOUTS, type ProxyOptions, createDispatcher, proxySecrets } from './proxy';
import { type AuditLogQuery, encodeAuditLogQuery } from './query';
import { type ResponseHeaders, abortableSleep, headerValue, retryDelayMs, serverRetryDelayMs, shouldRetryResponse } from './retry';
import { classifyTransportError } from './transportErrors';

export const AUDIT_LOGS_PATH = '/organization/audit_logs';

export type ApiKeySource = string | (() => Promise<string | undefined> | string | undefined);

/** What the `log` hook receives: already redacted, never the key or headers. */
export type AuditLogClientEvent =
  | { readonly type: 'request'; readonly attempt: number; readonly url: string; readonly message: string }
  | {
      readonly type: 'response';
      readonly attempt: number;
      readonly url: string;
      readonly status: number;
      readonly durationMs: number;
      readonly requestId?: string;
      readonly message: string;
    }
  | {
      readonly type: 'retry';
      readonly attempt: number;
      readonly url: string;
      readonly delayMs: number;
      /** `status 429`, `network reset`, `timeout headers`… */
      readonly reason: string;
      readonly status?: number;
      readonly requestId?: string;
      readonly message: string;
    }
  | {
      readonly type: 'error';
      readonly attempt: number;
      readonly url: string;
      readonly kind: AuditLogApiError['kind'];
      readonly status?: number;
      readonly requestId?: string;
      readonly message: string;
    };

export interface AuditLogClientOptions {
  /** Default `https://api.openai.com/v1`; checked by `validateBaseUrl`. */
  readonly baseUrl?: string;
  /** The Admin key, or a function asked before every `listPage` (SecretStorage, then the environment). */
  readonly apiKey: ApiKeySource;
  /** The extension's version, for the default User-Agent. */
  readonly version?: string;
  /** Default `openai-audit-logs-vscode/<version>`. */
  readonly userAgent?: string;
  /** Retries after the first attempt; default 4. */
  readonly maxRetries?: number;
  /** First backoff ceiling; default 500 ms, doubled every retry. */
  readonly retryBaseDelayMs?: number;
  /** Cap on any single wait, server-requested ones included; default 30 s. */
  readonly maxRetryDelayMs?: number;
  readonly timeouts?: Partial<ClientTimeouts>;
  /**
   * Bring your own dispatcher (tests, a shared agent); the client then does
   * not close it, and its own connect timeout and proxy route apply.
   */
  readonly dispatcher?: Dispatcher;
  /** Proxy settings for the dispatcher the client creates (ignored with `dispatcher`). */
  readonly proxy?: ProxyOptions;
  /** Seams for deterministic tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  /** Receives redacted, one-line descriptions of requests, responses, retries and errors. */
  readonly log?: (event: AuditLogClientEvent) => void;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export type PageDirection = 'older' | 'newer';

export interface PagingOptions extends RequestOptions {
  /**
   * `older` follows `after=last_id`; `newer` follows `before=first_id` and
   * needs `query.before`. Default: `newer` when `query.before` is set, else `older`.
   */
  readonly direction?: PageDirection;
  /** Stop after this many pages. */
  readonly maxPages?: number;
}

/** A page as returned by the client: the parsed page plus what the response said about itself. */
export interface FetchedAuditLogPage extends AuditLogPage {
  /** `x-request-id`, for OpenAI support. */
  readonly requestId?: string;
  /** How many attempts it took (1 = no retry). */
  readonly attempts: number;
}

/** Rejects with CancelledError as soon as the signal aborts, whatever `promise` does. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Best-effort read of OpenAI's `{ "error": { … } }` body. */
function readErrorBody(text: string): OpenAiErrorBody {
  try {
    const value = JSON.parse(text) as unknown;
    const error = typeof value === 'object' && value !== null ? (value as { error?: unknown }).error : undefined;
    if (typeof error === 'object' && error !== null) {
      const e = error as Record<string, unknown>;
      const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
      const body: { -readonly [K in keyof OpenAiErrorBody]: OpenAiErrorBody[K] } = {};
      const message = str(e.message);
      const type = str(e.type);
      const param = str(e.param);
      const code = str(e.code);
      if (message !== undefined) body.message = message;
      if (type !== undefined) body.type = type;
      if (param !== undefined) body.param = param;
      if (code !== undefined) body.code = code;
      return body;
    }
    if (typeof error === 'string') return { message: error };
  } catch {
    // not JSON: no details
  }
  return {};
}

/** Characters a header value cannot carry; undici would refuse them. */
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e]/;

export class AuditLogClient {
  readonly baseUrl: string;
  readonly userAgent: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly host: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly timeouts: ClientTimeouts;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly logHook: ((event: AuditLogClientEvent) => void) | undefined;
  private readonly apiKey: ApiKeySource;
  private readonly staticSecrets: string[];
  private closed = false;

  constructor(options: AuditLogClientOptions) {
    const checked = validateBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    if (!checked.ok) throw new InvalidBaseUrlError(checked.reason, { secrets: keySecrets(options.apiKey) });
    this.baseUrl = checked.url;
    const url = new URL(checked.url);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.host = url.host;
    this.userAgent = options.userAgent ?? `openai-audit-logs-vscode/${options.version ?? '0.0.0'}`;
    this.maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 4));
    this.retryBaseDelayMs = Math.max(0, options.retryBaseDelayMs ?? 500);
    this.maxRetryDelayMs = Math.max(0, options.maxRetryDelayMs ?? 30_000);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.logHook = options.log;
    this.apiKey = options.apiKey;
    this.staticSecrets = [...keySecrets(options.apiKey), ...proxySecrets(options.proxy?.proxyUrl)];
    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      this.dispatcher = createDispatcher({ ...options.proxy, targetUrl: checked.url, timeouts: this.timeouts });
      this.ownsDispatcher = true;
    }
  }

  /**
   * One page, retried as the policy says (see `retry.ts`). Resolves with the
   * parsed page or rejects with an {@link AuditLogApiError}.
   */
  async listPage(query: AuditLogQuery = {}, options: RequestOptions = {}): Promise<FetchedAuditLogPage> {
    const queryString = encodeAuditLogQuery(query);
    const { value: page, requestId, attempts } = await this.get(`${AUDIT_LOGS_PATH}${queryString ? `?${queryString}` : ''}`, parseAuditLogPage, options);
    return { ...page, ...(requestId !== undefined ? { requestId } : {}), attempts };
  }

  /**
   * Any other GET of the Admin API (`/organization/users`, …) through the same machinery as the audit log:
   * the key, retries, timeouts, proxy, errors and redaction. `path` is relative to the base URL; `params`
   * are encoded (undefined ones left out). Resolves with the parsed JSON body.
   */
  async getJson(
    path: string,
    params: Readonly<Record<string, string | number | boolean | undefined>> = {},
    options: RequestOptions = {},
  ): Promise<{ readonly body: unknown; readonly requestId?: string; readonly attempts: number }> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) search.append(k, String(v));
    const qs = search.toString();
    const { value, requestId, attempts } = await this.get(`${path}${qs ? `?${qs}` : ''}`, parseJsonBody, options);
    return { body: value, ...(requestId !== undefined ? { requestId } : {}), attempts };
  }

  /** One GET of `relative` (path and query under the base URL), retried as the policy says, its body parsed by `parse`. */
  private async get<T>(
    relative: string,
    parse: (bodyText: string) => T,
    options: RequestOptions,
  ): Promise<{ value: T; requestId: string | undefined; attempts: number }> {
    const { signal } = options;
    if (signal?.aborted) throw new CancelledError();
    if (this.closed) throw new CancelledError('The client was closed.');
    const path = `${this.basePath}${relative}`;
    const displayUrl = `${this.origin}${path}`;
    const key = await raceAbort(this.resolveKey(), signal);
    const secrets = [key, ...this.staticSecrets];
    const headers = {
      authorization: `Bearer ${key}`,
      accept: 'application/json',
      'user-agent': this.userAgent,
    };

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new CancelledError();
      const retriesLeft = attempt <= this.maxRetries;
      this.emit({ type: 'request', attempt, url: displayUrl, message: `GET ${displayUrl} (attempt ${attempt})` }, secrets);
      const started = this.now();
      let status: number;
      let responseHeaders: ResponseHeaders;
      let bodyText: string;
      try {
        const response = await raceAbort(
          this.dispatcher.request({
            origin: this.origin,
            path,
            method: 'GET',
            headers,
            headersTimeout: this.timeouts.headersMs,
            bodyTimeout: this.timeouts.bodyMs,
            ...(signal ? { signal } : {}),
          }),
          signal,
        );
        status = response.statusCode;
        responseHeaders = response.headers as ResponseHeaders;
        bodyText = await raceAbort(response.body.text(), signal).catch((error: unknown) => {
          response.body.destroy();
          throw error;
        });
        // One macrotask lets undici mark the connection idle (its drain is
        // deferred); without it the next page opens a second connection.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } catch (raw) {
        if (signal?.aborted || raw instanceof CancelledError) throw new CancelledError();
        const { error, retry } = classifyTransportError(raw, { host: this.host, ...this.timeoutContext(), secrets });
        if (!retry || !retriesLeft) {
          this.emitError(attempt, displayUrl, error, secrets);
          throw error;
        }
        const delayMs = retryDelayMs(undefined, this.backoff(attempt));
        const reason =
          error instanceof TimeoutError
            ? `timeout (${error.phase})`
            : error instanceof NetworkError
              ? `network (${error.reason})`
              : error.kind;
        this.emitRetry(attempt, displayUrl, delayMs, reason, undefined, undefined, error.message, secrets);
        await this.wait(delayMs, signal);
        continue;
      }

      const requestId = headerValue(responseHeaders, 'x-request-id');
      this.emit(
        {
          type: 'response',
          attempt,
          url: displayUrl,
          status,
          durationMs: this.now() - started,
          ...(requestId !== undefined ? { requestId } : {}),
          message: `GET ${displayUrl} -> ${status}${requestId ? ` (${requestId})` : ''}`,
        },
        secrets,
      );
      const errorOptions = { secrets, ...(requestId !== undefined ? { requestId } : {}) };

      if (status >= 200 && status < 300) {
        try {
          return { value: parse(bodyText), requestId, attempts: attempt };
        } catch (raw) {
          const error = this.pageError(raw, status, responseHeaders, bodyText, errorOptions);
          this.emitError(attempt, displayUrl, error, secrets);
          throw error;
        }
      }

      if (shouldRetryResponse(status, responseHeaders) && retriesLeft) {
        const hint = serverRetryDelayMs(status, responseHeaders, this.now());
        const delayMs = retryDelayMs(hint, this.backoff(attempt));
        this.emitRetry(attempt, displayUrl, delayMs, `status ${status}`, status, requestId, undefined, secrets);
        await this.wait(delayMs, signal);
        continue;
      }

      const error = this.statusError(status, responseHeaders, bodyText, attempt, errorOptions);
      this.emitError(attempt, displayUrl, error, secrets);
      throw error;
    }
  }

  /**
   * Pages in one direction while `has_more`: `older` follows
   * `after=last_id`, `newer` follows `before=first_id` (each page is still
   * newest-first, as the API sends it).
   */
  async *pages(query: AuditLogQuery = {}, options: PagingOptions = {}): AsyncGenerator<FetchedAuditLogPage, void, undefined> {
    const direction = options.direction ?? (query.before !== undefined ? 'newer' : 'older');
    if (direction === 'newer' && query.before === undefined) {
      throw new InvalidQueryError(
        'before',
        'Paging towards newer events starts from an event id: set query.before (or filter with effectiveAt.gt).',
      );
    }
    const signalOptions = options.signal ? { signal: options.signal } : {};
    const seen = new Set<string>();
    let current: AuditLogQuery = query;
    for (let count = 0; options.maxPages === undefined || count < options.maxPages; count++) {
      const page = await this.listPage(current, signalOptions);
      yield page;
      if (!page.has_more) return;
      const cursor = direction === 'older' ? page.last_id ?? lastEventId(page) : page.first_id ?? firstEventId(page);
      if (cursor === undefined || cursor === null) return;
      if (seen.has(cursor)) {
        throw new InvalidResponseError(`the page cursor ${cursor} came back twice; paging stopped to avoid a loop.`);
      }
      seen.add(cursor);
      const { after: _after, before: _before, ...rest } = current;
      current = direction === 'older' ? { ...rest, after: cursor } : { ...rest, before: cursor };
    }
  }

  /**
   * Events page by page: newest first for `older`; for `newer`, oldest
   * first (each page reversed) so the stream always moves in its direction.
   */
  async *events(query: AuditLogQuery = {}, options: PagingOptions = {}): AsyncGenerator<ParsedEvent, void, undefined> {
    const newer = (options.direction ?? (query.before !== undefined ? 'newer' : 'older')) === 'newer';
    for await (const page of this.pages(query, options)) {
      if (newer) {
        for (let i = page.data.length - 1; i >= 0; i--) yield page.data[i]!;
      } else {
        yield* page.data;
      }
    }
  }

  /**
   * Closes the connections this client opened (an injected dispatcher is
   * left to its owner). Requests in flight fail with CancelledError.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // destroy, not close: close() would wait for a request that never answers.
    if (this.ownsDispatcher) await this.dispatcher.destroy();
  }

  dispose(): void {
    void this.close().catch(() => undefined);
  }

  private async resolveKey(): Promise<string> {
    let value: string | undefined;
    try {
      value = typeof this.apiKey === 'string' ? this.apiKey : await this.apiKey();
    } catch (raw) {
      throw new MissingKeyError('The Admin API key could not be read.', { cause: raw, secrets: this.staticSecrets });
    }
    const key = value?.trim() ?? '';
    if (key === '') throw new MissingKeyError();
    if (INVALID_HEADER_VALUE.test(key)) {
      throw new InvalidKeyError(
        'The Admin API key contains characters that cannot be sent (a line break, a space inside it or a non-ASCII ' +
          'character). Set it again, pasting only the key.',
        { secrets: [key, value] },
      );
    }
    return key;
  }

  private timeoutContext(): { connectMs: number; headersMs: number; bodyMs: number } {
    return { ...this.timeouts };
  }

  private backoff(attempt: number): { retry: number; baseDelayMs: number; maxDelayMs: number; random: () => number } {
    return { retry: attempt - 1, baseDelayMs: this.retryBaseDelayMs, maxDelayMs: this.maxRetryDelayMs, random: this.random };
  }

  private async wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await raceAbort(this.sleep(ms, signal), signal);
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      throw error;
    }
    if (signal?.aborted) throw new CancelledError();
  }

  private pageError(
    raw: unknown,
    status: number,
    headers: ResponseHeaders,
    bodyText: string,
    options: { secrets: string[]; requestId?: string },
  ): AuditLogApiError {
    if (raw instanceof PageSchemaError) {
      return new SchemaMismatchError(raw.path, `expected ${raw.expected}, got ${raw.received}`, { ...options, cause: raw });
    }
    if (raw instanceof PageNotJsonError) {
      const type = headerValue(headers, 'content-type') ?? 'no content type';
      const what = bodyText.length === 0 ? 'the body is empty' : `the body is not JSON (${type}, ${bodyText.length} characters)`;
      return new InvalidResponseError(
        `${what}, status ${status}. A proxy, captive portal or wrong base URL may be in the way.`,
        { ...options, cause: raw },
      );
    }
    return new InvalidResponseError('the page could not be parsed.', { ...options, cause: raw });
  }

  private statusError(
    status: number,
    headers: ResponseHeaders,
    bodyText: string,
    attempts: number,
    options: { secrets: string[]; requestId?: string },
  ): AuditLogApiError {
    const body = readErrorBody(bodyText);
    const apiMessage = body.message !== undefined ? { apiMessage: body.message } : {};
    if (status >= 300 && status < 400) return new RedirectError(status, headerValue(headers, 'location'), options);
    switch (status) {
      case 400:
        return new BadRequestError(body, options);
      case 401:
        return new InvalidKeyError(undefined, options);
      case 403:
        return new NotAdminKeyError({ ...options, ...apiMessage });
      case 404:
        return new EndpointNotFoundError(this.baseUrl, options);
      case 429: {
        const hint = serverRetryDelayMs(status, headers, this.now());
        return new RateLimitError(attempts, { ...options, ...apiMessage, ...(hint !== undefined ? { retryAfterMs: hint } : {}) });
      }
      default:
        if (status >= 500) return new ServerError(status, attempts, { ...options, ...apiMessage });
        return new UnexpectedStatusError(status, { ...options, ...apiMessage });
    }
  }

  private emitRetry(
    attempt: number,
    url: string,
    delayMs: number,
    reason: string,
    status: number | undefined,
    requestId: string | undefined,
    detail: string | undefined,
    secrets: readonly string[],
  ): void {
    this.emit(
      {
        type: 'retry',
        attempt,
        url,
        delayMs,
        reason,
        ...(status !== undefined ? { status } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
        message: `GET ${url} failed (${reason}${detail ? `: ${detail}` : ''}); retry ${attempt} of ${this.maxRetries} in ${delayMs} ms`,
      },
      secrets,
    );
  }

  private emitError(attempt: number, url: string, error: AuditLogApiError, secrets: readonly string[]): void {
    this.emit(
      {
        type: 'error',
        attempt,
        url,
        kind: error.kind,
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
        message: `GET ${url} failed: ${error.name}: ${error.message}`,
      },
      secrets,
    );
  }

  /** Hands the event to the hook with every string field redacted; a throwing hook is ignored. */
  private emit(event: AuditLogClientEvent, secrets: readonly string[]): void {
    if (!this.logHook) return;
    const clean: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(event)) {
      clean[name] = typeof value === 'string' ? redactSecrets(value, secrets) : value;
    }
    try {
      this.logHook(clean as AuditLogClientEvent);
    } catch {
      // logging must never break a request
    }
  }
}

/** A body that must be JSON (any shape: the caller reads it). */
function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (raw) {
    throw new PageNotJsonError(text.length, raw instanceof Error ? raw.message.slice(0, 120) : String(raw).slice(0, 120));
  }
}

function keySecrets(source: ApiKeySource): string[] {
  return typeof source === 'string' ? [source] : [];
}

function lastEventId(page: AuditLogPage): string | undefined {
  return page.data[page.data.length - 1]?.event.id;
}

function firstEventId(page: AuditLogPage): string | undefined {
  return page.data[0]?.event.id;
}
