/**
 * The history of a resource shows each update as before → after for the
 * fields it changed, with the same before the changes table would show
 * (same-second order included), and creations with their state only.
 */
import * as assert from 'node:assert/strict';
import { resourceHistory } from '../../../src/core/analysis/resourceHistory';
import type { AuditEvent } from '../../../src/core/model';
import { withHistorySteps } from '../../../src/webviews/eventDetails/historySteps';
import { HistoryViewSchema } from '../../../src/webviews/eventDetails/protocol';
import { historyView } from '../../../src/webviews/eventDetails/viewModel';

const actor = { type: 'session', session: { user: { id: 'user_1', email: 'ada@example.com' } } };
const T0 = 1_750_000_000;
/** Newest first, as the API lists them; the two renames share a second (the later one listed first). */
const EVENTS: AuditEvent[] = [
  { id: 'e4', type: 'role.updated', effective_at: T0 + 50, actor, 'role.updated': { id: 'role_1', changes_requested: { permissions_added: ['c'], permissions_removed: ['a'] } } },
  { id: 'e3', type: 'role.updated', effective_at: T0 + 10, actor, 'role.updated': { id: 'role_1', changes_requested: { role_name: 'Three' } } },
  { id: 'e2', type: 'role.updated', effective_at: T0 + 10, actor, 'role.updated': { id: 'role_1', changes_requested: { role_name: 'Two', description: 'x' } } },
  { id: 'e1', type: 'role.created', effective_at: T0, actor, 'role.created': { id: 'role_1', role_name: 'One', permissions: ['a', 'b'] } },
];

type Ready = Extract<ReturnType<typeof withHistorySteps>, { state: 'ready' }>;

describe('event details: history steps', () => {
  const view = withHistorySteps(historyView(resourceHistory('role_1', EVENTS), 'e4', false), EVENTS) as Ready;
  const steps = (id: string) =>
    view.entries.find((e) => e.id === id)?.changes?.map((r) => [r.field, r.before.kind === 'known' ? r.before.value : r.before.kind, r.after.kind === 'known' ? r.after.value : 'unknown', r.status]);

  it('gives each update its fields before → after, oldest first, and the creation none', () => {
    assert.deepEqual(view.entries.map((e) => e.id), ['e1', 'e2', 'e3', 'e4']);
    assert.equal(view.entries[0]!.changes, undefined);
    assert.deepEqual(steps('e2'), [
      ['role_name', 'One', 'Two', 'changed'],
      ['description', 'unset', 'x', 'set'],
    ]);
    // Same second: e3 is listed before e2, so it happened after it.
    assert.deepEqual(steps('e3'), [['role_name', 'Two', 'Three', 'changed']]);
    assert.deepEqual(steps('e4'), [['permissions', ['a', 'b'], ['b', 'c'], 'changed']]);
    const elements = view.entries[3]!.changes![0]!.elements;
    assert.deepEqual(elements, [
      { value: 'a', status: 'removed' },
      { value: 'b', status: 'kept' },
      { value: 'c', status: 'added' },
    ]);
  });

  it('says unknown, never guesses, when the history does not reach the creation', () => {
    const partial = EVENTS.slice(0, 2);
    const v = withHistorySteps(historyView(resourceHistory('role_1', partial), 'e4', false), partial) as Ready;
    assert.deepEqual(v.entries.find((e) => e.id === 'e3')?.changes?.map((r) => [r.field, r.before.kind, r.status]), [['role_name', 'unknown', 'unknown-before']]);
  });

  it('is a valid host message, and leaves loading and error views alone', () => {
    assert.equal(HistoryViewSchema.safeParse(view).success, true);
    assert.deepEqual(withHistorySteps({ state: 'loading' }, EVENTS), { state: 'loading' });
    assert.deepEqual(withHistorySteps({ state: 'error', message: 'x' }, EVENTS), { state: 'error', message: 'x' });
  });
});
