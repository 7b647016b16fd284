/**
 * The sample organization's present: a few events in the last hour and a
 * trickle of new ones while a session runs, so *Last hour*, auto refresh and
 * the badge show something on any day.
 *
 * Each new event replays the shape of one of the sample's own sign-ins or
 * sign-outs (same person, address, country and user agent), so nothing it
 * adds looks like an incident (no new country, no failed logins) and the
 * findings a newcomer sees stay the story's. The n-th event of an anchor is
 * always the same: the id is a function of (anchor, n), no clock, no
 * `Math.random`.
 */
import type { SampleEvent } from './sampleTypes';

/** Sign-in and sign-out types the trickle replays. */
const EVERYDAY_TYPES: ReadonlySet<string> = new Set(['login.succeeded', 'logout.succeeded']);

/** Minutes before the anchor at which the session's "recent" events happened. */
export const RECENT_MINUTES: readonly number[] = [2, 14, 37];

export class SampleTrickle {
  private readonly templates: readonly SampleEvent[];
  private count = 0;

  /** `events`: the generated sample; `anchor`: its end (Unix seconds), the seed of the trickle's ids. */
  constructor(events: readonly SampleEvent[], private readonly anchor: number) {
    // Oldest first, so the replay order does not depend on what the trickle itself added.
    this.templates = events.filter((e) => EVERYDAY_TYPES.has(e.type)).sort((a, b) => a.effective_at - b.effective_at || (a.id < b.id ? -1 : 1));
  }

  /** The events of the last hour before the anchor (newest first). */
  recent(): SampleEvent[] {
    return RECENT_MINUTES.map((m) => this.next(this.anchor - m * 60));
  }

  /** The next event of the trickle, at `effectiveAt` (Unix seconds). */
  next(effectiveAt: number): SampleEvent {
    if (this.templates.length === 0) throw new Error('sample trickle: the sample has no sign-in events to replay');
    const n = this.count++;
    const template = this.templates[n % this.templates.length]!;
    const copy = structuredClone(template) as SampleEvent & Record<string, unknown>;
    copy.id = trickleId(this.anchor, n, effectiveAt);
    copy.effective_at = Math.floor(effectiveAt);
    return copy;
  }
}

/** `audit_log-<16 hex>_<yyyymmdd>` like the sample's ids; the `7` prefix and the counter keep them apart from the story's. */
function trickleId(anchor: number, n: number, effectiveAt: number): string {
  const mixed = (Math.imul(anchor ^ 0x9e3779b9, 0x85ebca6b) >>> 0).toString(16).padStart(8, '0');
  const counter = (0x70000000 + n).toString(16).padStart(8, '0');
  const day = new Date(Math.floor(effectiveAt) * 1000).toISOString().slice(0, 10).replace(/-/g, '');
  return `audit_log-${counter}${mixed}_${day}`;
}
