import * as assert from 'node:assert/strict';
import { AuditArchive, applyRetention, syncArchive, type SyncProgress } from '../../../src/core/archive';
import { AuditLogClient, CancelledError, type AuditLogQuery } from '../../../src/core/api';
import type { PageLister } from '../../../src/core/fetch';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';
import { sampleObjects } from './helpers';

const KEY = 'sk-admin-archive-sync-0123456789';

type Plain = { id: string; type: string; effective_at: number; [k: string]: unknown };

function client(server: FakeAuditLogServer): AuditLogClient {
  return new AuditLogClient({ baseUrl: server.url, apiKey: KEY, retryBaseDelayMs: 1, maxRetryDelayMs: 10 });
}

/** Every covered interval holds exactly the server's events there, in its order. */
function assertCoverageHonest(archive: AuditArchive, server: FakeAuditLogServer, all: readonly Plain[]): void {
  const at = new Map(all.map((e) => [e.id, e.effective_at]));
  for (const r of archive.coverage()) {
    const expected = server.eventIds().filter((id) => at.get(id)! >= r.gte && at.get(id)! < r.lt);
    const got = archive.allIds().filter((id) => at.get(id)! >= r.gte && at.get(id)! < r.lt);
    assert.deepEqual(got, expected, `coverage [${r.gte}, ${r.lt}) claims events it does not hold`);
  }
}

