import * as assert from 'node:assert/strict';
import { UNKNOWN_BEFORE_TEXT } from '../../../src/core/analysis/changes';
import { resourceHistory } from '../../../src/core/analysis/resourceHistory';
import type { AuditEvent } from '../../../src/core/model';

function ev(id: string, type: string, t: number, detail: Record<string, unknown>): AuditEvent {
  return { id, type, effective_at: t, [type]: detail };
}

describe('resource history', () => {
  it('lists a resource\'s events oldest to newest with the state after each change', () => {
    const events = [
      ev('e4', 'project.archived', 400, { id: 'proj_1' }),
      ev('e3', 'project.updated', 300, { id: 'proj_1', changes_requested: { title: 'C' } }),
      ev('x1', 'project.updated', 250, { id: 'proj_2', changes_requested: { title: 'other' } }),
      ev('e2', 'project.updated', 200, { id: 'proj_1', changes_requested: { title: 'B' } }),
      ev('e1', 'project.created', 100, { id: 'proj_1', data: { name: 'a', title: 'A' } }),
    ];
    const h = resourceHistory('proj_1', events);
    assert.equal(h.fromCreation, true);
    assert.deepEqual(h.entries.map((e) => e.event.id), ['e1', 'e2', 'e3', 'e4']);
    assert.deepEqual(h.entries.map((e) => e.stateAfter), [
      { name: 'a', title: 'A' },
      { name: 'a', title: 'B' },
      { name: 'a', title: 'C' },
      { name: 'a', title: 'C' },
    ]);
    assert.deepEqual(h.entries.map((e) => e.changedFields), [['name', 'title'], ['title'], ['title'], []]);
  });

  it('spells out what lies before the history and keeps duplicates out', () => {
    const u = ev('r1', 'role.updated', 100, { id: 'role_1', changes_requested: { permissions_added: ['p'] } });
    const d = ev('r2', 'role.deleted', 200, { id: 'role_1' });
    const h = resourceHistory('role_1', [d, u, u]);
    assert.equal(h.fromCreation, false);
    assert.equal(h.entries.length, 2);
    assert.deepEqual(h.entries[0].stateAfter, { permissions: { [UNKNOWN_BEFORE_TEXT]: true, added_since: ['p'], removed_since: [] } });
    assert.equal(h.entries[1].deleted, true);
  });
});
