/**
 * The Insights rollups (schema v6) against the per-event GROUP BYs they stand in for: the same timeline and
 * facets, to the event, over many ranges (aligned and unaligned edges, DST days, empty ranges, one busy second),
 * filters and zones, after inserts, re-sent and changed events, deletions, and while an upgraded archive is
 * still being counted. `rollups: false` is the per-event answer the panel gave before the rollups.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_BUILT, AuditArchive, MEMORY, MIGRATIONS, rollupsBuiltFrom } from '../../../src/core/archive';
import type { AuditLogQuery } from '../../../src/core/api/query';
import type { ResolvedStep } from '../../../src/core/archive/repository';
import { ArchiveInsights, resolveScope } from '../../../src/core/insights';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';
import { parsed, tempDir } from '../archive/helpers';

const at = (iso: string): number => Date.parse(iso) / 1000;
const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/St_Johns', 'Asia/Kolkata'];
/** Around both of Berlin's 2026 DST changes (29 March, 25 October). */
const SPRING_END = at('2026-04-04T00:00:00Z');
const FALL_END = at('2026-11-02T00:00:00Z');
/** One second with 2,000 events, a second before a 15-minute boundary. */
const BUSY = at('2026-10-25T00:59:59Z');

function sampleObjects(): object[] {
  const spring = generateSampleOrganization({ seed: 3, eventCount: 4_000, endTime: SPRING_END, spanDays: 12 }).events;
  const fall = generateSampleOrganization({ seed: 4, eventCount: 6_000, endTime: FALL_END, spanDays: 16 }).events;
  const busy = Array.from({ length: 2_000 }, (_, i) => ({
    id: `audit_log-busy-${i}`,
    type: i % 3 === 0 ? 'api_key.created' : 'login.succeeded',
    effective_at: BUSY,
    actor: { type: 'session', session: { user: { id: `user_busy${i % 7}`, email: `busy${i % 7}@example.com` }, ip_address: `10.9.0.${i % 5}`, user_agent: 'busy-agent' } },
    [i % 3 === 0 ? 'api_key.created' : 'login.succeeded']: {},
  }));
  return [...spring, ...fall, ...busy];
}

/** A deterministic pseudo-random sequence (tests must not vary run to run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Case {
  readonly query: AuditLogQuery;
  readonly zone: string;
  readonly path?: readonly ResolvedStep[];
  readonly label: string;
}

/** Ranges with edges on and off 15-minute, hour and day boundaries, in and outside the events, and filters on them. */
function cases(lo: number, hi: number, seed: number): Case[] {
  const random = rng(seed);
  const out: Case[] = [
    { query: {}, zone: 'UTC', label: 'everything, UTC' },
    { query: {}, zone: 'Europe/Berlin', label: 'everything, Berlin' },
    { query: { effectiveAt: { gte: BUSY, lte: BUSY } }, zone: 'UTC', label: 'the busy second' },
    { query: { effectiveAt: { gte: BUSY - 1, lt: BUSY + 2 } }, zone: 'Asia/Kathmandu', label: 'around the busy second' },
    { query: { effectiveAt: { gte: at('2030-01-01T00:00:00Z'), lte: at('2030-01-02T00:00:00Z') } }, zone: 'UTC', label: 'a range without events' },
    { query: { effectiveAt: { gte: hi + 10, lte: hi } }, zone: 'UTC', label: 'an empty range (end before start)' },
    { query: { effectiveAt: { gte: at('2026-10-24T22:00:00Z'), lt: at('2026-10-26T23:00:00Z') } }, zone: 'Europe/Berlin', label: 'the fall DST days, aligned' },
    { query: { effectiveAt: { gte: at('2026-03-28T13:07:11Z'), lte: at('2026-03-30T02:59:58Z') } }, zone: 'Europe/Berlin', label: 'the spring DST days, unaligned' },
    { query: { effectiveAt: { gt: at('2026-10-20T00:00:00Z') } }, zone: 'America/St_Johns', label: 'open end' },
    { query: { effectiveAt: { lt: at('2026-10-20T00:14:59Z') } }, zone: 'Asia/Kolkata', label: 'open start' },
    { query: { eventTypes: ['login.succeeded', 'api_key.created'] }, zone: 'Europe/Berlin', label: 'a type filter' },
    { query: { tenantOnly: true, effectiveAt: { gte: lo + 12_345, lte: hi - 6_789 } }, zone: 'UTC', label: 'tenant types, a range' },
    { query: { actorEmails: ['busy3@example.com'] }, zone: 'UTC', label: 'an actor filter (counted per event)' },
  ];
  for (const day of ['2026-10-25', '2026-03-29', '2026-10-26']) {
    const scope = resolveScope([{ kind: 'day', key: day }], 'Europe/Berlin')!;
    out.push({ query: {}, zone: 'Europe/Berlin', path: scope, label: `the tree's day ${day} in Berlin` });
  }
  out.push({ query: {}, zone: 'UTC', path: [{ kind: 'type', key: 'login.succeeded' }], label: "the tree's type group" });
  const grains = [1, 60, 900, 3600, 86_400];
  for (let i = 0; i < 24; i++) {
    const snap = (t: number): number => {
      const g = grains[Math.floor(random() * grains.length)]!;
      return Math.floor(t / g) * g;
    };
    const a = snap(lo - 86_400 + random() * (hi - lo + 2 * 86_400));
    const b = snap(a + random() ** 2 * (hi - lo) * 0.6);
    const zone = ZONES[i % ZONES.length]!;
    const effectiveAt = i % 2 === 0 ? { gte: a, lte: b } : { gt: a, lt: b };
    out.push({ query: i % 6 === 5 ? { effectiveAt, eventTypes: ['login.succeeded'] } : { effectiveAt }, zone, label: `random range ${i} ${JSON.stringify(effectiveAt)} ${zone}` });
  }
  return out;
}

