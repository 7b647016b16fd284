import * as assert from 'node:assert/strict';
import type { AuditArchive } from '../../../src/core/archive';
import { compileQuery, withSearch } from '../../../src/core/query';
import { craftedArchive, NOW } from './fixtures';

const apiOf = (q: string) => {
  const c = compileQuery(q, { nowSeconds: NOW });
  if (!c.ok) throw new Error(c.error.message);
  return c.query.api;
};

describe('what of a query the API can filter', () => {
  it('pushes a top-level AND of exact terms and names the rest local-only', () => {
    const api = apiOf('type:api_key.created actor:ada@acme.example project:proj_atlas resource:key_1 last:7d ip:1.2.3.4 "bad password"');
    assert.deepEqual(api.query, {
      effectiveAt: { gte: NOW - 7 * 86_400 },
      eventTypes: ['api_key.created'],
      actorEmails: ['ada@acme.example'],
      projectIds: ['proj_atlas'],
      resourceIds: ['key_1'],
    });
    assert.deepEqual(api.localOnly, ['ip:1.2.3.4', '"bad password"']);
  });

  it('keeps wildcards, names, OR, NOT and repeated parameters local', () => {
    assert.deepEqual(apiOf('type:api_key.*').query, {});
    assert.deepEqual(apiOf('project:"Atlas Core" actor:Ada').localOnly, ['project:"Atlas Core"', 'actor:Ada']);
    assert.deepEqual(apiOf('type:a OR type:b').query, {});
    assert.deepEqual(apiOf('-type:a').localOnly, ['-type:a']);
    assert.deepEqual(apiOf('type:a type:b').localOnly, ['type:a', 'type:b']);
    assert.deepEqual(apiOf('actor:user-ada tenant:true').query, { actorIds: ['user-ada'], tenantOnly: true });
  });

  it('intersects time terms with each other and with the filters', () => {
    assert.deepEqual(apiOf('after:2026-11-01 before:2026-11-10 last:30d').query.effectiveAt, { gte: 1_793_491_200, lt: 1_794_268_800 });
    assert.deepEqual(withSearch({ effectiveAt: { gte: 100, lte: 1_793_500_000 } }, 'after:2026-11-01', NOW).effectiveAt, { gte: 1_793_491_200, lt: 1_793_500_001 });
  });

  it("a filter's own list wins over the search's; an invalid search matches nothing", () => {
    assert.deepEqual(withSearch({ eventTypes: ['x'] }, 'type:y', NOW).eventTypes, ['x']);
    assert.deepEqual(withSearch({}, 'acter:x', NOW).clause, { sql: '0', params: [] });
    assert.deepEqual(withSearch({ eventTypes: ['x'] }, '  ', NOW), { eventTypes: ['x'] });
  });

  describe('over the archive', () => {
    let archive: AuditArchive;
    before(async () => (archive = await craftedArchive()));
    after(() => archive.close());

    it('a pushed email still matches case-insensitively in the archive (the clause applies it, not the exact list)', () => {
      const q = withSearch({}, 'actor:eve@evil.example', NOW);
      assert.deepEqual(q.actorEmails, ['eve@evil.example']);
      assert.equal(archive.count(q), 1);
    });

    it('the search ANDs with the filters', () => {
      assert.equal(archive.count(withSearch({ eventTypes: ['api_key.created'] }, 'actor:ada@acme.example', NOW)), 1);
      assert.equal(archive.count(withSearch({ eventTypes: ['api_key.deleted'] }, 'actor:ada@acme.example', NOW)), 0);
    });

    it('a word alone is counted by the FTS5 index alone; with other filters by the join; both agree with the events', () => {
      const alone = withSearch({}, 'ada', NOW);
      assert.equal(alone.clause?.ftsMatch, '"ada"');
      assert.equal(withSearch({}, '"ada"', NOW).clause?.ftsMatch, undefined, 'a phrase also checks the wire text');
      assert.equal(withSearch({}, 'ada type:x', NOW).clause?.ftsMatch, undefined);
      assert.equal(archive.count(alone), archive.events(alone, { limit: 100 }).length);
      assert.equal(archive.count(alone), 2);
      const withType = withSearch({ eventTypes: ['api_key.created'] }, 'ada', NOW);
      assert.equal(archive.count(withType), 1, 'the index-only count is not used when other filters apply');
    });

    it('the time-order form of the predicate finds the same events', () => {
      const q = withSearch({}, 'type:api_key.* OR ip:198.51.* OR password', NOW);
      assert.match(q.clause!.timeOrderSql!, /\+e\.type_ref IN/);
      const plain = { ...q, clause: { ...q.clause!, timeOrderSql: undefined } };
      assert.deepEqual(archive.events(q, { limit: 100 }).map((e) => e.event.id), archive.events(plain, { limit: 100 }).map((e) => e.event.id));
    });

    it('groups and counts see the search', () => {
      const groups = archive.groups(withSearch({}, 'type:api_key.*', NOW), 'typeProject');
      assert.deepEqual(groups.map((g) => [g.key, g.count]).sort(), [['api_key.created', 1], ['api_key.deleted', 1]]);
    });
  });
});
