/**
 * The header's pivots: which values of an event are actions, what each
 * offers, and that the host honours only a value really in the shown event.
 */
import * as assert from 'node:assert/strict';
import type { AuditEvent } from '../../../src/core/model';
import { checkPivot, filtersForPivot, pivotsOf, pivotViews, searchQueryOf } from '../../../src/webviews/eventDetails/pivots';
import { parsePageMessage } from '../../../src/webviews/eventDetails/protocol';
import { parseQuery } from '../../../src/core/query';

const session: AuditEvent = {
  id: 'audit_log-1',
  type: 'api_key.created',
  effective_at: 1_750_000_000,
  actor: { type: 'session', session: { user: { id: 'user_ada', email: 'ada@example.com' }, ip_address: '203.0.113.7' } },
  project: { id: 'proj_atlas', name: 'Atlas' },
  'api_key.created': { id: 'key_abc', data: { scopes: ['api.model.read'] } },
};

const byKey: AuditEvent = {
  id: 'audit_log-2',
  type: 'project.updated',
  effective_at: 1_750_000_100,
  actor: { type: 'api_key', api_key: { type: 'service_account', id: 'key_sa1', service_account: { id: 'svc_bot' }, ip_address: '2001:db8::1' } },
  'project.updated': { id: 'proj_atlas', changes_requested: { title: 'Atlas Two' } },
};

const ALL = { filter: true, search: true };
const NO_SEARCH = { filter: true, search: false };

describe('event details pivots', () => {
  it('offers the actor, key, IP, project and resource of an event, with the exact values', () => {
    assert.deepEqual(pivotsOf(session), [
      { target: 'actor', value: 'ada@example.com' },
      { target: 'ip', value: '203.0.113.7' },
      { target: 'project', value: 'proj_atlas' },
      { target: 'resource', value: 'key_abc' },
    ]);
    assert.deepEqual(pivotsOf(byKey), [
      { target: 'actor', value: 'svc_bot' },
      { target: 'apiKey', value: 'key_sa1' },
      { target: 'ip', value: '2001:db8::1' },
      { target: 'resource', value: 'proj_atlas' },
    ]);
    assert.deepEqual(pivotsOf({ id: 'x', type: 'login.failed', effective_at: 1 }), []);
  });

  it('offers filter and search only when the host can, copy always', () => {
    const views = pivotViews(session, NO_SEARCH);
    assert.deepEqual(views.find((v) => v.target === 'actor')?.actions, ['filter', 'copy']);
    assert.deepEqual(views.find((v) => v.target === 'ip')?.actions, ['filter', 'copy']);
    assert.deepEqual(pivotViews(session, ALL).find((v) => v.target === 'ip')?.actions, ['filter', 'copy', 'search']);
    assert.deepEqual(pivotViews(session, { filter: false, search: false }).map((v) => v.actions), [['copy'], ['copy'], ['copy'], ['copy']]);
  });

  it('honours only a value that is in the shown event, for an action it offers', () => {
    assert.deepEqual(checkPivot(session, 'actor', 'ada@example.com', 'filter', NO_SEARCH), { target: 'actor', value: 'ada@example.com' });
    // A value of another event, a value under another target, a case variant, an action not offered.
    assert.equal(checkPivot(session, 'actor', 'eve@example.com', 'filter', ALL), undefined);
    assert.equal(checkPivot(session, 'project', 'key_abc', 'filter', ALL), undefined);
    assert.equal(checkPivot(session, 'actor', 'ADA@example.com', 'copy', ALL), undefined);
    assert.equal(checkPivot(session, 'ip', '203.0.113.8', 'filter', ALL), undefined);
    assert.equal(checkPivot(session, 'resource', 'key_abc', 'search', NO_SEARCH), undefined);
    assert.equal(checkPivot(session, 'resource', 'key_abc', 'filter', { filter: false, search: false }), undefined);
    assert.ok(checkPivot(session, 'ip', '203.0.113.7', 'copy', NO_SEARCH));
  });

  it('narrows the filters to the value: its dimension replaced, the others kept', () => {
    const before = { time: { kind: 'preset', preset: 'last7Days' }, eventTypes: ['api_key.created'], actorIds: ['user_old'], actorEmails: ['old@example.com'] } as const;
    assert.deepEqual(filtersForPivot(before, { target: 'actor', value: 'ada@example.com' }, 'ada@example.com'), {
      time: { kind: 'preset', preset: 'last7Days' },
      eventTypes: ['api_key.created'],
      actorEmails: ['ada@example.com'],
    });
    assert.deepEqual(filtersForPivot(before, { target: 'actor', value: 'svc_bot' }, undefined).actorIds, ['svc_bot']);
    assert.deepEqual(filtersForPivot(before, { target: 'apiKey', value: 'key_sa1' }, undefined), {
      time: { kind: 'preset', preset: 'last7Days' },
      eventTypes: ['api_key.created'],
      actorIds: ['key_sa1'],
    });
    assert.deepEqual(filtersForPivot({ projectIds: ['proj_a', 'proj_b'] }, { target: 'project', value: 'proj_atlas' }), { projectIds: ['proj_atlas'] });
    assert.deepEqual(filtersForPivot({}, { target: 'resource', value: 'key_abc' }), { resourceIds: ['key_abc'] });
    // An IP has no list filter: it goes into the search query, ANDed to one already there, once.
    assert.deepEqual(filtersForPivot({}, { target: 'ip', value: '203.0.113.7' }), { query: 'ip:203.0.113.7' });
    const both = filtersForPivot({ query: 'type:login.failed' }, { target: 'ip', value: '2001:db8::1' });
    assert.equal(both.query, 'type:login.failed ip:"2001:db8::1"');
    assert.equal(filtersForPivot(both, { target: 'ip', value: '2001:db8::1' }).query, both.query);
  });

  it('writes a search term per field, quoting what is not a plain word', () => {
    assert.equal(searchQueryOf({ target: 'actor', value: 'ada@example.com' }), 'actor:ada@example.com');
    assert.equal(searchQueryOf({ target: 'apiKey', value: 'key_sa1' }), 'key:key_sa1');
    assert.equal(searchQueryOf({ target: 'ip', value: '2001:db8::1' }), 'ip:"2001:db8::1"');
    assert.equal(searchQueryOf({ target: 'resource', value: 'a "b" \\ c' }), 'resource:"a \\"b\\" \\\\ c"');
    // Each reads back, in the search's own parser, as that field with exactly the value (hostile ones too).
    for (const [target, value, field] of [['ip', '2001:db8::1', 'ip'], ['actor', 'a@b.c) OR type:x', 'actor'], ['resource', '"\\', 'resource'], ['project', 'p*', 'project']] as const) {
      const parsed = parseQuery(searchQueryOf({ target, value }));
      const node = parsed.ok ? parsed.value : undefined;
      assert.ok(node?.kind === 'field', value);
      assert.deepEqual([node.field, node.value, node.prefix], [field, value, false]);
    }
  });

  it('the page may ask for a pivot only in the protocol shape', () => {
    const ok = { type: 'pivot', action: 'filter', target: 'actor', value: 'ada@example.com' };
    assert.deepEqual(parsePageMessage(ok), ok);
    for (const bad of [
      { ...ok, action: 'run' },
      { ...ok, target: 'command' },
      { ...ok, value: '' },
      { ...ok, value: 'x'.repeat(5000) },
      { ...ok, extra: 1 },
      { type: 'pivot', action: 'copy', target: 'ip' },
    ]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad).slice(0, 80));
    }
  });
});
