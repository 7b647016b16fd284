import * as assert from 'node:assert/strict';
import { NO_PROJECT_KEY, NO_PROJECT_LABEL, groupEvents, utcDay, type EventGroup } from '../../../src/core/analysis/grouping';
import type { AuditEvent, ParsedEvent } from '../../../src/core/model';

function ev(id: string, type: string, at: number, extra: Partial<AuditEvent> = {}): ParsedEvent {
  const event = { id, type, effective_at: at, ...extra } as AuditEvent;
  return { event, raw: JSON.stringify(event) };
}
const user = (email: string, id: string) => ({ type: 'session', session: { user: { id, email } } });
const sa = (id: string) => ({ type: 'api_key', api_key: { id: 'key_x', type: 'service_account', service_account: { id } } });

const DAY = 86_400;
const events: ParsedEvent[] = [
  ev('e1', 'api_key.created', 5 * DAY + 10, { project: { id: 'proj_a', name: 'Alpha' }, actor: user('ann@x.example', 'user_ann') }),
  ev('e2', 'api_key.created', 5 * DAY + 5, { project: { id: 'proj_b', name: 'Beta' }, actor: sa('svc_1') }),
  ev('e3', 'future.thing', 4 * DAY, { actor: user('ann@x.example', 'user_ann') }),
  ev('e4', 'project.updated', 3 * DAY, { project: { id: 'proj_a', name: 'Alpha' }, actor: null }),
  ev('e5', 'api_key.created', 3 * DAY - 1, { project: { id: 'proj_a', name: 'Alpha' } }),
];

const counts = (groups: readonly EventGroup[]): unknown =>
  groups.map((g) => (g.children ? [g.label, g.events.length, counts(g.children)] : [g.label, g.events.length]));

describe('grouping', () => {
  it('type → project, with a "No project" group and unknown types under their own name', () => {
    const groups = groupEvents(events, 'typeProject');
    assert.deepEqual(counts(groups), [
      ['api_key.created', 3, [['Alpha', 2], ['Beta', 1]]],
      ['future.thing', 1, [[NO_PROJECT_LABEL, 1]]],
      ['project.updated', 1, [['Alpha', 1]]],
    ]);
    assert.equal(groups[1]!.children![0]!.key, NO_PROJECT_KEY);
    assert.equal(groups[0]!.children![0]!.projectId, 'proj_a');
    assert.equal(groups[0]!.children![0]!.id, 'type:api_key.created/project:proj_a');
  });

  it('project → type, "No project" last', () => {
    assert.deepEqual(counts(groupEvents(events, 'projectType')), [
      ['Alpha', 3, [['api_key.created', 2], ['project.updated', 1]]],
      ['Beta', 1, [['api_key.created', 1]]],
      [NO_PROJECT_LABEL, 1, [['future.thing', 1]]],
    ]);
  });

  it('actor, most active first, with what to filter by', () => {
    const groups = groupEvents(events, 'actor');
    assert.deepEqual(counts(groups), [['ann@x.example', 2], ['No actor', 2], ['svc_1', 1]]);
    assert.equal(groups[0]!.actorEmail, 'ann@x.example');
    assert.equal(groups[0]!.actorId, 'user_ann');
    assert.equal(groups[2]!.actorId, 'svc_1');
  });

  it('day, newest first', () => {
    assert.deepEqual(counts(groupEvents(events, 'day', { dayOf: utcDay })), [
      ['1970-01-06', 2],
      ['1970-01-05', 1],
      ['1970-01-04', 1],
      ['1970-01-03', 1],
    ]);
  });

  it('keeps events newest first inside a group and partitions every event once', () => {
    for (const grouping of ['typeProject', 'projectType', 'actor', 'day'] as const) {
      const leaves: ParsedEvent[] = [];
      const walk = (gs: readonly EventGroup[]): void => {
        for (const g of gs) {
          if (g.children) walk(g.children);
          else leaves.push(...g.events);
        }
      };
      walk(groupEvents(events, grouping));
      assert.deepEqual(leaves.map((e) => e.event.id).sort(), ['e1', 'e2', 'e3', 'e4', 'e5']);
    }
    const alpha = groupEvents(events, 'typeProject')[0]!.children![0]!;
    assert.deepEqual(alpha.events.map((e) => e.event.id), ['e1', 'e5']);
  });

  it('groups 100,000 events in well under a second', () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      ev(`e${i}`, `t${i % 145}.x`, 1_700_000_000 - i, { project: { id: `proj_${i % 17}` }, actor: user(`u${i % 50}@x.example`, `user_${i % 50}`) }),
    );
    const start = process.hrtime.bigint();
    const groups = groupEvents(many, 'typeProject');
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.equal(groups.length, 145);
    assert.equal(groups.reduce((n, g) => n + g.events.length, 0), 100_000);
    // Not a timing assertion on behaviour: a generous bound that only catches accidental quadratic work.
    assert.ok(ms < 5_000, `grouping took ${ms} ms`);
  });
});
