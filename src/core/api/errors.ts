/**
 * Errors of the audit-log API layer: one class per situation a user can act
 * on, all extending {@link AuditLogApiError} so callers switch on `kind`.
 *
 * Secrets: every constructor runs its message through {@link redactSecrets}
 * with the secrets it was given, rewrites `stack` from the redacted message,
 * and never keeps a foreign error object as `cause`: a foreign error (undici,
 * Node, the model) is copied into a {@link RedactedCause} whose message and
 * stack are redacted too, recursively. So `message`, `stack` and the whole
 * `cause` chain of anything thrown by this layer are free of the Admin key.
 */
import { neutralizeDisplayText } from '../text/displayText';

export type AuditLogErrorKind =
  | 'invalidKey'
  | 'missingKey'
  | 'notAdminKey'
  | 'endpointNotFound'
  | 'badRequest'
  | 'unexpectedStatus'
  | 'redirect'
  | 'rateLimited'
  | 'server'
  | 'network'
  | 'tls'
  | 'timeout'
  | 'invalidResponse'
  | 'schemaMismatch'
  | 'cancelled'
  | 'invalidQuery'
  | 'invalidBaseUrl'
  | 'proxyConfig';

const REDACTED = '[REDACTED]';
/** Secrets shorter than this are not real keys; replacing them would shred the text. */
const MIN_SECRET_LENGTH = 4;
/** Anything shaped like an OpenAI key, in case a secret reached us in another form. */
const KEY_SHAPE = /\bsk-[A-Za-z0-9_-]{16,}/g;
const BEARER_SHAPE = /\b(Bearer\s+)[^\s"',;]+/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every occurrence of each secret (and of its URL-encoded form), any
 * `Bearer <token>`, and anything shaped like an OpenAI key with `[REDACTED]`.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = String(text);
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string') continue;
    for (const form of [secret, secret.trim(), encodeURIComponent(secret.trim())]) {
      if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
    }
  }
  // Longest first, so a secret containing another one is removed whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(escapeRegExp(form), 'g'), REDACTED);
  }
  return out.replace(BEARER_SHAPE, `$1${REDACTED}`).replace(KEY_SHAPE, `sk-${REDACTED}`);
}

/**
 * A redacted copy of a foreign error, used as `cause`: keeps the name, the
 * Node/undici `code` (and `errno`, `syscall`, `hostname`) for diagnosis,
 * nothing else.
 */
export class RedactedCause extends Error {
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly hostname?: string;

  constructor(original: unknown, secrets: readonly (string | undefined)[], depth = 0) {
    const o = (typeof original === 'object' && original !== null ? original : {}) as Record<string, unknown>;
    const message = original instanceof Error || typeof o.message === 'string'
      ? String(o.message)
      : String(original);
    super(redactSecrets(message, secrets));
    this.name = typeof o.name === 'string' ? redactSecrets(o.name, secrets) : 'Error';
    if (typeof o.code === 'string' || typeof o.code === 'number') this.code = redactSecrets(String(o.code), secrets);
    if (typeof o.errno === 'number') this.errno = o.errno;
    if (typeof o.syscall === 'string') this.syscall = o.syscall;
    if (typeof o.hostname === 'string') this.hostname = redactSecrets(o.hostname, secrets);
    this.stack = typeof o.stack === 'string'
      ? redactSecrets(o.stack, secrets)
      : `${this.name}: ${this.message}`;
    if (depth < 4 && o.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: new RedactedCause(o.cause, secrets, depth + 1), enumerable: false, writable: true, configurable: true,
      });
    }
    if (depth < 4 && Array.isArray(o.errors)) {
      Object.defineProperty(this, 'errors', {
        value: o.errors.slice(0, 5).map((e) => new RedactedCause(e, secrets, depth + 1)),
        enumerable: false, writable: true, configurable: true,
      });
    }
  }
}

export interface AuditLogApiErrorOptions {
  status?: number;
  requestId?: string;
  /** A foreign error; it is copied into a {@link RedactedCause}, never kept. */
  cause?: unknown;
  /** Values to remove from the message, stack and cause chain (the key). */
  secrets?: readonly (string | undefined)[];
}

/** Base of every error this layer throws. `message` is plain, user-facing text. */
export abstract class AuditLogApiError extends Error {
  abstract readonly kind: AuditLogErrorKind;
  /** Whether trying again later may succeed (the client has already retried what it could). */
  abstract readonly retryable: boolean;
  readonly status?: number;
  /** The `x-request-id` of the response, for OpenAI support. */
  readonly requestId?: string;

