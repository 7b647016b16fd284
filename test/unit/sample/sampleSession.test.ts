import * as assert from 'node:assert/strict';
import type { ParsedEvent } from '../../../src/core/model';
import { startSampleSession, type SampleSession } from '../../../src/store/sampleSession';

const DAY = 86_400;

async function allEvents(session: SampleSession): Promise<ParsedEvent[]> {
  const out: ParsedEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await session.client.listPage({ limit: 100, ...(after ? { after } : {}) });
    out.push(...page.data);
    if (!page.has_more) return out;
    after = page.last_id ?? undefined;
  }
}

describe('sample session: anchored to the present', () => {
  const sessions: SampleSession[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.dispose();
  });

  it('ends minutes before its clock, whatever the day, and covers every one of the last 30 days', async () => {
    for (const nowSeconds of [1_800_000_000, 1_830_000_123]) {
      const session = await startSampleSession('test', { now: () => nowSeconds * 1000, trickleSeconds: 0 });
      sessions.push(session);
      const events = await allEvents(session);
      const newest = Math.max(...events.map((e) => e.event.effective_at));
      assert.ok(nowSeconds - newest <= 5 * 60, `newest event ${nowSeconds - newest} s before the clock`);
      assert.ok(events.some((e) => e.event.effective_at > nowSeconds - 3600), 'something happened in the last hour');
      for (let d = 0; d < 30; d++) {
        const hits = events.filter((e) => e.event.effective_at <= nowSeconds - d * DAY && e.event.effective_at > nowSeconds - (d + 1) * DAY);
        assert.ok(hits.length > 0, `no event ${d} to ${d + 1} days ago`);
      }
    }
  });

  it('is the same data for the same clock, so a test that pins the clock knows every event', async () => {
    const a = await startSampleSession('test', { now: () => 1_800_000_000_000, trickleSeconds: 0 });
    const b = await startSampleSession('test', { now: () => 1_800_000_000_000, trickleSeconds: 0 });
    sessions.push(a, b);
    const [ea, eb] = [await allEvents(a), await allEvents(b)];
    assert.deepEqual(ea.map((e) => e.raw), eb.map((e) => e.raw));
  });

  it('trickles new sign-ins while it runs, from people and places the sample already has', async () => {
    let now = 1_800_000_000_000;
    const session = await startSampleSession('test', { now: () => now, trickleSeconds: 0.05 });
    sessions.push(session);
    const before = await allEvents(session);
    const places = new Set(before.map((e) => JSON.stringify([e.event.actor?.session?.user?.email, e.event.actor?.session?.ip_address])));
    now += 120_000;
    await new Promise((r) => setTimeout(r, 400));
    const after = await allEvents(session);
    const added = after.filter((e) => !before.some((b) => b.event.id === e.event.id));
    assert.ok(added.length >= 2, `only ${added.length} new events`);
    for (const e of added) {
      assert.match(e.event.type, /^(login|logout)\.succeeded$/);
      assert.equal(e.event.effective_at, 1_800_000_120);
      assert.ok(places.has(JSON.stringify([e.event.actor?.session?.user?.email, e.event.actor?.session?.ip_address])), 'a known person at a known address');
    }
    assert.equal(new Set(after.map((e) => e.event.id)).size, after.length, 'ids stay unique');
  });
});
