/**
 * The audit-log API layer (no VS Code here).
 *
 * Design note
 * -----------
 * Pagination. `GET /organization/audit_logs` returns newest first, at most
 * 100 events per page, with `first_id`, `last_id` and `has_more`.
 * `AuditLogClient.pages()` follows the cursor: `after=last_id` to go older
 * (the default, from the newest event down), `before=first_id` to go newer
 * from a known event. It stops when `has_more` is false, and fails instead of
 * looping if the server ever hands back a cursor twice. `events()` flattens
 * the pages (oldest first when going newer). Filters are sent as the API's
 * own parameters, never applied client-side. Each page is parsed by the
 * model's lenient `parseAuditLogPage`: unknown event types and fields pass
 * through, only a broken envelope or a missing id/type/effective_at is a
 * `SchemaMismatchError` naming the field.
 *
 * Retries. One request is attempted up to `1 + maxRetries` times. 408, 429,
 * 5xx (but 501/505) and broken connections (reset, refused, closed mid-body,
 * connect/headers/body timeouts, transient DNS) are retried; 400, 401, 403,
 * 404, 3xx (redirects are never followed: the key goes to one origin only),
 * TLS and a body that is not JSON are not. The wait is the server's
 * (`retry-after-ms`, `retry-after`, then `x-ratelimit-reset-*` for 429),
 * otherwise exponential backoff with full jitter; always capped by
 * `maxRetryDelayMs`. After the last attempt the error says what happened
 * (`RateLimitError`, `ServerError`, `NetworkError`, `TimeoutError`…).
 *
 * Cancellation. Every call takes an `AbortSignal` (a VS Code
 * `CancellationToken` maps onto one). It is passed to undici, raced against
 * the body read and the backoff sleep, and checked between attempts, so an
 * abort at any point ends the call promptly with `CancelledError` and frees
 * the connection. `close()` closes the client's keep-alive connections.
 *
 * Secrets. The Admin key is only put in the Authorization header. Every
 * error message, stack, cause chain and log event passes through
 * `redactSecrets`; foreign errors are copied, redacted, never re-thrown.
 */
export {
  AuditLogClient,
  AUDIT_LOGS_PATH,
  type ApiKeySource,
  type AuditLogClientEvent,
  type AuditLogClientOptions,
  type FetchedAuditLogPage,
  type PageDirection,
  type PagingOptions,
  type RequestOptions,
} from './auditLogClient';
export { DEFAULT_BASE_URL, isLoopbackHost, validateBaseUrl, type BaseUrlValidation } from './baseUrl';
export {
  AuditLogApiError,
  BadRequestError,
  CancelledError,
  EndpointNotFoundError,
  InvalidBaseUrlError,
  InvalidKeyError,
  InvalidQueryError,
  InvalidResponseError,
  MissingKeyError,
  NetworkError,
  NotAdminKeyError,
  ProxyConfigError,
  RateLimitError,
  RedactedCause,
  RedirectError,
  SchemaMismatchError,
  ServerError,
  TimeoutError,
  TlsError,
  UnexpectedStatusError,
  isAuditLogApiError,
  isCancelledError,
  redactSecrets,
  type AuditLogErrorKind,
  type NetworkFailure,
  type OpenAiErrorBody,
  type TimeoutPhase,
} from './errors';
export {
  DEFAULT_TIMEOUTS,
  createDispatcher,
  displayProxyUrl,
  matchesNoProxy,
  resolveProxyRoute,
  timeoutsFromSeconds,
  type ClientTimeouts,
  type CreateDispatcherOptions,
  type ProxyEnv,
  type ProxyOptions,
  type ProxyRoute,
} from './proxy';
export {
  MAX_PAGE_SIZE,
  MIN_PAGE_SIZE,
  encodeAuditLogQuery,
  validateAuditLogQuery,
  type AuditLogQuery,
  type EffectiveAtRange,
} from './query';
export {
  backoffDelayMs,
  isRetryableStatus,
  parseResetDuration,
  parseRetryAfter,
  retryDelayMs,
  serverRetryDelayMs,
  shouldRetryResponse,
} from './retry';
