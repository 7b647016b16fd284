/** One click on `role.*` ticks the whole family; the family item follows its members. */
import * as assert from 'node:assert/strict';
import { familyTicks, type PickItem, type ValueItem } from '../../../src/explorer/familyTicks';

const item = (value: string): ValueItem => ({ label: value, value });
const role: ValueItem = { label: 'role.*', value: '\u0000family:role', members: ['role.created', 'role.updated', 'role.deleted'] };
const [created, updated, deleted] = role.members!.map(item) as [ValueItem, ValueItem, ValueItem];
const other = item('api_key.created');
const separator: PickItem = { label: 'role', kind: -1 };
const all: PickItem[] = [separator, role, created, updated, deleted, other];

describe('familyTicks', () => {
  const adjust = familyTicks(all);

  it('ticking a family ticks its members; unticking it unticks them', () => {
    const on = adjust([role, other], [other]);
    assert.deepEqual(on, [role, created, updated, deleted, other]);
    assert.deepEqual(adjust([created, updated, deleted, other], on), [other]);
  });

  it('the family is ticked exactly when all its members are', () => {
    assert.deepEqual(adjust([created, updated], [created]), [created, updated]);
    assert.deepEqual(adjust([created, updated, deleted], [created, updated]), [role, created, updated, deleted]);
    // One member unticked from a full family: the family goes, the others stay.
    assert.deepEqual(adjust([role, created, deleted], [role, created, updated, deleted]), [created, deleted]);
  });

  it('answering its own answer changes nothing (the workbench echoes what was set)', () => {
    for (const [selected, previous] of [
      [[role], []],
      [[created, updated, deleted], [role, created, updated, deleted]],
      [[role, created, deleted], [role, created, updated, deleted]],
    ] as PickItem[][][]) {
      const once = adjust(selected!, previous!);
      assert.deepEqual(adjust(once, once), once);
    }
  });

  it('a family whose members are not listed is left alone', () => {
    const lonely: ValueItem = { label: 'x.*', value: '\u0000family:x', members: ['x.a'] };
    assert.deepEqual(familyTicks([lonely, other])([lonely], []), [lonely]);
  });
});
