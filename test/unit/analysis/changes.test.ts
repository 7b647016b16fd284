import * as assert from 'node:assert/strict';
import {
  diffChanges,
  diffDocuments,
  eventRole,
  foldState,
  stateChangeOf,
  UNKNOWN_BEFORE_TEXT,
  type ChangeDiff,
  type FieldDiff,
} from '../../../src/core/analysis/changes';
import type { AuditEvent } from '../../../src/core/model';

let seq = 0;
function ev(type: string, t: number, detail: Record<string, unknown> | undefined, id = `audit_log-${++seq}`): AuditEvent {
  const e: AuditEvent = { id, type, effective_at: t, actor: { type: 'session' } };
  if (detail) e[type] = detail;
  return e;
}

function row(diff: ChangeDiff | undefined, field: string): FieldDiff {
  assert.ok(diff, 'expected a diff');
  const r = diff.rows.find((x) => x.field === field);
  assert.ok(r, `no row for ${field}`);
  return r;
}

describe('change reconstruction', () => {
  describe('created → updated → updated chains', () => {
    const created = ev('project.created', 100, { id: 'proj_1', data: { name: 'atlas', title: 'Atlas' } });
    const renamed = ev('project.updated', 200, { id: 'proj_1', changes_requested: { title: 'Atlas v2' } });
    const renamedAgain = ev('project.updated', 300, { id: 'proj_1', changes_requested: { title: 'Atlas Prime' } });
    const all = [renamedAgain, renamed, created]; // the API's order: newest first

    it('takes the first rename\'s before from the creation data', () => {
      const r = row(diffChanges(renamed, all), 'title');
      assert.deepEqual(r.before, { kind: 'known', value: 'Atlas', source: created.id });
      assert.deepEqual(r.after, { kind: 'known', value: 'Atlas v2' });
      assert.equal(r.status, 'changed');
    });

    it('takes the second rename\'s before from the first rename, ignoring later events', () => {
      const d = diffChanges(renamedAgain, all);
      const r = row(d, 'title');
      assert.deepEqual(r.before, { kind: 'known', value: 'Atlas v2', source: renamed.id });
      assert.deepEqual(r.after, { kind: 'known', value: 'Atlas Prime' });
      assert.equal(d?.fromCreation, true);
      assert.deepEqual(d?.basedOn, [created.id, renamed.id]);
      // the first rename sees neither itself nor the later one
      assert.deepEqual(diffChanges(renamed, all)?.basedOn, [created.id]);
    });

    it('ignores events of other resources', () => {
      const other = ev('project.updated', 250, { id: 'proj_2', changes_requested: { title: 'Other' } });
      assert.equal(row(diffChanges(renamedAgain, [other, ...all]), 'title').before.kind === 'known', true);
      assert.deepEqual((row(diffChanges(renamedAgain, [other, ...all]), 'title').before as { value: unknown }).value, 'Atlas v2');
    });

    it('reports an update that sets the same value as unchanged', () => {
      const same = ev('project.updated', 400, { id: 'proj_1', changes_requested: { title: 'Atlas Prime' } });
      assert.equal(row(diffChanges(same, [same, ...all]), 'title').status, 'unchanged');
    });

    it('orders equal timestamps as the API lists them (later in the list = older)', () => {
      const a = ev('project.updated', 500, { id: 'proj_9', changes_requested: { title: 'first' } });
      const b = ev('project.updated', 500, { id: 'proj_9', changes_requested: { title: 'second' } });
      const state = foldState([b, a]);
      assert.deepEqual(state.fields.get('title'), { kind: 'known', value: 'second', source: b.id });
    });
  });

  describe('the retained history', () => {
    it('shows a field never seen, of a resource created before the history, as unknown — never a guess', () => {
      const upd = ev('organization.updated', 300, { id: 'org_1', changes_requested: { title: 'Acme' } });
      const d = diffChanges(upd, [upd]);
      const r = row(d, 'title');
      assert.deepEqual(r.before, { kind: 'unknown' });
      assert.equal(r.status, 'unknown-before');
      assert.equal(d?.fromCreation, false);
      assert.equal(diffDocuments(d!).before['title'], UNKNOWN_BEFORE_TEXT);
    });

    it('knows a field set by an earlier update even without the creation, and not its neighbours', () => {
      const u1 = ev('organization.updated', 100, { id: 'org_1', changes_requested: { title: 'Acme' } });
      const u2 = ev('organization.updated', 200, { id: 'org_1', changes_requested: { title: 'Acme Inc', description: 'Widgets' } });
      const d = diffChanges(u2, [u2, u1]);
      assert.deepEqual(row(d, 'title').before, { kind: 'known', value: 'Acme', source: u1.id });
      assert.deepEqual(row(d, 'description').before, { kind: 'unknown' });
    });

    it('marks a field absent from the creation payload as unset, not unknown', () => {
      const c = ev('project.created', 100, { id: 'proj_3', data: { name: 'x' } });
      const u = ev('project.updated', 200, { id: 'proj_3', changes_requested: { title: 'New' } });
      const r = row(diffChanges(u, [u, c]), 'title');
      assert.deepEqual(r.before, { kind: 'unset', source: c.id });
      assert.equal(r.status, 'set');
      assert.ok(!('title' in diffDocuments(diffChanges(u, [u, c])!).before));
    });

    it('takes fields of creations without `data` from the detail itself (role.created)', () => {
      const c = ev('role.created', 100, { id: 'role_1', role_name: 'Reader', permissions: ['a'] });
      const u = ev('role.updated', 200, { id: 'role_1', changes_requested: { role_name: 'Viewer' } });
      assert.deepEqual(row(diffChanges(u, [u, c]), 'role_name').before, { kind: 'known', value: 'Reader', source: c.id });
    });
  });

  describe('arrays', () => {
    it('applies permissions_added / permissions_removed to the known permissions, element by element', () => {
      const c = ev('role.created', 100, { id: 'role_2', role_name: 'Ops', permissions: ['read', 'write'] });
      const u = ev('role.updated', 200, { id: 'role_2', changes_requested: { permissions_added: ['admin'], permissions_removed: ['write'] } });
      const r = row(diffChanges(u, [u, c]), 'permissions');
      assert.deepEqual(r.before, { kind: 'known', value: ['read', 'write'], source: c.id });
      assert.deepEqual(r.after, { kind: 'known', value: ['read', 'admin'] });
      assert.deepEqual(r.elements, [
        { value: 'read', status: 'kept' },
        { value: 'write', status: 'removed' },
        { value: 'admin', status: 'added' },
      ]);
      assert.equal(r.status, 'changed');
    });

    it('chains element operations across updates', () => {
      const c = ev('role.created', 100, { id: 'role_3', permissions: ['a'] });
      const u1 = ev('role.updated', 200, { id: 'role_3', changes_requested: { permissions_added: ['b'] } });
      const u2 = ev('role.updated', 300, { id: 'role_3', changes_requested: { permissions_removed: ['a'] } });
      const r = row(diffChanges(u2, [u2, u1, c]), 'permissions');
      assert.deepEqual(r.before, { kind: 'known', value: ['a', 'b'], source: u1.id });
      assert.deepEqual(r.after, { kind: 'known', value: ['b'] });
    });

    it('shows only the additions and removals when the starting array is outside the history', () => {
      const u = ev('role.updated', 200, { id: 'role_4', changes_requested: { permissions_added: ['x'], permissions_removed: ['y'] } });
      const d = diffChanges(u, [u]);
      const r = row(d, 'permissions');
      assert.deepEqual(r.before, { kind: 'unknown' });
      assert.deepEqual(r.after, { kind: 'unknown' });
      assert.deepEqual(r.elements, [
        { value: 'y', status: 'removed' },
        { value: 'x', status: 'added' },
      ]);
      const docs = diffDocuments(d!);
      assert.equal(docs.before['permissions'], UNKNOWN_BEFORE_TEXT);
      assert.deepEqual(docs.after['permissions'], { [UNKNOWN_BEFORE_TEXT]: true, added: ['x'], removed: ['y'] });
    });

    it('diffs a whole-array replacement by element (api_key scopes)', () => {
      const c = ev('api_key.created', 100, { id: 'key_1', data: { scopes: ['api.model.read', 'api.files.read'] } });
      const u = ev('api_key.updated', 200, { id: 'key_1', changes_requested: { scopes: ['api.model.read', 'api.model.request'] } });
      const r = row(diffChanges(u, [u, c]), 'scopes');
      assert.deepEqual(r.elements, [
        { value: 'api.model.read', status: 'kept' },
        { value: 'api.files.read', status: 'removed' },
        { value: 'api.model.request', status: 'added' },
      ]);
    });

    it('compares object elements by value, whatever their key order', () => {
      const c = ev('thing.created', 100, { id: 't', data: { items: [{ a: 1, b: 2 }] } });
      const u = ev('thing.updated', 200, { id: 't', changes_requested: { items: [{ b: 2, a: 1 }] } });
      assert.equal(row(diffChanges(u, [u, c]), 'items').status, 'unchanged');
    });
  });

  describe('event types', () => {
    it('handles unknown, newer event types by their verb', () => {
      const c = ev('widget.created', 100, { id: 'w1', data: { colour: 'red', size: 3 } });
      const u = ev('widget.updated', 200, { id: 'w1', changes_requested: { colour: 'blue' } });
      const r = row(diffChanges(u, [u, c]), 'colour');
      assert.deepEqual(r.before, { kind: 'known', value: 'red', source: c.id });
      assert.deepEqual(r.after, { kind: 'known', value: 'blue' });
    });

    it('uses the detail fields of updates without changes_requested (ip_allowlist.updated)', () => {
      const c = ev('ip_allowlist.created', 100, { id: 'ipl_1', name: 'office', allowed_ips: ['10.0.0.0/8'] });
      const u = ev('ip_allowlist.updated', 200, { id: 'ipl_1', allowed_ips: ['10.0.0.0/8', '192.168.0.0/16'] });
      const r = row(diffChanges(u, [u, c]), 'allowed_ips');
      assert.deepEqual(r.elements?.map((e) => e.status), ['kept', 'added']);
    });

    it('has no diff for events that change nothing (deletions, logins, unknown verbs, missing detail)', () => {
      assert.equal(diffChanges(ev('project.deleted', 1, { id: 'p' }), []), undefined);
      assert.equal(diffChanges(ev('login.succeeded', 1, {}), []), undefined);
      assert.equal(diffChanges(ev('tenant.thing.frobnicated', 1, { id: 'z', x: 1 }), []), undefined);
      assert.equal(diffChanges(ev('project.updated', 1, undefined), []), undefined);
      assert.equal(diffChanges(ev('project.updated', 1, { id: 'p', changes_requested: {} }), []), undefined);
    });

    it('still diffs an update without a resource id, with every before unknown', () => {
      const d = diffChanges(ev('organization.updated', 1, { changes_requested: { name: 'n' } }), []);
      assert.equal(d?.resourceId, undefined);
      assert.deepEqual(row(d, 'name').before, { kind: 'unknown' });
    });

    it('classifies verbs', () => {
      assert.equal(eventRole('user.added'), 'created');
      assert.equal(eventRole('invite.sent'), 'created');
      assert.equal(eventRole('tenant.api_organization_invite.upserted'), 'updated');
      assert.equal(eventRole('user.deleted'), 'deleted');
      assert.equal(eventRole('project.archived'), 'other');
      assert.deepEqual(stateChangeOf(ev('user.added', 1, { id: 'u', data: { role: 'owner' } })).set, { role: 'owner' });
    });

    it('survives hostile payloads: non-object details, a `__proto__` field, non-array ops', () => {
      const weird = ev('project.updated', 2, { id: 'p', changes_requested: JSON.parse('{"__proto__": {"polluted": true}, "tags_added": "nope"}') });
      const d = diffChanges(weird, []);
      assert.ok(d);
      assert.deepEqual(d.rows.map((r) => r.field).sort(), ['__proto__.polluted', 'tags_added']);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      const odd: AuditEvent = { id: 'x', type: 'project.updated', effective_at: 1, 'project.updated': 'a string' };
      assert.equal(diffChanges(odd, []), undefined);
    });
  });
});