/** Every case gives the same snapshot from the rollups as from the events (a top of 10, with ties, and of 100). */
function assertSame(archive: AuditArchive, list: readonly Case[]): void {
  const insights = new ArchiveInsights(archive);
  const now = archive.stats().newest ?? 0;
  for (const c of list) {
    for (const top of [10, 100]) {
      const options = { zone: c.zone, now, top, ...(c.path ? { path: c.path } : {}) };
      const fromRollups = insights.snapshot(c.query, options);
      const perEvent = insights.snapshot(c.query, { ...options, rollups: false });
      assert.deepEqual(fromRollups, perEvent, `${c.label} (top ${top})`);
    }
  }
}

/** The rollups hold every event once, in both grains and every dimension (IP: the events that have one). */
function assertComplete(archive: AuditArchive): void {
  archive.readSql((sql) => {
    assert.equal(rollupsBuiltFrom(sql), ALL_BUILT);
    const total = Number(sql.get('SELECT count(*) AS n FROM events')!.n);
    const withIp = Number(sql.get('SELECT count(*) AS n FROM events WHERE ip IS NOT NULL')!.n);
    const rows = sql.all('SELECT dim, grain, sum(n) AS n FROM insights_counts GROUP BY dim, grain');
    assert.equal(rows.length, 10, 'five dimensions in two grains');
    for (const row of rows) {
      assert.equal(Number(row.n), row.dim === 3 ? withIp : total, `dim ${String(row.dim)} grain ${String(row.grain)}`);
    }
  });
}

/** New events in slots that have some, events re-sent as they were and with a changed text. */
function laterWindow(objects: readonly object[], random: () => number): object[] {
  const fresh = Array.from({ length: 300 }, (_, i) => {
    const base = objects[Math.floor(random() * objects.length)] as { effective_at: number };
    return { ...base, id: `audit_log-later-${i}`, effective_at: base.effective_at + Math.floor(random() * 1_000) - 500 };
  });
  const resent = objects.slice(100, 150);
  const changed = objects.slice(200, 220).map((o) => ({ ...o, changed_by_test: true }));
  return [...fresh, ...resent, ...changed].sort((a, b) => (b as { effective_at: number }).effective_at - (a as { effective_at: number }).effective_at);
}

describe('insights: rollups', function () {
  this.timeout(120_000);
  const objects = sampleObjects();
  const times = objects.map((o) => (o as { effective_at: number }).effective_at);
  const lo = Math.min(...times);
  const hi = Math.max(...times);

  it('answer as the per-event GROUP BYs do, before and after inserts, re-sent events and deletions', async () => {
    const archive = await AuditArchive.open(MEMORY);
    try {
      for (let i = 0; i < objects.length; i += 2_000) archive.commitWindow(parsed(objects.slice(i, i + 2_000)));
      assertComplete(archive);
      assertSame(archive, cases(lo, hi, 1));
      const random = rng(2);
      const outcome = archive.commitWindow(parsed(laterWindow(objects, random)));
      assert.equal(outcome.added, 300);
      assert.ok(outcome.conflicts.length > 0, 'changed texts came back');
      assertComplete(archive);
      assertSame(archive, cases(lo, hi, 3));
      // Deletions by age: mid-slot, then on a day boundary, then past the busy second.
      for (const cut of [lo + 86_400 * 2 + 437, Math.floor((lo + 86_400 * 5) / 86_400) * 86_400, BUSY + 1]) {
        assert.ok(archive.deleteOlderThan(cut) > 0);
        assertComplete(archive);
        assertSame(archive, cases(cut, hi, cut));
      }
    } finally {
      archive.close();
    }
  });

  it('an archive upgraded to v6 answers exactly while its rollups are counted, step by step, with syncs in between', async () => {
    const dir = tempDir('oal-rollups-');
    const file = path.join(dir, 'old.sqlite');
    try {
      const old = await AuditArchive.open(file, { migrations: MIGRATIONS.slice(0, 5) });
      for (let i = 0; i < objects.length; i += 2_000) old.commitWindow(parsed(objects.slice(i, i + 2_000)));
      old.close();
      const archive = await AuditArchive.open(file);
      try {
        const insights = new ArchiveInsights(archive);
        assert.equal(insights.rollupsBuilt(), false);
        assertSame(archive, cases(lo, hi, 4).slice(0, 12));
        const first = archive.buildRollups();
        assert.equal(first.done, false);
        assert.ok(first.builtFrom > lo && first.builtFrom <= hi, 'one step counts part of the archive');
        // A sync meanwhile: events on both sides of where the counting has reached.
        archive.commitWindow(parsed(laterWindow(objects, rng(5))));
        assertSame(archive, cases(lo, hi, 6).slice(0, 12));
        const fractions: number[] = [];
        await insights.buildRollups((f) => fractions.push(f));
        assert.ok(fractions.length >= 2 && fractions.at(-1) === 1, `progress ${JSON.stringify(fractions)}`);
        assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!), 'progress only grows');
        assertComplete(archive);
        assertSame(archive, cases(lo, hi, 7));
      } finally {
        archive.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
