import * as assert from 'node:assert/strict';
import { filtersToQuery } from '../../../src/core/analysis/filters';
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { ArchiveInsights, filtersForFacet, filtersForFamily, filtersForRange, filtersHaveQuery, filtersWithoutTime } from '../../../src/core/insights';
import { withSearch } from '../../../src/core/query';
import { parsed } from '../archive/helpers';

function login(id: string, t: number, email: string, ip: string, country: string, agent: string): object {
  return {
    id,
    type: 'login.succeeded',
    effective_at: t,
    actor: { type: 'session', session: { user: { id: `user_${id}`, email }, ip_address: ip, user_agent: agent, ip_address_details: { country } } },
    'login.succeeded': {},
  };
}

describe('insights: what a click filters', () => {
  it('a brush sets the custom range (inclusive end), and clearing it keeps the other filters', () => {
    assert.deepEqual(filtersForRange({ eventTypes: ['a.b'] }, 100, 200), { eventTypes: ['a.b'], time: { kind: 'custom', start: 100, end: 199 } });
    assert.deepEqual(filtersWithoutTime({ eventTypes: ['a.b'], time: { kind: 'custom', start: 1 } }), { eventTypes: ['a.b'] });
    assert.deepEqual(filtersForFamily({}, ['role.created', 'role.deleted']).eventTypes, ['role.created', 'role.deleted']);
  });

  it('actor, project and type go into list filters; ip, country, user agent and exclusions into the search query, which the archive then applies', async () => {
    assert.equal(filtersHaveQuery(), true);
    const archive = await AuditArchive.open(MEMORY);
    try {
      archive.commitWindow(
        parsed([
          login('l3', 300, 'b@x.io', '10.0.0.2', 'DE', 'curl "quoted" \\ agent'),
          login('l2', 200, 'a@x.io', '10.0.0.1', 'US', 'Firefox'),
          login('l1', 100, 'a@x.io', '10.0.0.1', 'US', 'Firefox'),
        ]),
      );
      const insights = new ArchiveInsights(archive);
      const facets = insights.snapshot({}, { zone: 'UTC', now: 400 }).facets;
      const total = (filters: object): number => {
        const f = filters as Parameters<typeof filtersToQuery>[0] & { query?: string };
        return insights.snapshot(withSearch(filtersToQuery(f, 400), f.query, 400), { zone: 'UTC', now: 400 }).timeline.total;
      };
      const actor = facets.actor.find((v) => v.value === 'a@x.io')!;
      assert.deepEqual(filtersForFacet({}, 'actor', actor, false), { actorEmails: ['a@x.io'] });
      // Narrowing: the value replaces its list (and an actor replaces both actor lists).
      assert.deepEqual(filtersForFacet({ actorEmails: ['a@x.io', 'b@x.io'], actorIds: ['user_l3'] }, 'actor', actor, false), { actorEmails: ['a@x.io'] });
      const type = facets.type[0]!;
      assert.deepEqual(filtersForFacet({ eventTypes: ['login.succeeded', 'login.failed'] }, 'type', type, false), { eventTypes: ['login.succeeded'] });
      const excluded = filtersForFacet({}, 'actor', actor, true)!;
      assert.deepEqual(excluded, { query: '-actor:"a@x.io"' });
      assert.equal(total(excluded), 1);
      const country = filtersForFacet({}, 'country', facets.country.find((v) => v.value === 'DE')!, false)!;
      assert.equal(total(country), 1);
      const ua = facets.userAgent.find((v) => v.value.startsWith('curl'))!;
      const byAgent = filtersForFacet({ query: 'type:login.succeeded' }, 'userAgent', ua, false)!;
      assert.equal((byAgent as { query?: string }).query, 'type:login.succeeded ua:"curl \\"quoted\\" \\\\ agent"');
      assert.equal(total(byAgent), 1);
      const ip = filtersForFacet({}, 'ip', facets.ip.find((v) => v.value === '10.0.0.1')!, false)!;
      assert.equal(total(ip), 2);
    } finally {
      archive.close();
    }
  });
});
