/**
 * Two decisions of the details panel: which lists are shown open whatever
 * their depth (the short ones carrying the security fact), and the tab title
 * that says which event a panel shows, as one safe line.
 */
import * as assert from 'node:assert/strict';
import type { AuditEvent } from '../../../src/core/model';
import { panelTitle } from '../../../src/webviews/eventDetails/panelTitle';
import { isShortScalarList, SHORT_LIST_MAX_ITEMS } from '../../../src/webviews/eventDetails/valueShape';

const ada = { type: 'session', session: { user: { id: 'user_ada', email: 'ada@example.com' } } };
const ev = (type: string, detail: unknown, extra: Partial<AuditEvent> = {}): AuditEvent => ({ id: 'audit_log-1', type, effective_at: 1, actor: ada, [type]: detail, ...extra });

describe('event details: short lists open, tab titles', () => {
  it('shows a few short scalars open (scopes, permissions), folds long lists and lists of objects', () => {
    assert.equal(isShortScalarList(['api.model.read', 'api.files.write']), true);
    assert.equal(isShortScalarList(Array.from({ length: SHORT_LIST_MAX_ITEMS }, (_, i) => `p${i}`)), true);
    assert.equal(isShortScalarList([1, true, null]), true);
    assert.equal(isShortScalarList(Array.from({ length: SHORT_LIST_MAX_ITEMS + 1 }, (_, i) => `p${i}`)), false);
    assert.equal(isShortScalarList([{ id: 'x' }]), false);
    assert.equal(isShortScalarList([['a']]), false);
    assert.equal(isShortScalarList(['x'.repeat(500)]), false);
    assert.equal(isShortScalarList([]), false);
    assert.equal(isShortScalarList('abc'), false);
  });

  it('names the resource by its name, else its id, else the actor', () => {
    assert.equal(panelTitle(ev('project.created', { id: 'proj_1', data: { name: 'atlas', title: 'Atlas' } })), 'project.created · Atlas');
    assert.equal(panelTitle(ev('project.updated', { id: 'proj_1', changes_requested: { title: 'Atlas Two' } })), 'project.updated · Atlas Two');
    assert.equal(panelTitle(ev('role.created', { id: 'role_1', role_name: 'Ops', permissions: ['a'] })), 'role.created · Ops');
    assert.equal(panelTitle(ev('api_key.deleted', { id: 'key_abc' })), 'api_key.deleted · key_abc');
    assert.equal(panelTitle(ev('login.succeeded', {})), 'login.succeeded · ada@example.com');
    assert.equal(panelTitle({ id: 'x', type: 'login.failed', effective_at: 1 }), 'login.failed');
    // Two deletions of different keys no longer share a title.
    assert.notEqual(panelTitle(ev('api_key.deleted', { id: 'key_a' })), panelTitle(ev('api_key.deleted', { id: 'key_b' })));
  });

  it('is one short safe line whatever the event holds', () => {
    const hostile = panelTitle(ev('project.created\u202E', { id: 'proj_1', data: { title: `evil\u202Etxt.exe\n\u200Bline two ${'x'.repeat(500)}` } }));
    assert.ok(![...hostile].some((c) => c.charCodeAt(0) < 0x20 || /[\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/.test(c)), hostile);
    assert.ok([...hostile].length <= 40 + 3 + 32, hostile);
    assert.match(hostile, /^project\.created · eviltxt\.exe line two x+…$/);
    // A name made only of invisible characters is no name: the id stands in.
    assert.equal(panelTitle(ev('project.created', { id: 'proj_1', data: { title: '\u202E\u200B' } })), 'project.created · proj_1');
    assert.equal(panelTitle({ id: 'x', type: 7 as unknown as string, effective_at: 1 }), '');
  });
});
