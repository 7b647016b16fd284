import * as assert from 'node:assert/strict';
import {
  EVENT_TYPE_FAMILIES,
  describeFilters,
  filtersToQuery,
  hasFilters,
  normalizeFilters,
  parseTimeInput,
  splitValues,
  typeTokens,
  withListValue,
} from '../../../src/core/analysis/filters';
import { encodeAuditLogQuery } from '../../../src/core/api/query';

describe('filters', () => {
  const now = 1_700_000_000;

  it('maps every filter onto the API parameters', () => {
    const query = filtersToQuery(
      {
        time: { kind: 'custom', start: 100, end: 200 },
        eventTypes: ['api_key.created', 'brand.new_type'],
        projectIds: ['proj_1'],
        actorIds: ['user_1'],
        actorEmails: ['a@b.example'],
        resourceIds: ['key_1'],
      },
      now,
    );
    assert.equal(
      encodeAuditLogQuery(query),
      'effective_at[gte]=100&effective_at[lte]=200&project_ids[]=proj_1&event_types[]=api_key.created&event_types[]=brand.new_type' +
        '&actor_ids[]=user_1&actor_emails[]=a%40b.example&resource_ids[]=key_1',
    );
  });

  it('evaluates a preset at query time', () => {
    assert.deepEqual(filtersToQuery({ time: { kind: 'preset', preset: 'lastHour' } }, now), { effectiveAt: { gte: now - 3600 } });
    assert.deepEqual(filtersToQuery({ time: { kind: 'preset', preset: 'last30Days' } }, now + 0.7), { effectiveAt: { gte: now - 30 * 86400 } });
  });

  it('sends nothing without filters', () => {
    assert.deepEqual(filtersToQuery({}, now), {});
    assert.equal(hasFilters({}), false);
    assert.equal(hasFilters({ eventTypes: [] }), false);
    assert.equal(hasFilters({ resourceIds: ['x'] }), true);
  });

  it('normalizes untrusted stored values', () => {
    assert.deepEqual(normalizeFilters(null), {});
    assert.deepEqual(normalizeFilters('x'), {});
    assert.deepEqual(
      normalizeFilters({
        eventTypes: [' a ', 'a', '', 3, 'b'],
        projectIds: [],
        evil: ['x'],
        time: { kind: 'preset', preset: '__proto__' },
      }),
      { eventTypes: ['a', 'b'] },
    );
    assert.deepEqual(normalizeFilters({ time: { kind: 'custom', start: -1, end: 5 } }), { time: { kind: 'custom', end: 5 } });
    assert.deepEqual(normalizeFilters({ time: { kind: 'custom', start: 'x' } }), {});
    assert.equal(normalizeFilters({ resourceIds: Array.from({ length: 1000 }, (_, i) => `r${i}`) }).resourceIds?.length, 200);
  });

  it('adds a value without duplicating it', () => {
    const once = withListValue({}, 'projectIds', 'proj_1');
    assert.deepEqual(once, { projectIds: ['proj_1'] });
    assert.deepEqual(withListValue(once, 'projectIds', 'proj_1'), { projectIds: ['proj_1'] });
  });

  it('describes active filters in one short line', () => {
    assert.equal(describeFilters({}), '');
    assert.equal(
      describeFilters({ time: { kind: 'preset', preset: 'last24Hours' }, eventTypes: ['api_key.created'], projectIds: ['a', 'b'], actorEmails: ['x@y.z'] }),
      'last 24 hours · type api_key.created · 2 projects · actor x@y.z',
    );
    assert.equal(describeFilters({ time: { kind: 'custom', start: 0 } }), 'since 1970-01-01 00:00 UTC');
  });

  it('reads typed times and lists', () => {
    assert.equal(parseTimeInput('1700000000'), 1_700_000_000);
    assert.equal(parseTimeInput('2024-01-02'), Date.UTC(2024, 0, 2) / 1000);
    assert.equal(parseTimeInput('2024-01-02 03:04'), Date.UTC(2024, 0, 2, 3, 4) / 1000);
    assert.equal(parseTimeInput('2024-01-02T03:04:05+0100'), Date.UTC(2024, 0, 2, 2, 4, 5) / 1000);
    assert.equal(parseTimeInput('tomorrowish'), undefined);
    assert.equal(parseTimeInput(''), undefined);
    assert.deepEqual(splitValues(' a, b  c,,'), ['a', 'b', 'c']);
  });

  it('describes a whole family of types as family.*, and up to two tokens by name', () => {
    const role = ['role.created', 'role.updated', 'role.deleted', 'role.bound_to_resource', 'role.unbound_from_resource'];
    assert.equal(describeFilters({ eventTypes: role }), 'types role.*');
    assert.equal(describeFilters({ eventTypes: [...role, 'api_key.created'] }), 'types role.*, api_key.created');
    assert.equal(describeFilters({ eventTypes: role.slice(1) }), '4 types', 'not the whole family');
    assert.equal(describeFilters({ eventTypes: ['api_key.created', 'api_key.deleted'] }), 'types api_key.created, api_key.deleted');
    assert.equal(describeFilters({ eventTypes: ['organization.updated'] }), 'type organization.updated', 'a family of one is its type');
    assert.deepEqual(typeTokens(['brand.new', ...role, 'x.y']), ['brand.new', 'role.*', 'x.y']);
    assert.deepEqual(EVENT_TYPE_FAMILIES.get('role'), role);
    assert.equal(EVENT_TYPE_FAMILIES.has('organization'), false);
  });

  it('shows names for the ids the archive knows, ids for the others', () => {
    const names = { project: (id: string) => (id === 'proj_1' ? 'Atlas Core' : undefined), actor: (id: string) => (id === 'user_1' ? 'ada@acme.example' : undefined) };
    assert.equal(describeFilters({ projectIds: ['proj_1'], actorIds: ['user_1'] }, names), 'project Atlas Core · actor ada@acme.example');
    assert.equal(describeFilters({ projectIds: ['proj_2'], actorIds: ['key_9'] }, names), 'project proj_2 · actor key_9');
    assert.equal(describeFilters({ projectIds: ['proj_1', 'proj_2'] }, names), '2 projects');
  });
});
