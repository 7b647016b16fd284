import { randomBytes } from 'node:crypto';
import { AuditLogClient } from '../core/api';
import { SAMPLE_DEMO_EVENT_COUNT, generateSampleOrganization } from '../core/sample/sampleOrganization';
import { startFakeAuditLogServer } from '../core/sample/loopbackServer';
import { sampleDirectory, type LoopbackDirectoryData } from '../core/sample/loopbackDirectory';
import { SampleTrickle } from '../core/sample/sampleTrickle';
import type { SampleEvent } from '../core/sample/sampleTypes';

/** The sample organization, served through the same client code path as the real API. */
export interface SampleSession {
  readonly client: AuditLogClient;
  /** The sample's present: its newest story event is at most this (Unix seconds); the trickle starts here. */
  readonly anchor: number;
  dispose(): Promise<void>;
}

export interface SampleSessionOptions {
  /** The clock (milliseconds); default `Date.now`. Tests pin it to know the exact data. */
  readonly now?: () => number;
  /** Seconds between two trickle events while the session runs; default 60; 0 turns the trickle off. */
  readonly trickleSeconds?: number;
}

/** The sample spans this many days before its present, so *Last 30 days* is full. */
export const SAMPLE_SESSION_SPAN_DAYS = 35;

/**
 * The events a session started at `nowSeconds` serves first (newest story event at most a minute before,
 * plus the trickle's recent ones), and the trickle that continues them: what a test that pins the clock
 * expects to see.
 */
export function sampleSessionEvents(nowSeconds: number): { anchor: number; events: SampleEvent[]; trickle: SampleTrickle; directory: LoopbackDirectoryData } {
  const anchor = nowSeconds - 60;
  const org = generateSampleOrganization({ eventCount: SAMPLE_DEMO_EVENT_COUNT, endTime: anchor, spanDays: SAMPLE_SESSION_SPAN_DAYS });
  const events: SampleEvent[] = org.events;
  const trickle = new SampleTrickle(events, anchor);
  events.push(...trickle.recent());
  return { anchor, events, trickle, directory: sampleDirectory(org) };
}

/**
 * Starts the loopback fake API with the deterministic sample organization,
 * anchored to the present (its story ends a minute ago, a few events happened
 * in the last hour, and a new one arrives every `trickleSeconds`), and a
 * random per-session dummy key (the real key is never sent there).
 */
export async function startSampleSession(version: string, options: SampleSessionOptions = {}): Promise<SampleSession> {
  const now = options.now ?? Date.now;
  const { anchor, events, trickle, directory } = sampleSessionEvents(Math.floor(now() / 1000));
  const apiKey = `sk-admin-sample-${randomBytes(16).toString('hex')}`;
  const server = await startFakeAuditLogServer({ events, apiKey, directory });
  const client = new AuditLogClient({ baseUrl: server.url, apiKey, version, maxRetries: 0 });
  const seconds = options.trickleSeconds ?? 60;
  const timer =
    seconds > 0
      ? setInterval(() => {
          events.push(trickle.next(Math.floor(now() / 1000)));
          server.setEvents(events);
        }, seconds * 1000)
      : undefined;
  timer?.unref();
  return {
    client,
    anchor,
    async dispose() {
      if (timer) clearInterval(timer);
      await client.close().catch(() => undefined);
      await server.close();
    },
  };
}
