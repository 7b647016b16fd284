/**
 * Maps what undici and Node throw (codes, not messages) onto this layer's
 * errors, and says whether another attempt makes sense.
 */
import {
  AuditLogApiError,
  CancelledError,
  InvalidResponseError,
  NetworkError,
  type NetworkFailure,
  TimeoutError,
  TlsError,
} from './errors';

export interface TransportErrorContext {
  /** `host[:port]` of the API, for the message. */
  readonly host: string;
  readonly connectMs?: number;
  readonly headersMs?: number;
  readonly bodyMs?: number;
  readonly secrets: readonly (string | undefined)[];
}

export interface ClassifiedTransportError {
  readonly error: AuditLogApiError;
  /** Whether the client should try again (within its retry budget). */
  readonly retry: boolean;
}

const NETWORK_CODES: Record<string, { reason: NetworkFailure; retry: boolean }> = {
  ENOTFOUND: { reason: 'dns', retry: false },
  EAI_NONAME: { reason: 'dns', retry: false },
  EAI_FAIL: { reason: 'dns', retry: false },
  EAI_NODATA: { reason: 'dns', retry: false },
  EAI_AGAIN: { reason: 'dns', retry: true },
  ECONNREFUSED: { reason: 'refused', retry: true },
  ECONNRESET: { reason: 'reset', retry: true },
  EPIPE: { reason: 'reset', retry: true },
  ECONNABORTED: { reason: 'closed', retry: true },
  UND_ERR_SOCKET: { reason: 'closed', retry: true },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { reason: 'closed', retry: true },
  UND_ERR_INFO: { reason: 'closed', retry: true },
  ENETUNREACH: { reason: 'unreachable', retry: true },
  EHOSTUNREACH: { reason: 'unreachable', retry: true },
  ENETDOWN: { reason: 'unreachable', retry: true },
  EHOSTDOWN: { reason: 'unreachable', retry: true },
  EADDRNOTAVAIL: { reason: 'unreachable', retry: true },
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The most telling error inside an AggregateError (happy-eyeballs tries several addresses). */
function innermost(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 4; depth++) {
    if (codeOf(current) !== undefined && codeOf(current) !== 'UND_ERR') return current;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors.find((e) => codeOf(e) === 'ECONNREFUSED') ?? errors[0];
      continue;
    }
    const cause = (current as { cause?: unknown }).cause;
    if (cause === undefined) return current;
    current = cause;
  }
  return current;
}

function isTlsCode(code: string, err: unknown): boolean {
  return (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('CERT_') ||
    code === 'UND_ERR_PRX_TLS' ||
    (typeof err === 'object' && err !== null && (err as { library?: unknown }).library === 'SSL routines')
  );
}

export function classifyTransportError(raw: unknown, ctx: TransportErrorContext): ClassifiedTransportError {
  if (raw instanceof AuditLogApiError) return { error: raw, retry: false };
  const err = innermost(raw);
  const code = codeOf(err) ?? '';
  const options = { cause: raw, secrets: ctx.secrets };
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { error: new TimeoutError('connect', ctx.host, ctx.connectMs, options), retry: true };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { error: new TimeoutError('headers', ctx.host, ctx.headersMs, options), retry: true };
    case 'UND_ERR_BODY_TIMEOUT':
      return { error: new TimeoutError('body', ctx.host, ctx.bodyMs, options), retry: true };
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return { error: new CancelledError('The request was cancelled because the client was closed.'), retry: false };
    default:
      break;
  }
  if (code.startsWith('HPE_')) {
    return {
      error: new InvalidResponseError(`${ctx.host} does not answer in HTTP (${code}).`, options),
      retry: false,
    };
  }
  const message = messageOf(err);
  if ((code === 'UND_ERR_ABORTED' || code === 'UND_ERR_INVALID_ARG') && /proxy/i.test(message)) {
    const status = /\((\d{3})\)/.exec(message)?.[1];
    return {
      error: new NetworkError('proxy', ctx.host, { ...options, detail: status ? `proxy status ${status}` : code }),
      retry: false,
    };
  }
  if (isTlsCode(code, err)) {
    return { error: new TlsError(ctx.host, code || undefined, options), retry: false };
  }
  const network = NETWORK_CODES[code];
  if (network !== undefined) {
    return { error: new NetworkError(network.reason, ctx.host, { ...options, detail: code }), retry: network.retry };
  }
  return { error: new NetworkError('other', ctx.host, { ...options, detail: code || undefined }), retry: false };
}
