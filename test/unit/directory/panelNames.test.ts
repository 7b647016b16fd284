/**
 * The details panel's view of an event carries the directory's names of its ids (issue 15), valid for the
 * page's protocol; the event's own project name wins; the history names a key actor. Nothing is joined
 * without a directory.
 */
import assert from 'node:assert/strict';
import { DirectoryNames, EMPTY_DIRECTORY, setCurrentDirectoryNames } from '../../../src/core/directory';
import { parseAuditEvent } from '../../../src/core/model';
import { EventViewSchema } from '../../../src/webviews/eventDetails/protocol';
import { historyView, toEventView } from '../../../src/webviews/eventDetails/viewModel';

const names = new DirectoryNames({
  ...EMPTY_DIRECTORY,
  readAt: 1,
  projects: [{ id: 'proj_a', name: 'Atlas <img src=x onerror=alert(1)>', status: 'active' }],
  serviceAccounts: [{ id: 'svc_acct_ci', name: 'ci-deployer', projectId: 'proj_a', role: 'member' }],
  apiKeys: [{ id: 'key_ci', name: 'ci key', redactedValue: 'sk-proj-****ab12', projectId: 'proj_a', owner: { type: 'service_account', id: 'svc_acct_ci' } }],
});

const parsed = parseAuditEvent(
  JSON.stringify({
    id: 'audit_log-p1',
    type: 'project.updated',
    effective_at: 1_790_000_000,
    project: { id: 'proj_a' },
    actor: { type: 'api_key', api_key: { id: 'key_ci', type: 'service_account', service_account: { id: 'svc_acct_ci' } } },
    'project.updated': { id: 'proj_a', changes_requested: { title: 'Atlas' } },
  }),
);

describe('directory: names in the details panel', () => {
  afterEach(() => setCurrentDirectoryNames(DirectoryNames.EMPTY));

  it('the view carries each joined name with its id and the "now" mark, and passes the page protocol', () => {
    const view = toEventView(parsed, names);
    assert.deepEqual(view.names, [
      { id: 'key_ci', role: 'apiKey', name: 'ci key', detail: 'sk-proj-****ab12', now: true },
      { id: 'svc_acct_ci', role: 'serviceAccount', name: 'ci-deployer', now: true },
      { id: 'proj_a', role: 'project', name: 'Atlas <img src=x onerror=alert(1)>', now: true },
    ]);
    assert.deepEqual(EventViewSchema.parse(view).names, view.names);
    assert.equal(view.actor.serviceAccountId, 'svc_acct_ci', 'the ids stay as they are');
  });

  it('reads the current directory by default; none: no names', () => {
    assert.equal(toEventView(parsed).names, undefined);
    setCurrentDirectoryNames(names);
    assert.equal(toEventView(parsed).names?.length, 3);
  });

  it('the event\'s own project name wins over the directory\'s', () => {
    const own = parseAuditEvent(JSON.stringify({ id: 'audit_log-p2', type: 'x', effective_at: 1, project: { id: 'proj_a', name: 'Atlas' } }));
    assert.equal(toEventView(own, names).names, undefined);
  });

  it('the history names a service account actor in place of its id', () => {
    setCurrentDirectoryNames(names);
    const view = historyView({ resourceId: 'proj_a', fromCreation: false, entries: [{ event: parsed.event, role: 'update', changedFields: ['title'], stateAfter: {} }] } as never, 'audit_log-p1', false);
    assert.equal(view.state === 'ready' && view.entries[0]!.actor, 'ci-deployer (now)');
  });
});
