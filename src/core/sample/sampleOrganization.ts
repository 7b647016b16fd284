/**
 * The deterministic sample organization: "Acme Research", its projects,
 * people, service accounts and keys, and an audit log of any size from a few
 * hundred events (the demo) to 100,000 (benchmarks).
 *
 * How it is built:
 * 1. A roster of what existed before the window opened (`sampleRoster.ts`).
 * 2. A scripted story that is the same for every size (`scriptedHistory.ts`,
 *    `tenantHistory.ts`): every one of the contract's event types, in
 *    lifecycles on the same resource ids, plus the hostile strings.
 * 3. Everyday background activity up to `eventCount` (`backgroundActivity.ts`),
 *    placed only where its projects and users exist.
 * 4. Sorted newest first like the API (`compareEventsNewestFirst`); when
 *    `eventCount` is smaller than the story, the newest events are kept, as a
 *    retention window would.
 *
 * Same seed and options ⇒ identical JSON: one seeded PRNG, no clock, no
 * `Math.random`.
 */
import { AUDIT_LOG_EVENT_TYPES } from '../model/generated';
import { writeBackgroundActivity } from './backgroundActivity';
import { writeIncidents } from './incidents';
import { buildRoster } from './sampleRoster';
import type { SampleEvent, SampleOrganization, SampleOrganizationOptions } from './sampleTypes';
import { SampleWorld } from './sampleWorld';
import { writeScriptedHistory } from './scriptedHistory';
import { SeededRandom } from './seededRandom';
import { writeTenantHistory } from './tenantHistory';

export type { SampleActor, SampleApiKey, SampleEvent, SampleOrgInfo, SampleOrganization, SampleOrganizationOptions, SampleProject, SampleServiceAccount, SampleUser } from './sampleTypes';
export { HOSTILE_STRINGS } from './hostileStrings';

/** Events in the demo / sample mode. */
export const SAMPLE_DEMO_EVENT_COUNT = 400;
/** With at least this many events every known event type appears at least once. */
export const SAMPLE_FULL_COVERAGE_EVENT_COUNT = 300;
export const SAMPLE_DEFAULT_SEED = 20_261_120;
/** 2026-11-20T12:00:00Z. */
export const SAMPLE_DEFAULT_END_TIME = 1_795_176_000;
export const SAMPLE_DEFAULT_SPAN_DAYS = 30;

export function generateSampleOrganization(options: SampleOrganizationOptions): SampleOrganization {
  const { seed = SAMPLE_DEFAULT_SEED, eventCount, endTime = SAMPLE_DEFAULT_END_TIME, spanDays = SAMPLE_DEFAULT_SPAN_DAYS } = options;
  if (!Number.isInteger(eventCount) || eventCount < 0) throw new RangeError(`eventCount must be a non-negative integer, got ${eventCount}`);
  if (!Number.isInteger(endTime) || endTime <= 0) throw new RangeError(`endTime must be a positive integer (Unix seconds), got ${endTime}`);
  if (!(spanDays >= 1 / 24)) throw new RangeError(`spanDays must be at least one hour (1/24), got ${spanDays}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);

  const startTime = endTime - Math.floor(spanDays * 86_400);
  const rng = new SeededRandom(seed);
  const roster = buildRoster(rng);
  const world = new SampleWorld(rng, roster, startTime, endTime);

  writeScriptedHistory(world);
  writeTenantHistory(world);
  writeIncidents(world);
  coverRemainingTypes(world);
  assertRosterComplete(world);
  writeBackgroundActivity(world, eventCount - world.events.length);

  const events = world.events.sort(compareEventsNewestFirst);
  if (events.length > eventCount) events.length = eventCount;

  return {
    org: roster.org,
    projects: roster.projects,
    users: roster.users,
    serviceAccounts: roster.serviceAccounts,
    apiKeys: roster.apiKeys,
    events,
    startTime,
    endTime,
  };
}

/**
 * The API's order, which the fake server uses too: `effective_at` descending,
 * then `id` descending (plain UTF-16 code unit comparison), so events that
 * share a second have one stable order.
 */
export function compareEventsNewestFirst(a: { effective_at: number; id: string }, b: { effective_at: number; id: string }): number {
  if (a.effective_at !== b.effective_at) return b.effective_at - a.effective_at;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Events by id, for tests and the sample mode's look-ups. */
export function indexSampleEventsById(events: readonly SampleEvent[]): Map<string, SampleEvent> {
  const map = new Map<string, SampleEvent>();
  for (const e of events) map.set(e.id, e);
  return map;
}

/**
 * Types the contract knows but the story does not script yet (after a codegen
 * adds new ones) still appear once, with a minimal `{ id }` detail.
 */
function coverRemainingTypes(w: SampleWorld): void {
  const seen = new Set(w.events.map((e) => e.type));
  for (const type of AUDIT_LOG_EVENT_TYPES) {
    if (!seen.has(type)) w.addAdmin(w.near(0.5, 0.4), type, { id: w.newId('res_') });
  }
}

/** Every in-window entity must have been given its time by the story. */
function assertRosterComplete(w: SampleWorld): void {
  const bad = [...w.roster.projects.map((p) => p.createdAt), ...w.roster.users.map((u) => u.addedAt)].some((t) => t !== undefined && !Number.isFinite(t));
  if (bad) throw new Error('sample: the scripted history left an in-window project or user without a time');
}
