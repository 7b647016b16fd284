/**
 * Change reconstruction, continued: events of the same second (ordered by the
 * API's list order, not dropped) and nested objects in changes_requested
 * (diffed field by field under dotted names).
 */
import * as assert from 'node:assert/strict';
import {
  diffChanges,
  diffDocuments,
  fieldKey,
  fieldPath,
  priorEvents,
  UNKNOWN_BEFORE_TEXT,
  type ChangeDiff,
  type FieldDiff,
} from '../../../src/core/analysis/changes';
import { resourceHistory } from '../../../src/core/analysis/resourceHistory';
import type { AuditEvent } from '../../../src/core/model';

function ev(id: string, type: string, t: number, detail: Record<string, unknown>): AuditEvent {
  return { id, type, effective_at: t, [type]: detail };
}

function row(diff: ChangeDiff | undefined, field: string): FieldDiff {
  assert.ok(diff, 'expected a diff');
  const r = diff.rows.find((x) => x.field === field);
  assert.ok(r, `no row for ${field}; rows: ${diff.rows.map((x) => x.field).join(', ')}`);
  return r;
}

describe('change reconstruction: same-second events', () => {
  // Created, renamed and renamed again within one second; the API lists them
  // newest first (what `effective_at[lte]=100` returns), an earlier second last.
  const older = ev('e0', 'project.updated', 99, { id: 'proj_s', changes_requested: { description: 'before' } });
  const created = ev('e1', 'project.created', 100, { id: 'proj_s', data: { name: 'same', title: 'One' } });
  const first = ev('e2', 'project.updated', 100, { id: 'proj_s', changes_requested: { title: 'Two' } });
  const second = ev('e3', 'project.updated', 100, { id: 'proj_s', changes_requested: { title: 'Three' } });
  const apiOrder = [second, first, created, older];

  it('takes the second update\'s before from the first one of the same second', () => {
    const d = diffChanges(second, apiOrder);
    assert.deepEqual(row(d, 'title').before, { kind: 'known', value: 'Two', source: 'e2' });
    assert.deepEqual(row(d, 'title').after, { kind: 'known', value: 'Three' });
    assert.equal(d?.fromCreation, true);
    assert.deepEqual(d?.basedOn, ['e0', 'e1', 'e2']);
  });

  it('takes the first update\'s before from the creation of the same second, and never a later event', () => {
    const d = diffChanges(first, apiOrder);
    assert.deepEqual(row(d, 'title').before, { kind: 'known', value: 'One', source: 'e1' });
    assert.deepEqual(d?.basedOn, ['e0', 'e1']);
  });

  it('orders by the list, not by id: the same events listed the other way round swap roles', () => {
    // Listed with `first` newest: then `second` came before it.
    const d = diffChanges(first, [first, second, created]);
    assert.deepEqual(row(d, 'title').before, { kind: 'known', value: 'Three', source: 'e3' });
  });

  it('leaves same-second events out when the list does not show where the event stands', () => {
    // Without the event itself the order within its second is unknown: no guess.
    assert.deepEqual(priorEvents(second, [first, created, older]).map((e) => e.id), ['e0']);
    const d = diffChanges(second, [first, created, older]);
    assert.deepEqual(row(d, 'title').before, { kind: 'unknown' });
  });

  it('counts a duplicated event once', () => {
    assert.deepEqual(priorEvents(second, [second, first, first, created]).map((e) => e.id), ['e1', 'e2']);
  });

  it('keeps the same order in the history of the resource', () => {
    const h = resourceHistory('proj_s', apiOrder);
    assert.deepEqual(h.entries.map((e) => e.event.id), ['e0', 'e1', 'e2', 'e3']);
    assert.deepEqual(h.entries.map((e) => e.stateAfter['title']), [undefined, 'One', 'Two', 'Three']);
  });
});

