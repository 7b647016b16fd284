import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { BUCKET_STEPS, chooseStep, planBuckets, zoneOffset } from '../../../src/core/insights';
import { timeline } from '../../../src/core/insights/timeline';
import { parsed } from '../archive/helpers';

const DAY = BUCKET_STEPS.find((s) => s.unit === 'day')!;
const WEEK = BUCKET_STEPS.find((s) => s.unit === 'week')!;
const HOUR = BUCKET_STEPS.find((s) => s.unit === 'hour' && s.seconds === 3600)!;
const at = (iso: string): number => Date.parse(iso) / 1000;

function event(id: string, seconds: number, type = 'project.created'): object {
  return { id, type, effective_at: seconds, [type]: { id: `proj_${id}`, data: { name: id } } };
}

async function archiveOf(events: object[]): Promise<AuditArchive> {
  const archive = await AuditArchive.open(MEMORY);
  // commitWindow takes events newest first, as listed.
  const sorted = [...events].sort((a, b) => (b as { effective_at: number }).effective_at - (a as { effective_at: number }).effective_at);
  archive.commitWindow(parsed(sorted));
  return archive;
}

describe('insights: timeline buckets', () => {
  it('chooses the bucket size from the range: minutes for an hour, hours for a day or a month, days for a quarter, weeks for years', () => {
    assert.equal(chooseStep(0, 3599).seconds, 60);
    assert.equal(chooseStep(0, 86_399).seconds, 15 * 60);
    assert.equal(chooseStep(0, 7 * 86_400).seconds, 3 * 3600);
    assert.equal(chooseStep(0, 30 * 86_400).seconds, 12 * 3600);
    assert.equal(chooseStep(0, 90 * 86_400).unit, 'day');
    assert.equal(chooseStep(0, 3 * 365 * 86_400).unit, 'week');
  });

  it('an empty range has no buckets, a single second has one', () => {
    assert.deepEqual(planBuckets(100, 99, 'UTC').buckets, []);
    assert.deepEqual(planBuckets(1_000_000, 1_000_000, 'UTC').buckets, [{ start: 1_000_000, end: 1_000_001 }]);
  });

  it('day buckets start at local midnight, so the spring-forward day in Berlin is 23 hours and the fall-back day 25', () => {
    const spring = planBuckets(at('2026-03-28T00:00:00+01:00'), at('2026-03-30T23:59:59+02:00'), 'Europe/Berlin', DAY).buckets;
    assert.deepEqual(spring.map((b) => (b.end - b.start) / 3600), [24, 23, 24]);
    assert.equal(spring[1]!.start, at('2026-03-29T00:00:00+01:00'));
    assert.equal(spring[2]!.start, at('2026-03-30T00:00:00+02:00'));
    const fall = planBuckets(at('2026-10-24T00:00:00+02:00'), at('2026-10-26T23:59:59+01:00'), 'Europe/Berlin', DAY).buckets;
    assert.deepEqual(fall.map((b) => (b.end - b.start) / 3600), [24, 25, 24]);
  });

  it('a zone whose clock skips midnight starts that day when the clock jumps (Santiago, 2026-09-06 00:00 → 01:00)', () => {
    const from = at('2026-09-05T12:00:00-04:00');
    const days = planBuckets(from, at('2026-09-07T12:00:00-03:00'), 'America/Santiago', DAY).buckets;
    assert.equal(days.length, 3);
    assert.equal(days[1]!.start, at('2026-09-06T01:00:00-03:00'));
    assert.equal(days[1]!.end - days[1]!.start, 23 * 3600);
  });

  it('week buckets start on Monday at local midnight across the New York DST change', () => {
    const weeks = planBuckets(at('2026-03-01T00:00:00-05:00'), at('2026-03-20T00:00:00-04:00'), 'America/New_York', WEEK).buckets;
    assert.deepEqual(weeks.slice(1).map((b) => new Date(b.start * 1000).toISOString()), [
      '2026-03-02T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z', // DST began on Sunday 8 March: Monday's midnight is an hour earlier in UTC
      '2026-03-16T04:00:00.000Z',
    ]);
    assert.equal(weeks[0]!.start, at('2026-03-01T00:00:00-05:00'), 'the first bucket is clipped to the range');
    assert.equal(weeks[1]!.end - weeks[1]!.start, 7 * 86_400 - 3600, 'the week of the change is an hour short');
    assert.equal(weeks[2]!.end - weeks[2]!.start, 7 * 86_400);
  });

  it('hour buckets follow the local clock of a half-hour zone (Kolkata, UTC+5:30)', () => {
    assert.equal(zoneOffset(at('2026-01-01T00:00:00Z'), 'Asia/Kolkata'), 5.5 * 3600);
    const hours = planBuckets(at('2026-01-01T10:10:00+05:30'), at('2026-01-01T12:10:00+05:30'), 'Asia/Kolkata', HOUR).buckets;
    assert.equal(hours[1]!.start, at('2026-01-01T11:00:00+05:30'));
  });

  it('SQL puts each event in the bucket the plan gives it, around a DST change and at bucket edges', async () => {
    const zone = 'Europe/Berlin';
    const edges = [
      at('2026-03-28T23:59:59+01:00'), // last second of the 28th
      at('2026-03-29T00:00:00+01:00'), // first of the 29th
      at('2026-03-29T01:59:59+01:00'), // the last second before the jump
      at('2026-03-29T03:00:00+02:00'), // the first after it
      at('2026-03-29T23:59:59+02:00'),
      at('2026-03-30T00:00:00+02:00'),
    ];
    const archive = await archiveOf(edges.map((t, i) => event(`e${i}`, t)));
    try {
      const query = { effectiveAt: { gte: at('2026-02-01T00:00:00+01:00'), lte: at('2026-04-30T00:00:00+02:00') } };
      const t = archive.readSql((sql) => timeline(sql, query, { zone, now: 0 }));
      assert.equal(t.unit, 'day');
      const counts = t.buckets.map((b) => b.count);
      const dayOf = (iso: string): number => t.buckets.findIndex((b) => b.start === at(iso));
      assert.equal(counts[dayOf('2026-03-28T00:00:00+01:00')], 1);
      assert.equal(counts[dayOf('2026-03-29T00:00:00+01:00')], 4);
      assert.equal(counts[dayOf('2026-03-30T00:00:00+02:00')], 1);
      assert.equal(t.total, 6);
    } finally {
      archive.close();
    }
  });

  it('10,000 events in one second make one bucket of 10,000, stacked by family', async () => {
    const second = at('2026-06-01T12:00:00Z');
    const events = Array.from({ length: 10_000 }, (_, i) => event(`s${i}`, second, i % 4 === 0 ? 'api_key.created' : 'project.created'));
    const archive = await archiveOf(events);
    try {
      const t = archive.readSql((sql) => timeline(sql, {}, { zone: 'UTC', now: second }));
      assert.equal(t.from, second);
      assert.equal(t.to, second);
      assert.equal(t.buckets.length, 1);
      assert.deepEqual(t.buckets[0], { start: second, end: second + 1, count: 10_000, byFamily: { project: 7_500, api_key: 2_500 } });
      assert.deepEqual(t.families, ['project', 'api_key']);
    } finally {
      archive.close();
    }
  });

  it('an empty archive has no range and no buckets; a bounded range without events has empty buckets', async () => {
    const archive = await archiveOf([]);
    try {
      const none = archive.readSql((sql) => timeline(sql, {}, { zone: 'UTC', now: 1000 }));
      assert.equal(none.from, null);
      assert.deepEqual(none.buckets, []);
      const bounded = archive.readSql((sql) => timeline(sql, { effectiveAt: { gte: 0, lte: 3599 } }, { zone: 'UTC', now: 1000 }));
      assert.equal(bounded.buckets.length, 60);
      assert.ok(bounded.buckets.every((b) => b.count === 0));
    } finally {
      archive.close();
    }
  });
});

