import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { ArchiveInsights, compareStates, stateAsOf, UNKNOWN_BEFORE_ARCHIVE } from '../../../src/core/insights';
import type { AuditEvent } from '../../../src/core/model';
import { parsed } from '../archive/helpers';

function ev(id: string, type: string, t: number, detail: Record<string, unknown>): AuditEvent {
  return { id, type, effective_at: t, [type]: detail };
}

const created = ev('c1', 'project.created', 100, { id: 'proj_1', data: { name: 'Alpha', title: 'A' } });
const renamed = ev('u1', 'project.updated', 200, { id: 'proj_1', changes_requested: { title: 'B' } });
const archived = ev('d1', 'project.archived', 250, { id: 'proj_1' });
const deleted = ev('d2', 'project.deleted', 300, { id: 'proj_1' });
const recreated = ev('c2', 'project.created', 400, { id: 'proj_1', data: { title: 'New' } });

describe('insights: state as of', () => {
  it('rebuilds the state field by field with the event that last set each field', () => {
    const s = stateAsOf([created, renamed, archived], 220);
    assert.equal(s.status, 'exists');
    assert.deepEqual(s.state, { name: 'Alpha', title: 'B' });
    assert.deepEqual(s.fields, {
      name: { value: 'Alpha', eventId: 'c1', known: true },
      title: { value: 'B', eventId: 'u1', known: true },
    });
    assert.deepEqual(stateAsOf([created, renamed], 150).fields.title, { value: 'A', eventId: 'c1', known: true });
  });

  it('without its creation, fields its events set are known and the others it mentions are unknown (before the archive)', () => {
    const role1 = ev('r1', 'role.updated', 100, { id: 'role_1', changes_requested: { name: 'Ops' } });
    const role2 = ev('r2', 'role.updated', 200, { id: 'role_1', changes_requested: { description: 'x', permissions_added: ['a'] } });
    const s = stateAsOf([role1, role2], 150);
    assert.equal(s.createdBy, null);
    assert.deepEqual(s.state, { name: 'Ops' });
    assert.deepEqual(s.fields.name, { value: 'Ops', eventId: 'r1', known: true });
    assert.deepEqual(s.fields.description, { value: UNKNOWN_BEFORE_ARCHIVE, eventId: null, known: false });
    assert.deepEqual(s.fields.permissions, { value: UNKNOWN_BEFORE_ARCHIVE, eventId: null, known: false });
    // After role2 only the added element is known, not the whole list.
    assert.deepEqual(stateAsOf([role1, role2], 250).fields.permissions, { value: { added_since: ['a'], removed_since: [] }, eventId: 'r2', known: false });
  });

  it('a deleted resource has no state; before its creation it did not exist yet', () => {
    assert.deepEqual(stateAsOf([created, renamed, deleted], 300), { state: null, fields: {}, status: 'deleted', createdBy: 'c1', deletedBy: 'd2', basedOn: 3 });
    assert.equal(stateAsOf([created], 99).status, 'notCreated');
    assert.equal(stateAsOf([created], 99).state, null);
    assert.equal(stateAsOf([], 99).status, 'noHistory');
  });

  it('re-created with the same id, it starts afresh: nothing of the deleted one carries over', () => {
    const events = [created, renamed, deleted, recreated];
    const s = stateAsOf(events, 500);
    assert.deepEqual(s.state, { title: 'New' });
    assert.deepEqual(Object.keys(s.fields), ['title']);
    assert.equal(s.createdBy, 'c2');
    assert.deepEqual(stateAsOf(events, 350).state, null);
    assert.deepEqual(stateAsOf(events, 299).state, { name: 'Alpha', title: 'B' });
  });

  it('compares two moments field by field', () => {
    const rows = compareStates(stateAsOf([created, renamed], 150), stateAsOf([created, renamed], 250));
    assert.deepEqual(rows.map((r) => [r.field, r.changed]), [['name', false], ['title', true]]);
  });

  it('reads the history from the archive, including events of the same second in the API order', async () => {
    const archive = await AuditArchive.open(MEMORY);
    try {
      // Listed newest first: within second 200, u2 is newer than u1.
      const u2 = ev('u2', 'project.updated', 200, { id: 'proj_1', changes_requested: { title: 'C' } });
      archive.commitWindow(parsed([u2, renamed, created]));
      const s = new ArchiveInsights(archive).stateAsOf('proj_1', 200);
      assert.deepEqual(s.fields.title, { value: 'C', eventId: 'u2', known: true });
      assert.deepEqual(new ArchiveInsights(archive).resources().map((r) => [r.id, r.kind, r.name, r.events]), [['proj_1', 'project', 'Alpha', 3]]);
    } finally {
      archive.close();
    }
  });
});
