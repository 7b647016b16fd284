import * as assert from 'node:assert/strict';
import { AuditArchive, StreamOrder, type ArchiveGroup } from '../../../src/core/archive';
import { AuditLogClient, type AuditLogQuery } from '../../../src/core/api';
import { groupEvents, localDay, type EventGroup } from '../../../src/core/analysis/grouping';
import { fetchAllEvents } from '../../../src/core/fetch';
import { resourceId, type ParsedEvent } from '../../../src/core/model';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';
import { ids, parsed, sampleEvents, sampleObjects } from './helpers';

const KEY = 'sk-admin-archive-queries-0123456789';

/** `groupEvents`'s tree without the event arrays, counts instead. */
function shape(groups: readonly EventGroup[]): ArchiveGroup[] {
  return groups.map(({ events, children, ...rest }) => ({ ...rest, count: events.length, ...(children ? { children: shape(children) } : {}) }));
}

describe('archive: groups, events and search read like the explorer', function () {
  this.timeout(60_000);
  let events: ParsedEvent[];
  let archive: AuditArchive;

  before(async () => {
    events = sampleEvents(6000);
    archive = await AuditArchive.open(':memory:');
    // Committed in shuffled windows: the order must come from the listing, not from insertion.
    const order = new StreamOrder();
    const ords = order.assign(events);
    const chunks: [number, number][] = [];
    for (let i = 0; i < events.length; i += 700) chunks.push([i, Math.min(events.length, i + 700)]);
    for (const [from, to] of [...chunks].reverse()) archive.commitWindow(events.slice(from, to), undefined, { ords: ords.slice(from, to) });
  });
  after(() => archive.close());

  for (const grouping of ['typeProject', 'projectType', 'actor', 'day'] as const) {
    it(`${grouping}: the same ids, keys, labels, counts and order as groupEvents`, () => {
      assert.deepEqual(archive.groups({}, grouping), shape(groupEvents(events, grouping)));
    });
  }

  it('day grouping honours a local dayOf (a zone 5:45 ahead of UTC)', () => {
    const nepal = (s: number): string => new Date((s + 5 * 3600 + 45 * 60) * 1000).toISOString().slice(0, 10);
    assert.deepEqual(archive.groups({}, 'day', { dayOf: nepal }), shape(groupEvents(events, 'day', { dayOf: nepal })));
    assert.deepEqual(archive.groups({}, 'day', { dayOf: localDay }), shape(groupEvents(events, 'day', { dayOf: localDay })));
    const day = archive.groups({}, 'day', { dayOf: nepal })[3]!;
    const expected = groupEvents(events, 'day', { dayOf: nepal }).find((g) => g.key === day.key)!;
    assert.deepEqual(ids(archive.events({}, { group: [{ kind: 'day', key: day.key }], dayOf: nepal, limit: 100_000 })), ids(expected.events));
  });

  it('pages a group newest first, with exactly the events groupEvents puts in it', () => {
    const tree = groupEvents(events, 'typeProject');
    const type = [...tree].sort((a, b) => b.events.length - a.events.length)[0]!;
    const project = type.children![0]!;
    const path = [
      { kind: 'type' as const, key: type.key },
      { kind: 'project' as const, key: project.key },
    ];
    assert.deepEqual(ids(archive.events({}, { group: path, limit: 100_000 })), ids(project.events));
    assert.equal(archive.count({}, { group: path }), project.events.length);
    const firstPage = archive.events({}, { group: path.slice(0, 1), limit: 50 });
    const secondPage = archive.events({}, { group: path.slice(0, 1), limit: 50, offset: 50 });
    assert.deepEqual([...ids(firstPage), ...ids(secondPage)], ids(type.events).slice(0, 100));
    const noProject = groupEvents(events, 'projectType').find((g) => g.label === 'No project')!;
    assert.deepEqual(ids(archive.events({}, { group: [{ kind: 'project', key: noProject.key }], limit: 100_000 })), ids(noProject.events));
    const actor = groupEvents(events, 'actor')[2]!;
    assert.deepEqual(ids(archive.events({}, { group: [{ kind: 'actor', key: actor.key }], limit: 100_000 })), ids(actor.events));
  });

  it('keeps the API order over the whole archive', () => {
    assert.deepEqual(archive.allIds(), ids(events));
  });

  it('applies each filter exactly as the API (the loopback server) does', async () => {
    let server: FakeAuditLogServer | undefined;
    let client: AuditLogClient | undefined;
    try {
      server = await startFakeAuditLogServer({ events: sampleObjects(6000), apiKey: KEY });
      client = new AuditLogClient({ baseUrl: server.url, apiKey: KEY });
      const e = events.map((p) => p.event);
      const someUser = e.find((x) => x.actor?.type === 'session')!.actor!.session!.user!;
      const someKey = e.find((x) => x.actor?.api_key?.id)!.actor!.api_key!;
      const withResource = e.filter((x) => resourceId(x) !== undefined);
      const newest = e[0]!.effective_at;
      const queries: AuditLogQuery[] = [
        { eventTypes: ['api_key.created', 'project.updated'] },
        { projectIds: [e.find((x) => x.project?.id)!.project!.id!] },
        { actorIds: [someUser.id!] },
        { actorIds: [someKey.id!] },
        ...(someKey.service_account?.id ? [{ actorIds: [someKey.service_account.id] }] : []),
        { actorEmails: [someUser.email!] },
        { resourceIds: [resourceId(withResource[5]!)!, resourceId(withResource[50]!)!] },
        { effectiveAt: { gte: newest - 86_400 * 3, lt: newest - 86_400 } },
        { effectiveAt: { gt: newest - 86_400 * 20 }, eventTypes: ['api_key.created', 'project.updated'], actorEmails: [someUser.email!] },
        { tenantOnly: true },
      ];
      for (const query of queries) {
        const fromApi = ids(await fetchAllEvents(client, { ...query, limit: 100 }));
        assert.ok(fromApi.length > 0, `the query ${JSON.stringify(query)} should match something`);
        assert.deepEqual(ids(archive.events(query, { limit: 100_000 })), fromApi, JSON.stringify(query));
        assert.equal(archive.count(query), fromApi.length);
      }
      const filtered = { eventTypes: ['api_key.created', 'api_key.deleted'] };
      assert.deepEqual(archive.groups(filtered, 'projectType'), shape(groupEvents(await fetchAllEvents(client, filtered), 'projectType')));
    } finally {
      await client?.close();
      await server?.close();
    }
  });

  it('finds events by the words of their strings, newest first, within the filters', () => {
    const target = events.find((p) => p.event.actor?.session?.user?.email)!;
    const email = target.event.actor!.session!.user!.email!;
    const found = archive.search(email, {}, { limit: 100_000 });
    const expected = events.filter((p) => p.raw.includes(JSON.stringify(email)));
    assert.ok(found.length >= expected.length && found.length > 0);
    for (const p of expected) assert.ok(ids(found).includes(p.event.id));
    assert.deepEqual(ids(found), ids(events).filter((id) => ids(found).includes(id)), 'newest first');
    assert.equal(archive.searchCount(email), found.length);
    const typed = archive.search(email, { eventTypes: [target.event.type] }, { limit: 100_000 });
    assert.ok(typed.every((p) => p.event.type === target.event.type) && typed.length > 0);
    assert.deepEqual(archive.search('zzzznothing'), []);
    const prefix = email.split('@')[0]!.slice(0, 3);
    assert.ok(archive.search(`${prefix}*`).length > 0);
  });

  it('gives a resource its history oldest first, up to a time', () => {
    const counts = new Map<string, number>();
    for (const p of events) {
      const r = resourceId(p.event);
      if (r) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const expected = events.filter((p) => resourceId(p.event) === busiest).reverse();
    assert.deepEqual(ids(archive.resourceHistory(busiest)), ids(expected));
    const upTo = expected[1]!.event.effective_at;
    assert.deepEqual(ids(archive.resourceHistory(busiest, { upTo })), ids(expected.filter((p) => p.event.effective_at <= upTo)));
  });

  it('survives hostile strings as plain bound values', async () => {
    const a = await AuditArchive.open(':memory:');
    const evil = `x'); DROP TABLE events; --`;
    a.commitWindow(parsed([{ id: 'e1', type: evil, effective_at: 10, project: { id: evil, name: evil } }]));
    assert.equal(a.count({ eventTypes: [evil], projectIds: [evil] }), 1);
    assert.equal(a.groups({}, 'typeProject')[0]!.label, evil);
    assert.equal(a.search(evil).length, 1);
    a.close();
  });
});