describe('archive sync against the loopback API', function () {
  this.timeout(120_000);
  let server: FakeAuditLogServer;
  let api: AuditLogClient;
  let archive: AuditArchive;
  let events: Plain[];

  beforeEach(async () => {
    events = sampleObjects(3000) as Plain[];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    api = client(server);
    archive = await AuditArchive.open(':memory:');
  });
  afterEach(async () => {
    archive.close();
    await api.close();
    await server.close();
  });

  it('first sync reaches back to the start of the log, newest first, in the API order', async () => {
    const progress: SyncProgress[] = [];
    const result = await syncArchive(archive, api, { onProgress: (p) => progress.push(p), commitEvery: 300 });
    assert.deepEqual(archive.allIds(), server.eventIds());
    const newest = Math.max(...events.map((e) => e.effective_at));
    const oldest = Math.min(...events.map((e) => e.effective_at));
    assert.deepEqual({ ...result, requests: 0 }, { added: 3000, total: 3000, oldest, newest, conflicts: 0, requests: 0 });
    assert.deepEqual(archive.coverage(), [{ gte: 0, lt: newest + 1 }]);
    // The view can show the newest first: coverage grew downwards from the top, commit by commit.
    assert.ok(progress.length >= 5);
    const covered = progress.map((p) => p.oldestCovered!);
    assert.deepEqual([...covered].sort((a, b) => b - a), covered);
    assert.equal(progress[0]!.newestCovered, newest);
    assert.equal(progress.at(-1)!.total, 3000);
  });

  it('an unchanged log costs exactly one request; new events cost little and land in order', async () => {
    await syncArchive(archive, api);
    server.reset();
    const again = await syncArchive(archive, api);
    assert.equal(server.requestCount, 1);
    assert.equal(again.added, 0);
    assert.match(server.requests[0]!.rawQuery, /effective_at\[gte\]=\d+/);

    const newest = Math.max(...events.map((e) => e.effective_at));
    const more: Plain[] = [
      { id: 'audit_log-zz-same-second', type: 'api_key.created', effective_at: newest },
      ...Array.from({ length: 250 }, (_, i) => ({ id: `audit_log-new-${String(i).padStart(4, '0')}`, type: 'project.updated', effective_at: newest + 1 + Math.floor(i / 3) })),
    ];
    server.setEvents([...events, ...more]);
    server.reset();
    const inc = await syncArchive(archive, api);
    assert.equal(inc.added, 251);
    // The top page, then the parallel fetcher's first windows (twice its concurrency) over the new range.
    assert.ok(server.requestCount <= 1 + 2 * 6 + 4, `${server.requestCount} requests for 251 new events`);
    assert.deepEqual(archive.allIds(), server.eventIds());
    assert.equal(archive.coverage().length, 1);
  });

  it('survives a 503 on every third request with the exact id set', async () => {
    server.setFaults({ every: 3, fault: { kind: '503' } });
    const result = await syncArchive(archive, api, { concurrency: 4 });
    assert.equal(result.total, 3000);
    assert.deepEqual(archive.allIds(), server.eventIds());
  });

  it('a cancel midway keeps what was committed, claims only complete ranges, and the next sync finishes without re-fetching them', async () => {
    // 900 events in one second just below the top: a second that spans several commits.
    const newest = Math.max(...events.map((e) => e.effective_at));
    const dense = Array.from({ length: 900 }, (_, i) => ({ id: `audit_log-dense-${String(i).padStart(4, '0')}`, type: 'api_key.created', effective_at: newest - 50 }));
    events = [...events, ...dense];
    server.setEvents(events);
    server.setLatency(2);
    const controller = new AbortController();
    let commits = 0;
    await assert.rejects(
      syncArchive(archive, api, {
        signal: controller.signal,
        commitEvery: 200,
        concurrency: 2,
        onProgress: () => {
          if (++commits === 4) controller.abort();
        },
      }),
      (e: unknown) => e instanceof CancelledError,
    );
    const kept = archive.count();
    assert.ok(kept >= 600 && kept < 3900, `${kept} events kept`);
    assertCoverageHonest(archive, server, events);
    const coveredBefore = archive.coverage();
    assert.equal(coveredBefore.length, 1);

    server.reset();
    const resumed = await syncArchive(archive, api);
    assert.deepEqual(archive.allIds(), server.eventIds());
    assert.equal(resumed.added, 3900 - kept);
    // Apart from the one re-read of the newest second, no request reaches into the covered range.
    const low = coveredBefore[0]!.gte;
    for (const r of server.requests.slice(1)) {
      const gte = Number(r.query['effective_at[gte]']?.[0] ?? -Infinity);
      assert.ok(gte < low, `request ${r.rawQuery} re-fetches the covered range`);
      const lt = Number(r.query['effective_at[lt]']?.[0] ?? Infinity);
      assert.ok(lt <= low + 1, `request ${r.rawQuery} reaches above the resumed gap`);
    }
  });

  it('stores an event the API returns twice once', async () => {
    const doubling: PageLister = {
      async listPage(query: AuditLogQuery, options) {
        const page = await api.listPage(query, options);
        return { ...page, data: page.data.flatMap((e) => [e, e]) };
      },
    };
    const result = await syncArchive(archive, doubling);
    assert.equal(result.total, 3000);
    assert.deepEqual(archive.allIds(), server.eventIds());
  });

  it('keeps both texts when a known id comes back changed', async () => {
    await syncArchive(archive, api);
    const newest = [...events].sort((a, b) => b.effective_at - a.effective_at || (a.id < b.id ? 1 : -1))[0]!;
    const changed = { ...newest, extra_field: 'the API now sends this too' };
    server.setEvents(events.map((e) => (e.id === newest.id ? changed : e)));
    const result = await syncArchive(archive, api);
    assert.equal(result.conflicts, 1);
    assert.equal(archive.getEvent(newest.id)!.raw, JSON.stringify(newest));
    assert.deepEqual(archive.variants(newest.id), [JSON.stringify(changed)]);
    assert.equal(archive.count(), 3000);
  });

  it('does not reach back beyond `since`, and a later sync without it fills in the older part', async () => {
    const newest = Math.max(...events.map((e) => e.effective_at));
    const since = newest - 7 * 86_400;
    const first = await syncArchive(archive, api, { since });
    assert.ok(first.oldest! >= since);
    assert.equal(first.total, events.filter((e) => e.effective_at >= since).length);
    assert.deepEqual(archive.coverage(), [{ gte: since, lt: newest + 1 }]);
    await syncArchive(archive, api);
    assert.deepEqual(archive.allIds(), server.eventIds());
  });

  it('applies retention in days', async () => {
    await syncArchive(archive, api);
    const newest = Math.max(...events.map((e) => e.effective_at));
    const { deleted, cutoff } = applyRetention(archive, 10, newest);
    assert.equal(cutoff, newest - 10 * 86_400);
    assert.equal(deleted, events.filter((e) => e.effective_at < cutoff!).length);
    assert.equal(archive.stats().oldest! >= cutoff!, true);
    assert.deepEqual(applyRetention(archive, undefined), { deleted: 0, cutoff: null });
  });
});