  protected constructor(name: string, message: string, options: AuditLogApiErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    // Messages reach notifications, which render markdown links as commands: no link syntax, no bidi tricks.
    super(neutralizeDisplayText(redactSecrets(message, secrets)));
    // Explicit names: a minified bundle renames classes.
    this.name = name;
    Error.captureStackTrace?.(this, new.target);
    if (options.status !== undefined) this.status = options.status;
    if (options.requestId !== undefined) this.requestId = redactSecrets(options.requestId, secrets);
    if (options.cause !== undefined) {
      const cause = options.cause instanceof AuditLogApiError || options.cause instanceof RedactedCause
        ? options.cause
        : new RedactedCause(options.cause, secrets);
      Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
    }
    // Belt and braces: the stack's first line repeats the (already redacted) message.
    this.stack = redactSecrets(this.stack ?? `${this.name}: ${this.message}`, secrets);
  }
}

/** The OpenAI error body: `{ "error": { "message", "type", "param", "code" } }`. */
export interface OpenAiErrorBody {
  message?: string;
  type?: string;
  param?: string;
  code?: string;
}

/** 401: the key is wrong or revoked (or contains characters that cannot be sent). */
export class InvalidKeyError extends AuditLogApiError {
  readonly kind = 'invalidKey' as const;
  readonly retryable = false;
  constructor(message?: string, options: AuditLogApiErrorOptions = {}) {
    super(
      'InvalidKeyError',
      message ??
        'The Admin API key was rejected (401). Check that it is complete and has not been revoked, then set it again.',
      { status: 401, ...options },
    );
  }
}

/** No key is configured (neither stored nor in the environment). */
export class MissingKeyError extends AuditLogApiError {
  readonly kind = 'missingKey' as const;
  readonly retryable = false;
  constructor(message = 'No Admin API key is set. Set one to read the audit log.', options: AuditLogApiErrorOptions = {}) {
    super('MissingKeyError', message, options);
  }
}

/** 403: the key works but is not an Admin key, or may not read the audit log. */
export class NotAdminKeyError extends AuditLogApiError {
  readonly kind = 'notAdminKey' as const;
  readonly retryable = false;
  readonly apiMessage?: string;
  constructor(options: AuditLogApiErrorOptions & { apiMessage?: string } = {}) {
    const detail = options.apiMessage ? ` OpenAI said: ${truncate(options.apiMessage)}` : '';
    super(
      'NotAdminKeyError',
      'The audit log needs an Admin API key, sk-admin-…, from an organization owner (403). ' +
        `The key that was used is not an Admin key or may not read this organization's audit log.${detail}`,
      { status: 403, ...options },
    );
    if (options.apiMessage) this.apiMessage = redactSecrets(truncate(options.apiMessage), options.secrets);
  }
}

/** 404: the base URL does not lead to the audit-log endpoint. */
export class EndpointNotFoundError extends AuditLogApiError {
  readonly kind = 'endpointNotFound' as const;
  readonly retryable = false;
  /** The base URL that was used (never with credentials). */
  readonly baseUrl: string;
  constructor(baseUrl: string, options: AuditLogApiErrorOptions = {}) {
    const safe = safeUrlForDisplay(baseUrl);
    super(
      'EndpointNotFoundError',
      `The audit-log endpoint was not found at ${safe}/organization/audit_logs (404). ` +
        'Is the API base URL right (setting openaiAuditLogs.apiBaseUrl, default https://api.openai.com/v1)?',
      { status: 404, ...options },
    );
    this.baseUrl = redactSecrets(safe, options.secrets);
  }
}

/** 400: the API rejected the query; `apiMessage` and `param` say why. */
export class BadRequestError extends AuditLogApiError {
  readonly kind = 'badRequest' as const;
  readonly retryable = false;
  readonly apiMessage?: string;
  readonly param?: string;
  readonly code?: string;
  constructor(body: OpenAiErrorBody, options: AuditLogApiErrorOptions = {}) {
    const what = body.message ? truncate(body.message) : 'no reason given';
    const param = body.param ? ` (parameter: ${truncate(body.param, 100)})` : '';
    super('BadRequestError', `The API rejected the request (400): ${what}${param}`, { status: 400, ...options });
    if (body.message) this.apiMessage = redactSecrets(truncate(body.message), options.secrets);
    if (body.param) this.param = redactSecrets(truncate(body.param, 100), options.secrets);
    if (body.code) this.code = redactSecrets(truncate(body.code, 100), options.secrets);
  }
}

