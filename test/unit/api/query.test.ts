import assert from 'node:assert/strict';
import { InvalidQueryError, MAX_PAGE_SIZE, encodeAuditLogQuery, type AuditLogQuery, type EffectiveAtRange } from '../../../src/core/api';

describe('api/query: encodeAuditLogQuery', () => {
  it('encodes nothing for an empty query', () => {
    assert.equal(encodeAuditLogQuery({}), '');
  });

  it('encodes each effective_at bound with bracketed keys', () => {
    assert.equal(encodeAuditLogQuery({ effectiveAt: { gt: 1 } }), 'effective_at[gt]=1');
    assert.equal(encodeAuditLogQuery({ effectiveAt: { gte: 2 } }), 'effective_at[gte]=2');
    assert.equal(encodeAuditLogQuery({ effectiveAt: { lt: 3 } }), 'effective_at[lt]=3');
    assert.equal(encodeAuditLogQuery({ effectiveAt: { lte: 4 } }), 'effective_at[lte]=4');
    assert.equal(
      encodeAuditLogQuery({ effectiveAt: { gte: 1_700_000_000, lt: 1_700_086_400 } }),
      'effective_at[gte]=1700000000&effective_at[lt]=1700086400',
    );
  });

  const lists: [keyof AuditLogQuery, string][] = [
    ['projectIds', 'project_ids[]'],
    ['eventTypes', 'event_types[]'],
    ['actorIds', 'actor_ids[]'],
    ['actorEmails', 'actor_emails[]'],
    ['resourceIds', 'resource_ids[]'],
  ];
  for (const [field, wire] of lists) {
    it(`repeats ${wire} once per value`, () => {
      assert.equal(encodeAuditLogQuery({ [field]: ['a', 'b'] }), `${wire}=a&${wire}=b`);
      assert.equal(encodeAuditLogQuery({ [field]: [] }), '', 'an empty list sends nothing');
    });
  }

  it('percent-encodes values but keeps the brackets of keys', () => {
    assert.equal(
      encodeAuditLogQuery({ actorEmails: ['a+b@example.com'], resourceIds: ['ws_1__conn 2&x=y'] }),
      'actor_emails[]=a%2Bb%40example.com&resource_ids[]=ws_1__conn%202%26x%3Dy',
    );
    const decoded = new URLSearchParams(encodeAuditLogQuery({ actorEmails: ['a+b@example.com'], eventTypes: ['x.y'] }));
    assert.deepEqual(decoded.getAll('actor_emails[]'), ['a+b@example.com']);
    assert.deepEqual(decoded.getAll('event_types[]'), ['x.y']);
  });

  it('encodes tenant_only, limit and the cursors', () => {
    assert.equal(encodeAuditLogQuery({ tenantOnly: true }), 'tenant_only=true');
    assert.equal(encodeAuditLogQuery({ tenantOnly: false }), 'tenant_only=false');
    assert.equal(encodeAuditLogQuery({ limit: 100 }), 'limit=100');
    assert.equal(encodeAuditLogQuery({ limit: 1 }), 'limit=1');
    assert.equal(encodeAuditLogQuery({ after: 'audit_log-1' }), 'after=audit_log-1');
    assert.equal(encodeAuditLogQuery({ before: 'audit_log-2' }), 'before=audit_log-2');
  });

  it('encodes every parameter together in a fixed order', () => {
    const query: AuditLogQuery = {
      before: 'b',
      limit: 50,
      tenantOnly: true,
      resourceIds: ['r'],
      actorEmails: ['e@x.io'],
      actorIds: ['user-1'],
      eventTypes: ['project.created', 'some.future_type'],
      projectIds: ['proj_1'],
      effectiveAt: { lte: 20, gte: 10 },
    };
    assert.equal(
      encodeAuditLogQuery(query),
      'effective_at[gte]=10&effective_at[lte]=20&project_ids[]=proj_1&event_types[]=project.created&' +
        'event_types[]=some.future_type&actor_ids[]=user-1&actor_emails[]=e%40x.io&resource_ids[]=r&' +
        'tenant_only=true&limit=50&before=b',
    );
  });

  it('rejects a limit out of 1-100 or not whole', () => {
    for (const limit of [0, -1, MAX_PAGE_SIZE + 1, 1.5, Number.NaN]) {
      assert.throws(
        () => encodeAuditLogQuery({ limit }),
        (e: unknown) => e instanceof InvalidQueryError && e.parameter === 'limit' && /1 to 100/.test(e.message),
        `limit ${limit}`,
      );
    }
  });

  it('rejects bad time bounds, naming the parameter', () => {
    assert.throws(() => encodeAuditLogQuery({ effectiveAt: { gt: 1.5 } }), /effective_at\[gt\] must be a whole/);
    assert.throws(() => encodeAuditLogQuery({ effectiveAt: { gte: -1 } }), /effective_at\[gte\]/);
    assert.throws(() => encodeAuditLogQuery({ effectiveAt: { lt: Date.now() } }), /looks like milliseconds/);
    assert.throws(() => encodeAuditLogQuery({ effectiveAt: { gte: 20, lte: 10 } }), /range is empty/);
    assert.throws(() => encodeAuditLogQuery({ effectiveAt: { gt: 5, lt: 6 } }), /range is empty/);
    assert.doesNotThrow(() => encodeAuditLogQuery({ effectiveAt: { gte: 5, lte: 5 } }));
  });

  it('finds an empty range from every bound: the lower is max(gte, gt + 1), the upper min(lte, lt - 1), in whole seconds', () => {
    const empty: EffectiveAtRange[] = [
      { gt: 10, gte: 0, lte: 5 },
      { gt: 0, gte: 0, lt: 0, lte: 0 },
      { gte: 0, gt: 5, lt: 6 },
      { gte: 3, lte: 10, lt: 3 },
      { gt: 4, lte: 4 },
      { lt: 0 },
    ];
    for (const effectiveAt of empty) {
      assert.throws(
        () => encodeAuditLogQuery({ effectiveAt }),
        (e: unknown) => e instanceof InvalidQueryError && e.parameter === 'effective_at' && /range is empty/.test(e.message),
        JSON.stringify(effectiveAt),
      );
    }
    const nonEmpty: EffectiveAtRange[] = [
      { gt: 4, gte: 0, lte: 5 },
      { gt: 0, gte: 1, lt: 2, lte: 9 },
      { gte: 5, gt: 4, lt: 6, lte: 5 },
      { lt: 1 },
      { gt: 0 },
    ];
    for (const effectiveAt of nonEmpty) assert.doesNotThrow(() => encodeAuditLogQuery({ effectiveAt }), JSON.stringify(effectiveAt));
  });

  it('rejects empty list values, empty cursors and both cursors at once', () => {
    assert.throws(() => encodeAuditLogQuery({ projectIds: [''] }), (e: unknown) => e instanceof InvalidQueryError && e.parameter === 'project_ids[]');
    assert.throws(() => encodeAuditLogQuery({ after: '' }), InvalidQueryError);
    assert.throws(() => encodeAuditLogQuery({ after: 'a', before: 'b' }), /either an after or a before/);
  });
});
