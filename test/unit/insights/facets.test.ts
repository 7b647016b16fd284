import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { ArchiveInsights } from '../../../src/core/insights';
import { parsed } from '../archive/helpers';

function login(id: string, t: number, email: string, ip: string, country: string, agent: string): object {
  return {
    id,
    type: 'login.succeeded',
    effective_at: t,
    actor: { type: 'session', session: { user: { id: `user_${email}`, email }, ip_address: ip, user_agent: agent, ip_address_details: { country } } },
    'login.succeeded': {},
  };
}
function projectEvent(id: string, t: number, project: string): object {
  return { id, type: 'project.updated', effective_at: t, project: { id: project, name: `Name of ${project}` }, 'project.updated': { id: project, changes_requested: { title: 'x' } } };
}

describe('insights: facets', () => {
  it('counts the top values of actor, ip, country, project, type and user agent under the filters', async () => {
    const archive = await AuditArchive.open(MEMORY);
    try {
      archive.commitWindow(
        parsed([
          login('l5', 500, 'b@x.io', '10.0.0.2', 'DE', 'curl'),
          login('l4', 400, 'a@x.io', '10.0.0.1', 'US', 'Firefox'),
          login('l3', 300, 'a@x.io', '10.0.0.1', 'US', 'Firefox'),
          login('l2', 200, 'a@x.io', '10.0.0.3', 'US', 'Firefox'),
          projectEvent('p1', 100, 'proj_9'),
          {
            id: 'k1',
            type: 'api_key.created',
            effective_at: 50,
            actor: { type: 'api_key', api_key: { id: 'key_1', type: 'user', user: { id: 'user_a@x.io', email: 'a@x.io' } } },
            'api_key.created': { id: 'key_2', data: {} },
          },
        ]),
      );
      const insights = new ArchiveInsights(archive);
      const f = insights.snapshot({}, { zone: 'UTC', now: 600 }).facets;
      const pairs = (k: keyof typeof f): [string, number][] => f[k].map((v) => [v.value, v.count]);
      assert.deepEqual(pairs('actor'), [['a@x.io', 4], ['', 1], ['b@x.io', 1]], 'a@x.io by session and by API key is one value');
      assert.deepEqual(f.actor[0]!.filter, { key: 'actorEmails', value: 'a@x.io' });
      assert.deepEqual(pairs('ip'), [['10.0.0.1', 2], ['10.0.0.2', 1], ['10.0.0.3', 1]]);
      assert.deepEqual(pairs('country'), [['US', 3], ['DE', 1]]);
      assert.deepEqual(pairs('type'), [['login.succeeded', 4], ['api_key.created', 1], ['project.updated', 1]]);
      assert.deepEqual(pairs('userAgent'), [['Firefox', 3], ['curl', 1]]);
      assert.deepEqual(f.project.find((p) => p.value === 'proj_9'), { value: 'proj_9', label: 'Name of proj_9', count: 1, filter: { key: 'projectIds', value: 'proj_9' } });
      const narrowed = insights.snapshot({ effectiveAt: { gte: 350 } }, { zone: 'UTC', now: 600 }).facets;
      assert.deepEqual(narrowed.country.map((v) => [v.value, v.count]), [['DE', 1], ['US', 1]]);
      assert.deepEqual(insights.snapshot({ actorEmails: ['b@x.io'] }, { zone: 'UTC', now: 600 }).facets.ip.map((v) => v.value), ['10.0.0.2']);
    } finally {
      archive.close();
    }
  });
});