/** Any other status the client does not expect (405, 409, 422, 501…). */
export class UnexpectedStatusError extends AuditLogApiError {
  readonly kind = 'unexpectedStatus' as const;
  readonly retryable = false;
  readonly apiMessage?: string;
  constructor(status: number, options: AuditLogApiErrorOptions & { apiMessage?: string } = {}) {
    const detail = options.apiMessage ? `: ${truncate(options.apiMessage)}` : '.';
    super('UnexpectedStatusError', `The API answered with an unexpected status (${status})${detail}`, { status, ...options });
    if (options.apiMessage) this.apiMessage = redactSecrets(truncate(options.apiMessage), options.secrets);
  }
}

/** 3xx: never followed, so that the key is only ever sent to the configured origin. */
export class RedirectError extends AuditLogApiError {
  readonly kind = 'redirect' as const;
  readonly retryable = false;
  /** The redirect target's origin, if the response named one. */
  readonly location?: string;
  constructor(status: number, location: string | undefined, options: AuditLogApiErrorOptions = {}) {
    const target = location ? ` to ${safeOriginForDisplay(location)}` : '';
    super(
      'RedirectError',
      `The API answered with a redirect (${status})${target}. Redirects are not followed so that the key is only ` +
        'sent to the configured base URL; check the API base URL setting.',
      { status, ...options },
    );
    if (location) this.location = redactSecrets(safeOriginForDisplay(location), options.secrets);
  }
}

