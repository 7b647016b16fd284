import { randomBytes } from 'node:crypto';
import { AuditLogClient } from '../core/api';
import { SAMPLE_DEMO_EVENT_COUNT, generateSampleOrganization } from '../core/sample/sampleOrganization';
import { startFakeAuditLogServer } from '../core/sample/loopbackServer';

/** The sample organization, served through the same client code path as the real API. */
export interface SampleSession {
  readonly client: AuditLogClient;
  dispose(): Promise<void>;
}

/**
 * Starts the loopback fake API with the deterministic sample organization and
 * a random per-session dummy key (the real key is never sent there).
 */
export async function startSampleSession(version: string): Promise<SampleSession> {
  const events = generateSampleOrganization({ eventCount: SAMPLE_DEMO_EVENT_COUNT }).events;
  const apiKey = `sk-admin-sample-${randomBytes(16).toString('hex')}`;
  const server = await startFakeAuditLogServer({ events, apiKey });
  const client = new AuditLogClient({ baseUrl: server.url, apiKey, version, maxRetries: 0 });
  return {
    client,
    async dispose() {
      await client.close().catch(() => undefined);
      await server.close();
    },
  };
}
