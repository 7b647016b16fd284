/**
 * Names, not ids (issue 15), as a user sees them in the real browser: after *Refresh Directory* the Events
 * tree (grouped by actor) shows a service account's name where it showed its id, and the details panel
 * lists the names of the event's ids, each marked "now" beside its id, a hostile name as text. The fake
 * API runs in this (mocha) process on 127.0.0.1 and serves a hand-made directory.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoopbackDirectoryData } from '../../src/core/sample/loopbackDirectory';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
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
  invites: [{ object: 'organization.invite', id: 'invite-e2eold', email: 'late@example.com', role: 'reader', status: 'pending', invited_at: Math.floor(Date.now() / 1000) - 10 * 86_400 }],
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
      // Nobody uses it: never in the events, its owner gone from the organization.
      { object: 'organization.project.api_key', id: 'key_e2eidle', name: 'forgotten key', redacted_value: 'sk-proj-****zz99', created_at: T0 - 86_400, last_used_at: null, owner: { type: 'user', user: { id: 'user-left', email: 'left@example.com' } } },
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

  it('the Directory view shows when it was read and flags the forgotten key, the owner and the stale invite', async () => {
    const { page } = session;
    const pane = (name: string) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: name }) });
    await page.keyboard.press('Escape');
    // Room for the Directory view: fold the views above it (a header is clicked at its twistie: the middle of
    // a view's header can hold its title buttons).
    for (const name of ['Events', 'Findings']) {
      const above = pane(name).locator('.pane-header').first();
      if ((await above.count()) > 0 && (await above.getAttribute('aria-expanded')) === 'true') await above.click({ position: { x: 8, y: 10 } });
    }
    const directory = pane('Directory');
    const header = directory.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click({ position: { x: 8, y: 10 } });
    await directory.locator('.monaco-list-row', { hasText: /^Read / }).first().waitFor({ timeout: 30_000 });
    const flagGroup = (title: string) => directory.locator('.monaco-list-row[aria-level="2"]', { hasText: title }).first();
    for (const [title, row] of [
      ['Keys never seen in the archive', 'forgotten key'],
      ['Keys whose owner is no longer a member', 'forgotten key'],
      ['Owners and admins', 'Grace Hopper'],
      ['Invites pending over 7 days', 'late@example.com'],
    ]) {
      await flagGroup(title!).click();
      await directory.locator('.monaco-list-row[aria-level="3"]', { hasText: row! }).first().waitFor({ timeout: 10_000 });
      await flagGroup(title!).click();
    }
    assert.equal(await flagGroup('Service accounts never seen').count(), 0, 'the service account acted in the events');
    // For review only.
    fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    await flagGroup('Keys never seen in the archive').click();
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'directory-view.png') });
  });
});
