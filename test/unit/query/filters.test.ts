import * as assert from 'node:assert/strict';
import { describeFilterParts, filtersToQuery, hasFilters, normalizeFilters } from '../../../src/core/analysis/filters';
import { withSearch } from '../../../src/core/query';

describe('the search as one of the filters', () => {
  it('normalizeFilters keeps a search (trimmed) and drops a non-string, empty or over-long one', () => {
    assert.deepEqual(normalizeFilters({ query: '  ip:198.51.100.23 ' }), { query: 'ip:198.51.100.23' });
    assert.deepEqual(normalizeFilters({ query: 42 }), {});
    assert.deepEqual(normalizeFilters({ query: '   ' }), {});
    assert.deepEqual(normalizeFilters({ query: 'a'.repeat(2001) }), {});
  });

  it('counts as a filter and shows as a chip beside the others', () => {
    const filters = normalizeFilters({ eventTypes: ['api_key.created'], query: 'ip:198.51.*' });
    assert.equal(hasFilters(normalizeFilters({ query: 'x' })), true);
    assert.deepEqual(describeFilterParts(filters), ['type api_key.created', 'search "ip:198.51.*"']);
    assert.equal(describeFilterParts(normalizeFilters({ query: 'a '.repeat(50) }))[0]!.length, 'search ""'.length + 60);
  });

  it("the filters' query carries the compiled search", () => {
    const f = normalizeFilters({ time: { kind: 'preset', preset: 'last7Days' }, query: 'type:login.failed ip:1.2.3.4' });
    const q = withSearch(filtersToQuery(f, 1_000_000), f.query, 1_000_000);
    assert.deepEqual(q.eventTypes, ['login.failed']);
    assert.deepEqual(q.effectiveAt, { gte: 1_000_000 - 7 * 86_400 });
    assert.ok(q.clause && q.clause.params.includes('1.2.3.4'));
  });
});