describe('insights: the timeline range', () => {
  it('runs from the filter start to now for "since …", and over the events themselves without bounds', async () => {
    const archive = await archiveOf([event('a', 1000), event('b', 5000)]);
    try {
      const unbounded = archive.readSql((sql) => timeline(sql, {}, { zone: 'UTC', now: 90_000 }));
      assert.deepEqual([unbounded.from, unbounded.to], [1000, 5000]);
      const since = archive.readSql((sql) => timeline(sql, { effectiveAt: { gte: 500 } }, { zone: 'UTC', now: 9000 }));
      assert.deepEqual([since.from, since.to], [500, 9000]);
      const until = archive.readSql((sql) => timeline(sql, { effectiveAt: { lt: 3000 } }, { zone: 'UTC', now: 9000 }));
      assert.deepEqual([until.from, until.to, until.total], [1000, 2999, 1]);
    } finally {
      archive.close();
    }
  });
});

describe('insights: families on the chart', () => {
  it('stacks by the type before its first dot, the ten busiest on their own and the rest as (other)', async () => {
    const events: object[] = [];
    for (let f = 0; f < 12; f++) for (let i = 0; i <= 12 - f; i++) events.push(event(`f${f}-${i}`, 1000 + i, `fam${String(f).padStart(2, '0')}.sub.created`));
    const archive = await archiveOf(events);
    try {
      const t = archive.readSql((sql) => timeline(sql, {}, { zone: 'UTC', now: 2000 }));
      assert.equal(t.families.length, 11);
      assert.equal(t.families[0], 'fam00');
      assert.equal(t.families[10], '(other)');
      assert.equal(t.buckets.reduce((a, b) => a + (b.byFamily['(other)'] ?? 0), 0), 3 + 2, 'fam10 (3 events) and fam11 (2 events)');
    } finally {
      archive.close();
    }
  });
});
