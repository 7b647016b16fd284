/**
 * One gate shared by every worker of a parallel fetch: when any of them is
 * rate limited, all of them wait before their next request, so a 429 slows
 * the whole fetch down instead of letting the other workers keep hammering
 * the API (and collect 429s of their own).
 */
import { CancelledError } from '../api/errors';
import { abortableSleep } from '../api/retry';

export interface RateLimitGateOptions {
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A client log event, as far as the gate reads it (see `AuditLogClientEvent`). */
export interface RetryEventLike {
  readonly type: string;
  readonly status?: number;
  readonly delayMs?: number;
}

export class RateLimitGate {
  private openAt = 0;
  private _pauses = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RateLimitGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** How many times the gate was closed (for tests and progress). */
  get pauses(): number {
    return this._pauses;
  }

  /** Milliseconds until the gate opens again (0 when open). */
  get remainingMs(): number {
    return Math.max(0, this.openAt - this.now());
  }

  /** Closes the gate for `ms` from now (never shortens a longer pause already in force). */
  pause(ms: number): void {
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    const until = this.now() + ms;
    if (until > this.openAt) {
      this.openAt = until;
      this._pauses++;
    }
  }

  /**
   * Feeds the gate from the client's `log` hook: a retry after a 429 (the
   * client is about to wait `delayMs` itself) closes the gate for everyone
   * else for as long.
   */
  observe(event: RetryEventLike): void {
    if (event.type === 'retry' && event.status === 429 && typeof event.delayMs === 'number') this.pause(event.delayMs);
  }

  /** Resolves once the gate is open; rejects with CancelledError when the signal aborts. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const wait = this.remainingMs;
      if (wait <= 0) return;
      await this.sleep(wait, signal);
    }
  }
}
