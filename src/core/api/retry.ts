/**
 * Retry policy: which answers are worth another attempt and how long to wait.
 *
 * - Retried: 408, 429, every 5xx except 501/505, and broken connections
 *   (see the client). Never: 400, 401, 403, 404, 3xx.
 * - OpenAI's `x-should-retry: true|false` overrides the status rule.
 * - Delay: the server's hint when it gives one (`retry-after-ms`, then
 *   `retry-after` in seconds or as an HTTP date, then for 429 the longer of
 *   `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens`); otherwise
 *   exponential backoff with full jitter, `random() * base * 2^retry`. Both
 *   are capped at `maxDelayMs`.
 */

import { CancelledError } from './errors';

export type HeaderValue = string | string[] | undefined;
export type ResponseHeaders = Record<string, HeaderValue>;

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether a status is, by itself, worth retrying. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** The status rule, overridden by OpenAI's `x-should-retry` header. */
export function shouldRetryResponse(status: number, headers: ResponseHeaders): boolean {
  const explicit = headerValue(headers, 'x-should-retry')?.trim().toLowerCase();
  if (explicit === 'true') return status >= 400 && status !== 400 && status !== 401 && status !== 403 && status !== 404;
  if (explicit === 'false') return false;
  return isRetryableStatus(status);
}

/**
 * Parses the durations OpenAI uses in `x-ratelimit-reset-*`: `"1s"`,
 * `"6m0s"`, `"20ms"`, `"1h2m3.5s"`; a bare number is seconds. Milliseconds,
 * or undefined when it cannot be read.
 */
export function parseResetDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;
  let total = 0;
  let index = 0;
  while (index < value.length) {
    part.lastIndex = index;
    const match = part.exec(value);
    if (!match) return undefined;
    total += Number(match[1]) * unitMs[match[2]!]!;
    index = part.lastIndex;
  }
  return total;
}

/** `retry-after`: delta seconds (possibly fractional) or an HTTP date. */
export function parseRetryAfter(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The wait the server asks for, in milliseconds, or undefined when it does not say. */
export function serverRetryDelayMs(status: number, headers: ResponseHeaders, now: number = Date.now()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);
  const after = parseRetryAfter(headerValue(headers, 'retry-after'), now);
  if (after !== undefined) return after;
  if (status === 429) {
    const resets = [
      parseResetDuration(headerValue(headers, 'x-ratelimit-reset-requests')),
      parseResetDuration(headerValue(headers, 'x-ratelimit-reset-tokens')),
    ].filter((v): v is number => v !== undefined);
    if (resets.length > 0) return Math.max(...resets);
  }
  return undefined;
}

export interface BackoffOptions {
  /** The retry about to happen: 0 for the first retry. */
  readonly retry: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** In [0, 1). */
  readonly random: () => number;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^retry)). */
export function backoffDelayMs({ retry, baseDelayMs, maxDelayMs, random }: BackoffOptions): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(retry, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/** The delay before a retry: the server's hint if any, else backoff; capped. */
export function retryDelayMs(hintMs: number | undefined, backoff: BackoffOptions): number {
  if (hintMs !== undefined && Number.isFinite(hintMs)) {
    return Math.min(Math.max(0, Math.ceil(hintMs)), backoff.maxDelayMs);
  }
  return backoffDelayMs(backoff);
}

/** Waits `ms`; rejects with CancelledError as soon as `signal` aborts (the backoff of the client and the fetcher's gate). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
