import assert from 'node:assert/strict';
import {
  backoffDelayMs,
  isRetryableStatus,
  parseResetDuration,
  parseRetryAfter,
  retryDelayMs,
  serverRetryDelayMs,
  shouldRetryResponse,
} from '../../../src/core/api';
import { seededRandom } from './loopback';

describe('api/retry: policy and delays', () => {
  it('retries 408, 429 and 5xx but not 501/505, 4xx or 3xx', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 520]) assert.equal(isRetryableStatus(status), true, String(status));
    for (const status of [200, 301, 400, 401, 403, 404, 409, 422, 501, 505]) assert.equal(isRetryableStatus(status), false, String(status));
  });

  it("honours OpenAI's x-should-retry, but never for 400/401/403/404", () => {
    assert.equal(shouldRetryResponse(409, { 'x-should-retry': 'true' }), true);
    assert.equal(shouldRetryResponse(503, { 'x-should-retry': 'false' }), false);
    assert.equal(shouldRetryResponse(401, { 'x-should-retry': 'true' }), false);
    assert.equal(shouldRetryResponse(503, {}), true);
  });

  it('parses the x-ratelimit-reset-* durations', () => {
    assert.equal(parseResetDuration('1s'), 1000);
    assert.equal(parseResetDuration('6m0s'), 360_000);
    assert.equal(parseResetDuration('20ms'), 20);
    assert.equal(parseResetDuration('1h2m3.5s'), 3_723_500);
    assert.equal(parseResetDuration('0.5s'), 500);
    assert.equal(parseResetDuration('2'), 2000);
    assert.equal(parseResetDuration('soon'), undefined);
    assert.equal(parseResetDuration('1s junk'), undefined);
    assert.equal(parseResetDuration(''), undefined);
    assert.equal(parseResetDuration(undefined), undefined);
  });

  it('parses retry-after as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('0.25', now), 250);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('later', now), undefined);
  });

  it('prefers retry-after-ms, then retry-after, then (429 only) the longer reset header', () => {
    const now = 0;
    assert.equal(serverRetryDelayMs(429, { 'retry-after-ms': '150', 'retry-after': '9' }, now), 150);
    assert.equal(serverRetryDelayMs(429, { 'retry-after': '2', 'x-ratelimit-reset-requests': '9s' }, now), 2000);
    assert.equal(serverRetryDelayMs(429, { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' }, now), 360_000);
    assert.equal(serverRetryDelayMs(500, { 'x-ratelimit-reset-requests': '1s' }, now), undefined, 'reset headers only mean something on 429');
    assert.equal(serverRetryDelayMs(503, { 'retry-after': '1' }, now), 1000);
    assert.equal(serverRetryDelayMs(429, {}, now), undefined);
  });

  it('computes exponential backoff with full jitter, capped', () => {
    const base = { baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelayMs({ ...base, retry: 0, random: () => 0.5 }), 50);
    assert.equal(backoffDelayMs({ ...base, retry: 1, random: () => 0.5 }), 100);
    assert.equal(backoffDelayMs({ ...base, retry: 2, random: () => 0.5 }), 200);
    assert.equal(backoffDelayMs({ ...base, retry: 3, random: () => 0.5 }), 400);
    assert.equal(backoffDelayMs({ ...base, retry: 4, random: () => 0.5 }), 500, 'ceiling capped at 1000');
    assert.equal(backoffDelayMs({ ...base, retry: 40, random: () => 0.999 }), 999);
    assert.equal(backoffDelayMs({ ...base, retry: 3, random: () => 0 }), 0);

    const random = seededRandom(42);
    const replay = seededRandom(42);
    for (let retry = 0; retry < 6; retry++) {
      const ceiling = Math.min(1000, 100 * 2 ** retry);
      const delay = backoffDelayMs({ ...base, retry, random });
      assert.equal(delay, Math.floor(replay() * ceiling));
      assert.ok(delay >= 0 && delay < ceiling);
    }
  });

  it('uses the server hint when given, capped by the maximum', () => {
    const backoff = { retry: 0, baseDelayMs: 100, maxDelayMs: 5000, random: () => 0.5 };
    assert.equal(retryDelayMs(1200, backoff), 1200);
    assert.equal(retryDelayMs(60_000, backoff), 5000);
    assert.equal(retryDelayMs(undefined, backoff), 50);
    assert.equal(retryDelayMs(0, backoff), 0);
  });
});
