import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY, syncArchive } from '../../../src/core/archive';
import { checkArchiveOverlap } from '../../../src/core/archive/overlap';
import { AuditLogClient } from '../../../src/core/api';
import type { AuditEvent } from '../../../src/core/model';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';

const KEY = 'sk-admin-overlap-0123456789';

describe('archive overlap with a key\'s audit log', () => {
  const servers: FakeAuditLogServer[] = [];
  const clients: AuditLogClient[] = [];
  const archives: AuditArchive[] = [];

  async function orgClient(seed: number, count: number): Promise<{ client: AuditLogClient; events: AuditEvent[]; server: FakeAuditLogServer }> {
    const events = generateSampleOrganization({ seed, eventCount: count }).events as unknown as AuditEvent[];
    const server = await startFakeAuditLogServer({ events, apiKey: KEY });
    const client = new AuditLogClient({ baseUrl: server.url, apiKey: KEY, version: 'test', maxRetries: 0 });
    servers.push(server);
    clients.push(client);
    return { client, events, server };
  }
  async function archive(): Promise<AuditArchive> {
    const a = await AuditArchive.open(MEMORY);
    archives.push(a);
    return a;
  }

  after(async () => {
    for (const a of archives) a.close();
    for (const c of clients) await c.close();
    for (const s of servers) await s.close();
  });

  it('an empty archive has nothing to compare, and asks nothing', async () => {
    const { client, server } = await orgClient(1, 50);
    assert.equal(await checkArchiveOverlap(await archive(), client), 'empty-archive');
    assert.equal(server.requests.length, 0);
  });

  it('the same organization\'s log matches the archive synced from it, also after new events, in one request', async () => {
    const org = await orgClient(2, 300);
    const a = await archive();
    await syncArchive(a, org.client);
    const newer = { ...org.events[0]!, id: 'audit_log-newer', effective_at: org.events[0]!.effective_at + 100 };
    org.server.setEvents([newer, ...org.events]);
    const before = org.server.requests.length;
    assert.equal(await checkArchiveOverlap(a, org.client), 'matches');
    assert.equal(org.server.requests.length - before, 1);
  });

  it('another organization\'s log does not match a synced archive', async () => {
    const mine = await orgClient(3, 300);
    const other = await orgClient(4, 300);
    const a = await archive();
    await syncArchive(a, mine.client);
    assert.equal(await checkArchiveOverlap(a, other.client), 'mismatch');
  });

  it('an archive that holds only loaded pages (no synced coverage) cannot tell, and says so', async () => {
    const mine = await orgClient(5, 300);
    const other = await orgClient(6, 300);
    const a = await archive();
    const page = await mine.client.listPage({ limit: 20 });
    a.commitWindow(page.data);
    assert.equal(await checkArchiveOverlap(a, other.client), 'unknown');
  });
});