describe('change reconstruction: nested objects', () => {
  it('diffs organization settings field by field under dotted names', () => {
    const u1 = ev('o1', 'organization.updated', 100, { id: 'org_1', changes_requested: { title: 'Acme', settings: { threads_ui_visibility: 'OWNERS', usage_dashboard_visibility: 'ANY_ROLE' } } });
    const u2 = ev('o2', 'organization.updated', 200, { id: 'org_1', changes_requested: { settings: { threads_ui_visibility: 'NONE' } } });
    const d = diffChanges(u2, [u2, u1]);
    assert.deepEqual(d?.rows.map((r) => r.field), ['settings.threads_ui_visibility']);
    const r = row(d, 'settings.threads_ui_visibility');
    assert.deepEqual(r.before, { kind: 'known', value: 'OWNERS', source: 'o1' });
    assert.deepEqual(r.after, { kind: 'known', value: 'NONE' });
    assert.equal(r.status, 'changed');
    // The diff editor's documents are nested again.
    assert.deepEqual(diffDocuments(d!), { before: { settings: { threads_ui_visibility: 'OWNERS' } }, after: { settings: { threads_ui_visibility: 'NONE' } } });
  });

  it('keeps untouched neighbours of a nested field and shows unknown ones as unknown', () => {
    const u1 = ev('o1', 'organization.updated', 100, { id: 'org_2', changes_requested: { settings: { a: 1 } } });
    const u2 = ev('o2', 'organization.updated', 200, { id: 'org_2', changes_requested: { settings: { b: 2 } } });
    const u3 = ev('o3', 'organization.updated', 300, { id: 'org_2', changes_requested: { settings: { a: 3, b: 4, c: 5 } } });
    const d = diffChanges(u3, [u3, u2, u1]);
    assert.deepEqual(row(d, 'settings.a').before, { kind: 'known', value: 1, source: 'o1' });
    assert.deepEqual(row(d, 'settings.b').before, { kind: 'known', value: 2, source: 'o2' });
    assert.deepEqual(row(d, 'settings.c').before, { kind: 'unknown' });
    assert.deepEqual(diffDocuments(d!).before, { settings: { a: 1, b: 2, c: UNKNOWN_BEFORE_TEXT } });
  });

  it('diffs role metadata next to permission additions and removals', () => {
    const c = ev('r1', 'role.created', 100, { id: 'role_m', role_name: 'Tuners', permissions: ['api.fine_tuning.jobs.read'], metadata: { ticket: 'SEC-1' } });
    const u = ev('r2', 'role.updated', 200, {
      id: 'role_m',
      changes_requested: { metadata: { ticket: 'SEC-1423', owner: 'ml-platform' }, permissions_added: ['api.batch.write'], permissions_removed: ['api.fine_tuning.jobs.read'] },
    });
    const d = diffChanges(u, [u, c]);
    assert.deepEqual(row(d, 'metadata.ticket').before, { kind: 'known', value: 'SEC-1', source: 'r1' });
    assert.deepEqual(row(d, 'metadata.owner').before, { kind: 'unset', source: 'r1' });
    assert.equal(row(d, 'metadata.owner').status, 'set');
    assert.deepEqual(row(d, 'permissions').after, { kind: 'known', value: ['api.batch.write'] });
  });

  it('applies element operations inside a nested object (settings.allowed_models_added)', () => {
    const c = ev('p1', 'thing.created', 100, { id: 't1', data: { settings: { allowed_models: ['a'] } } });
    const u = ev('p2', 'thing.updated', 200, { id: 't1', changes_requested: { settings: { allowed_models_added: ['b'] } } });
    const r = row(diffChanges(u, [u, c]), 'settings.allowed_models');
    assert.deepEqual(r.before, { kind: 'known', value: ['a'], source: 'p1' });
    assert.deepEqual(r.after, { kind: 'known', value: ['a', 'b'] });
  });

  it('replaces a whole object set to null, and an object set where there was a plain value', () => {
    const c = ev('n1', 'thing.created', 100, { id: 't2', data: { settings: { a: 1, b: 2 }, extra: null } });
    const u1 = ev('n2', 'thing.updated', 200, { id: 't2', changes_requested: { settings: null, extra: { x: 1 } } });
    const d1 = diffChanges(u1, [u1, c]);
    assert.deepEqual(row(d1, 'settings').before, { kind: 'known', value: { a: 1, b: 2 }, source: 'n1' });
    assert.deepEqual(row(d1, 'settings').after, { kind: 'known', value: null });
    const u2 = ev('n3', 'thing.updated', 300, { id: 't2', changes_requested: { settings: { a: 5 } } });
    const d2 = diffChanges(u2, [u2, u1, c]);
    // settings.a was forgotten when settings became null: not set since then.
    assert.deepEqual(row(d2, 'settings.a').before, { kind: 'unset', source: 'n1' });
    const h = resourceHistory('t2', [u2, u1, c]);
    assert.deepEqual(h.entries.map((e) => e.stateAfter), [
      { settings: { a: 1, b: 2 }, extra: null },
      { settings: null, extra: { x: 1 } },
      { settings: { a: 5 }, extra: { x: 1 } },
    ]);
  });

  it('names hostile keys unambiguously: a dotted key is not a nested path', () => {
    const u1 = ev('h1', 'thing.updated', 100, { id: 't3', changes_requested: { 'a.b': 'flat', a: { b: 'nested' } } });
    const u2 = ev('h2', 'thing.updated', 200, { id: 't3', changes_requested: { a: { b: 'nested 2' } } });
    const d = diffChanges(u2, [u2, u1]);
    assert.deepEqual(d?.rows.map((r) => r.field), ['a.b']);
    assert.deepEqual(row(d, 'a.b').before, { kind: 'known', value: 'nested', source: 'h1' });
    assert.deepEqual(diffChanges(u1, [u1])?.rows.map((r) => r.field), ['"a.b"', 'a.b']);
    for (const path of [['a', 'b'], ['a.b'], ['', 'x'], ['"q"', 'y.z', 'w'], ['__proto__', 'polluted'], ['x\\"', '.']]) {
      assert.deepEqual(fieldPath(fieldKey(path)), path, JSON.stringify(path));
    }
  });

  it('stops walking at a depth limit and compares deeper objects whole', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { n: deep };
    const u = ev('d1', 'thing.updated', 100, { id: 't4', changes_requested: deep });
    const d = diffChanges(u, [u]);
    assert.equal(d?.rows.length, 1);
    assert.equal(fieldPath(d!.rows[0].field).length, 8);
  });
});
