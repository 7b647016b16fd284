/**
 * The details panel is a place to pivot from: a click on the actor in the
 * header filters the Events view to that actor (the Filtered row and the
 * counts follow), a right-click on the resource offers its actions, and the
 * keyboard (Shift+F10) opens the same menu on the IP (copy, then search).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, clipboardWhen, coverageRow, eventPanel, openEventFromPalette, openWorkbench, type WorkbenchSession } from './harness';

const KEY = 'sk-admin-e2e-pivot-0123456789abcdef';
const T0 = 1_750_000_000;
const ada = { type: 'session', session: { user: { id: 'user_ada', email: 'ada@example.com' }, ip_address: '203.0.113.7' } };
const bob = { type: 'session', session: { user: { id: 'user_bob', email: 'bob@example.com' }, ip_address: '198.51.100.4' } };

const EVENTS = [
  { id: 'audit_log-p1', type: 'api_key.created', effective_at: T0, actor: ada, 'api_key.created': { id: 'key_one', data: { scopes: ['api.model.read'] } } },
  { id: 'audit_log-p2', type: 'api_key.created', effective_at: T0 + 60, actor: bob, 'api_key.created': { id: 'key_two', data: { scopes: ['api.model.read'] } } },
  { id: 'audit_log-p3', type: 'login.succeeded', effective_at: T0 + 120, actor: bob, 'login.succeeded': {} },
  { id: 'audit_log-p4', type: 'api_key.deleted', effective_at: T0 + 180, actor: ada, 'api_key.deleted': { id: 'key_one' } },
];

describe('e2e: pivot from the event details panel', function () {
  this.timeout(180_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;

  before(async () => {
    server = await startFakeAuditLogServer({ events: EVENTS, apiKey: KEY });
    session = await openWorkbench({ userSettings: { 'openaiAuditLogs.apiBaseUrl': server.url }, env: { OPENAI_ADMIN_KEY: KEY } });
    await activityBarItem(session.page).click();
    await coverageRow(session.page.locator('.sidebar')).filter({ hasText: `${EVENTS.length} events · complete` }).waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('a click on the actor filters the Events view to that actor', async () => {
    const { page } = session;
    const sidebar = page.locator('.sidebar');
    await openEventFromPalette(page, 'audit_log-p4');
    const actor = eventPanel(page).locator('button.pivot[data-pivot="actor"]');
    await actor.waitFor({ timeout: 60_000 });
    assert.equal((await actor.innerText()).trim(), 'ada@example.com');
    await actor.click();

    const filtersRow = sidebar.locator('.monaco-list-row', { hasText: 'Filtered' }).first();
    await filtersRow.waitFor({ timeout: 60_000 });
    const description = `${await filtersRow.getAttribute('aria-label')} ${await filtersRow.innerText()}`;
    assert.match(description, /actor ada@example\.com/);
    // The counts follow: ada's two events, not the four of the log.
    await coverageRow(sidebar).filter({ hasText: /\b2 events\b/ }).waitFor({ timeout: 60_000 });
    fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'details-pivot.png') });
  });

  it('shows a new key\'s scopes open, and its tab names the key', async () => {
    const { page } = session;
    await openEventFromPalette(page, 'audit_log-p1');
    const panel = eventPanel(page);
    await panel.locator('h1.type', { hasText: 'api_key.created' }).waitFor({ timeout: 60_000 });
    // data.scopes sits two levels down: a short list of short strings is shown, not behind "▸ 1 item".
    await panel.locator('.detail .v-string', { hasText: 'api.model.read' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await panel.locator('.detail .toggle').count(), 0, 'nothing folded');
    await page.locator('.tabs-container .tab', { hasText: 'api_key.created · key_one' }).waitFor({ timeout: 10_000 });
    await openEventFromPalette(page, 'audit_log-p4');
    await page.locator('.tabs-container .tab', { hasText: 'api_key.deleted · key_one' }).waitFor({ timeout: 30_000 });
  });

  it('a right-click on the resource, and Shift+F10 on the IP, open the same actions', async () => {
    const { page } = session;
    const panel = eventPanel(page);
    const resource = panel.locator('button.pivot[data-pivot="resource"]');
    await resource.click({ button: 'right' });
    const menu = panel.locator('.pivot-menu[role="menu"]');
    await menu.waitFor();
    assert.deepEqual(await menu.locator('[role="menuitem"]').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.action)), ['filter', 'copy', 'search']);
    await menu.locator('[data-action="copy"]').click();
    assert.equal(await clipboardWhen(page, 'the resource id', (t) => t === 'key_one'), 'key_one');
    await menu.waitFor({ state: 'detached' });

    const ip = panel.locator('button.pivot[data-pivot="ip"]');
    await ip.focus();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    // The first item has focus; the arrow keys move to the next.
    assert.equal(await menu.locator('[data-action="filter"]').evaluate((b) => b === b.ownerDocument.activeElement), true, 'the first item has focus');
    await page.keyboard.press('ArrowDown');
    assert.equal(await menu.locator('[data-action="copy"]').evaluate((b) => b === b.ownerDocument.activeElement), true, 'ArrowDown moves to Copy');
    await page.keyboard.press('Enter');
    assert.equal(await clipboardWhen(page, 'the IP', (t) => t === '203.0.113.7'), '203.0.113.7');

    // Escape closes the menu and gives the focus back to the value.
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'details-pivot-menu.png') });
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await ip.evaluate((b) => b === b.ownerDocument.activeElement), true, 'the focus is back on the IP');

    // Search runs the search command with the IP as a query term; the view shows it on its Filtered row.
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const filtersRow = page.locator('.sidebar .monaco-list-row', { hasText: 'Filtered' }).first();
    await filtersRow.filter({ hasText: 'ip:203.0.113.7' }).waitFor({ timeout: 60_000 });
  });
});