/** 429 still after every retry. */
export class RateLimitError extends AuditLogApiError {
  readonly kind = 'rateLimited' as const;
  readonly retryable = true;
  readonly attempts: number;
  /** How long the API last asked us to wait, if it said. */
  readonly retryAfterMs?: number;
  constructor(attempts: number, options: AuditLogApiErrorOptions & { retryAfterMs?: number; apiMessage?: string } = {}) {
    const wait = options.retryAfterMs !== undefined
      ? ` The API asks to wait ${formatDuration(options.retryAfterMs)}.`
      : ' Wait a minute and try again.';
    super('RateLimitError', `Still rate limited by the API (429) after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}.${wait}`, {
      status: 429,
      ...options,
    });
    this.attempts = attempts;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx (after retries, for the retryable ones). */
export class ServerError extends AuditLogApiError {
  readonly kind = 'server' as const;
  readonly retryable = true;
  readonly attempts: number;
  readonly apiMessage?: string;
  constructor(status: number, attempts: number, options: AuditLogApiErrorOptions & { apiMessage?: string } = {}) {
    const detail = options.apiMessage ? ` OpenAI said: ${truncate(options.apiMessage)}` : '';
    super(
      'ServerError',
      `The API had a server error (${status}) after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}. ` +
        `Try again later.${detail}`,
      { status, ...options },
    );
    this.attempts = attempts;
    if (options.apiMessage) this.apiMessage = redactSecrets(truncate(options.apiMessage), options.secrets);
  }
}

export type NetworkFailure = 'dns' | 'refused' | 'reset' | 'closed' | 'unreachable' | 'proxy' | 'other';

/** The connection could not be made or broke: which one is in `reason`. */
export class NetworkError extends AuditLogApiError {
  readonly kind = 'network' as const;
  readonly retryable = true;
  readonly reason: NetworkFailure;
  readonly host: string;
  constructor(reason: NetworkFailure, host: string, options: AuditLogApiErrorOptions & { detail?: string } = {}) {
    super('NetworkError', networkMessage(reason, host, options.detail), options);
    this.reason = reason;
    this.host = redactSecrets(host, options.secrets);
  }
}

function networkMessage(reason: NetworkFailure, host: string, detail?: string): string {
  const extra = detail ? ` (${detail})` : '';
  switch (reason) {
    case 'dns':
      return `Could not find the host ${host}: the DNS lookup failed${extra}. Check the API base URL and your network.`;
    case 'refused':
      return `The connection to ${host} was refused${extra}. Is the API base URL right, and is a firewall or proxy in the way?`;
    case 'reset':
      return `The connection to ${host} was reset${extra}. Check your network, proxy or VPN.`;
    case 'closed':
      return `The connection to ${host} closed before the response was complete${extra}.`;
    case 'unreachable':
      return `The host ${host} cannot be reached from this network${extra}.`;
    case 'proxy':
      return `The proxy refused the connection to ${host}${extra}. Check the http.proxy setting or HTTPS_PROXY.`;
    default:
      return `A network error occurred talking to ${host}${extra}.`;
  }
}

/** The TLS handshake failed: certificate not trusted, expired, wrong host, protocol. */
export class TlsError extends AuditLogApiError {
  readonly kind = 'tls' as const;
  readonly retryable = false;
  readonly host: string;
  /** Node's code, e.g. `SELF_SIGNED_CERT_IN_CHAIN`, `ERR_SSL_WRONG_VERSION_NUMBER`. */
  readonly code?: string;
  constructor(host: string, code: string | undefined, options: AuditLogApiErrorOptions = {}) {
    const certificate = code !== undefined && /CERT|SIGNATURE|ISSUER|ALTNAME|SELF_SIGNED/.test(code);
    const hint = certificate
      ? ' The certificate is not trusted: a proxy that inspects TLS needs its CA in NODE_EXTRA_CA_CERTS.'
      : ' Is the API base URL an HTTPS endpoint?';
    super('TlsError', `The secure connection to ${host} failed${code ? ` (${code})` : ''}.${hint}`, options);
    this.host = redactSecrets(host, options.secrets);
    if (code !== undefined) this.code = code;
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body';

/** No connection, response or body in time (after retries). */
export class TimeoutError extends AuditLogApiError {
  readonly kind = 'timeout' as const;
  readonly retryable = true;
  readonly phase: TimeoutPhase;
  readonly timeoutMs?: number;
  constructor(phase: TimeoutPhase, host: string, timeoutMs: number | undefined, options: AuditLogApiErrorOptions = {}) {
    const limit = timeoutMs !== undefined ? ` within ${formatDuration(timeoutMs)}` : '';
    const what = phase === 'connect'
      ? `Could not connect to ${host}${limit}`
      : phase === 'headers'
        ? `${host} did not start answering${limit}`
        : `${host} stopped sending the response${limit}`;
    super('TimeoutError', `${what} (timeout). Check your network or raise openaiAuditLogs.requestTimeoutSeconds.`, options);
    this.phase = phase;
    if (timeoutMs !== undefined) this.timeoutMs = timeoutMs;
  }
}

/** The body is not JSON (a proxy's login page, a truncated body…). */
export class InvalidResponseError extends AuditLogApiError {
  readonly kind = 'invalidResponse' as const;
  readonly retryable = false;
  constructor(detail: string, options: AuditLogApiErrorOptions = {}) {
    super('InvalidResponseError', `The API's answer could not be read: ${detail}`, options);
  }
}

/** The body is JSON but not an audit-log page; `field` names where. */
export class SchemaMismatchError extends AuditLogApiError {
  readonly kind = 'schemaMismatch' as const;
  readonly retryable = false;
  /** Path of the offending field, e.g. `data[3].effective_at`. */
  readonly field?: string;
  constructor(field: string | undefined, detail: string, options: AuditLogApiErrorOptions = {}) {
    const where = field ? ` at ${field}` : '';
    super('SchemaMismatchError', `A page from the API does not have the expected shape${where}: ${truncate(detail)}`, options);
    if (field !== undefined) this.field = redactSecrets(field, options.secrets);
  }
}

/** The caller aborted (AbortSignal / CancellationToken). */
export class CancelledError extends AuditLogApiError {
  readonly kind = 'cancelled' as const;
  readonly retryable = false;
  constructor(message = 'The request was cancelled.') {
    super('CancelledError', message);
  }
}

/** A query that the API would reject (limit out of range, inverted cursors…). */
export class InvalidQueryError extends AuditLogApiError {
  readonly kind = 'invalidQuery' as const;
  readonly retryable = false;
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super('InvalidQueryError', message);
    this.parameter = parameter;
  }
}

/** The configured base URL is refused (see `validateBaseUrl`). */
export class InvalidBaseUrlError extends AuditLogApiError {
  readonly kind = 'invalidBaseUrl' as const;
  readonly retryable = false;
  constructor(reason: string, options: AuditLogApiErrorOptions = {}) {
    super('InvalidBaseUrlError', `The API base URL is not usable: ${reason}`, options);
  }
}

/** The proxy setting or environment variable cannot be used. */
export class ProxyConfigError extends AuditLogApiError {
  readonly kind = 'proxyConfig' as const;
  readonly retryable = false;
  constructor(reason: string, options: AuditLogApiErrorOptions = {}) {
    super('ProxyConfigError', `The proxy configuration is not usable: ${reason}`, options);
  }
}

export function isAuditLogApiError(value: unknown): value is AuditLogApiError {
  return value instanceof AuditLogApiError;
}

export function isCancelledError(value: unknown): value is CancelledError {
  return value instanceof CancelledError;
}

/** `https://host/path` of a URL, without credentials, query or fragment. */
export function safeUrlForDisplay(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

function safeOriginForDisplay(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(an invalid location)';
  }
}

function truncate(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  return `${Math.round(s / 60)} min`;
}
