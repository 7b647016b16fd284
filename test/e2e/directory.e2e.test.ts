/**
 * Names, not ids (issue 15), as a user sees them in the real browser: after *Refresh Directory* the Events
 * tree (grouped by actor) shows a service account's name where it showed its id, and the details panel
 * lists the names of the event's ids, each marked "now" beside its id, a hostile name as text. The fake
 * API runs in this (mocha) process on 127.0.0.1 and serves a hand-made directory.
 */
import * as assert from 'node:assert/strict';
import type { LoopbackDirectoryData } from '../../src/core/sample/loopbackDirectory';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { activityBarItem, coverageRow, eventPanel, groupRows, openEventFromPalette, openWorkbench, runFromPalette, type WorkbenchSession } from './harness';

const KEY = 'sk-admin-e2e-directory-0123456789abcdef';
const T0 = 1_750_000_000;
const SA = 'svc_acct_e2e0123456789abcdef';
const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">';
const keyActor = { type: 'api_key', api_key: { id: 'key_e2eci', type: 'service_account', service_account: { id: SA } } };
const EVENTS = [
  { id: 'audit_log-dir-1', type: 'project.updated', effective_at: T0, actor: keyActor, project: { id: 'proj_e2e' }, 'project.updated': { id: 'proj_e2e', changes_requested: { title: 'Atlas' } } },
  { id: 'audit_log-dir-2', type: 'api_key.created', effective_at: T0 + 60, actor: keyActor, project: { id: 'proj_e2e' }, 'api_key.created': { id: 'key_e2enew', data: { scopes: [] } } },
];

const DIRECTORY: LoopbackDirectoryData = {
  users: [{ object: 'organization.user', id: 'user-e2e', name: 'Grace Hopper', email: 'grace@example.com', role: 'owner', added_at: T0 - 86_400 }],
  invites: [],
  groups: [],
  groupUsers: {},
  roles: [],
  projects: [{ object: 'organization.project', id: 'proj_e2e', name: HOSTILE, created_at: T0 - 86_400, archived_at: null, status: 'active' }],
  projectRoles: {},
  projectUsers: {},
  serviceAccounts: { proj_e2e: [{ object: 'organization.project.service_account', id: SA, name: 'ci-deployer', role: 'member', created_at: T0 - 86_400 }] },
  apiKeys: {
    proj_e2e: [
      { object: 'organization.project.api_key', id: 'key_e2eci', name: 'ci key', redacted_value: 'sk-proj-****ab12', created_at: T0 - 86_400, last_used_at: T0 + 60, owner: { type: 'service_account', service_account: { id: SA, name: 'ci-deployer' } } },
    ],
  },
  adminApiKeys: [],
};

describe('e2e: directory names', function () {
  this.timeout(180_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;

  before(async () => {
    server = await startFakeAuditLogServer({ events: EVENTS, apiKey: KEY, directory: DIRECTORY });
    session = await openWorkbench({
      userSettings: { 'openaiAuditLogs.apiBaseUrl': server.url, 'openaiAuditLogs.groupBy': 'actor' },
      env: { OPENAI_ADMIN_KEY: KEY },
    });
    await activityBarItem(session.page).click();
    await coverageRow(session.page.locator('.sidebar')).filter({ hasText: `${EVENTS.length} events · complete` }).waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('the tree shows the service account\'s name in place of its id once the directory is read', async () => {
    const { page } = session;
    const sidebar = page.locator('.sidebar');
    await groupRows(sidebar).filter({ hasText: SA }).first().waitFor({ timeout: 60_000 });
    assert.equal(server.requests.filter((r) => r.path.startsWith('/v1/organization/projects')).length, 0, 'no directory read before it is asked for');
    await runFromPalette(page, 'Refresh Directory');
    const named = groupRows(sidebar).filter({ hasText: 'ci-deployer (now)' }).first();
    await named.waitFor({ timeout: 60_000 });
    assert.equal(await groupRows(sidebar).filter({ hasText: SA }).count(), 0, 'the id is no longer the row\'s label');
  });

  it('the details panel lists the names of the event\'s ids, marked now, beside the ids; a hostile name is text', async () => {
    const { page } = session;
    await openEventFromPalette(page, 'audit_log-dir-1');
    const names = eventPanel(page).locator('[data-fact="names"] .directory-name');
    await names.first().waitFor({ timeout: 60_000 });
    const read = await names.evaluateAll((spans) => spans.map((s) => ({ text: s.firstChild?.textContent, now: !!s.querySelector('.name-now'), id: s.querySelector('.name-id')?.textContent })));
    assert.deepEqual(read, [
      { text: 'ci key', now: true, id: 'key_e2eci' },
      { text: 'ci-deployer', now: true, id: SA },
      { text: HOSTILE, now: true, id: 'proj_e2e' },
    ]);
    const pwned = await eventPanel(page).locator('body').evaluate((b) => (b as HTMLElement).dataset.pwned ?? null);
    assert.equal(pwned, null, 'the hostile name ran nothing');
    assert.equal(await eventPanel(page).locator('[data-fact="names"] img').count(), 0);
  });
});
