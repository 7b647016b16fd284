/**
 * The event details panel as a user sees it, in the real browser: the
 * before/after of a two-step rename, Copy JSON equal to what the server sent,
 * and a hostile project name rendered as text with no request leaving the page.
 * The fake API runs in this (mocha) process on 127.0.0.1; the key reaches the
 * extension host through OPENAI_ADMIN_KEY, and the view syncs the archive
 * (the default), so earlier states come from the archive.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, clipboardWhen, coverageRow, openWorkbench, runFromPalette, type WorkbenchSession, eventPanel, openEventFromPalette } from './harness';

const KEY = 'sk-admin-e2e-details-0123456789abcdef';
const T0 = 1_750_000_000;
const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">';
const actor = { type: 'session', session: { user: { id: 'user_ada', email: 'ada@example.com' }, ip_address: '203.0.113.7' } };

const EVENTS = [
  { id: 'audit_log-atlas-1', type: 'project.created', effective_at: T0, actor, project: { id: 'proj_atlas', name: 'Atlas' }, 'project.created': { id: 'proj_atlas', data: { name: 'atlas', title: 'Atlas' } } },
  { id: 'audit_log-atlas-2', type: 'project.updated', effective_at: T0 + 3600, actor, project: { id: 'proj_atlas', name: 'Atlas Two' }, 'project.updated': { id: 'proj_atlas', changes_requested: { title: 'Atlas Two' } } },
  { id: 'audit_log-atlas-3', type: 'project.updated', effective_at: T0 + 7200, actor, project: { id: 'proj_atlas', name: 'Atlas Prime' }, 'project.updated': { id: 'proj_atlas', changes_requested: { title: 'Atlas Prime' } } },
  {
    id: 'audit_log-hostile',
    type: 'login.failed',
    effective_at: T0 + 9000,
    actor: { type: 'session', session: { user: { id: 'user_eve', email: '<script>alert(1)</script>@example.com' }, ip_address: '198.51.100.9' } },
    project: { id: 'proj_evil', name: HOSTILE },
    'login.failed': { error_code: 'invalid_password', error_message: HOSTILE },
  },
  {
    // A large payload: 6,000 addresses and a 300 KB string.
    id: 'audit_log-large',
    type: 'ip_allowlist.updated',
    effective_at: T0 + 9500,
    actor,
    'ip_allowlist.updated': {
      id: 'ipl_big',
      allowed_ips: Array.from({ length: 6000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`),
      note: 'n'.repeat(300_000),
    },
  },
];

const panel = eventPanel;

describe('e2e: event details', function () {
  this.timeout(180_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;

  before(async () => {
    server = await startFakeAuditLogServer({ events: EVENTS, apiKey: KEY });
    session = await openWorkbench({
      userSettings: { 'openaiAuditLogs.apiBaseUrl': server.url },
      env: { OPENAI_ADMIN_KEY: KEY },
    });
    // The Events view syncs the archive with the key from the environment; wait until it is complete, so
    // what the panel reads (the archive or the API) does not depend on timing.
    await activityBarItem(session.page).click();
    const coverage = coverageRow(session.page.locator('.sidebar'));
    await coverage.filter({ hasText: `${EVENTS.length} events · complete` }).waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('shows the second rename with before = the first new title and after = the second', async () => {
    const { page } = session;
    await openEventFromPalette(page, 'audit_log-atlas-3');
    const title = panel(page).locator('table.diff tr[data-field="title"]');
    await title.waitFor({ timeout: 60_000 });
    assert.equal((await title.locator('td.before').innerText()).trim(), 'Atlas Two');
    assert.equal((await title.locator('td.after').innerText()).trim(), 'Atlas Prime');
    assert.equal((await panel(page).locator('h1.type').innerText()).trim(), 'project.updated');
    assert.equal((await panel(page).locator('.event-id').innerText()).trim(), 'audit_log-atlas-3');
    // The earlier state came from the archive, which the sync made complete from the beginning: no
    // request by resource id (test/integration/details.test.ts covers the API path, without the archive).
    assert.deepEqual(server.requests.filter((r) => r.query['resource_ids[]']), []);
    // For review only: the README's docs/images/event-diff.png comes from detailsGallery.e2e.test.ts.
    const out = path.join(REPO_ROOT, 'test-results');
    fs.mkdirSync(out, { recursive: true });
    await page.screenshot({ path: path.join(out, 'event-diff-rename.png') });
  });

  it('copies exactly the event the server sent', async () => {
    const { page } = session;
    await panel(page).getByRole('button', { name: 'Copy JSON' }).click();
    const text = await clipboardWhen(page, 'the copied event JSON', (t) => t.includes('audit_log-atlas-3'));
    assert.deepEqual(JSON.parse(text), EVENTS[2]);
  });

  it('shows the history of the renamed project, oldest first: the creation\'s state, then each rename as before → after', async () => {
    const { page } = session;
    assert.equal((await panel(page).locator('.event-id').innerText()).trim(), 'audit_log-atlas-3');
    await panel(page).getByRole('button', { name: 'History of this resource' }).click();
    const entries = panel(page).locator('#history ol.timeline > li');
    await entries.nth(2).waitFor({ timeout: 60_000 });
    assert.equal(await entries.count(), 3);
    const read = await entries.evaluateAll((items) =>
      items.map((li) => ({
        id: (li as HTMLElement).dataset.eventId,
        type: li.querySelector('.entry-type')?.textContent,
        state: Object.fromEntries(
          [...li.querySelectorAll('.state-after table.kv > tbody > tr')].map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
        ),
        steps: [...li.querySelectorAll('table.diff.step > tbody > tr')].map((tr) =>
          [tr.querySelector('.field-name'), tr.querySelector('td.before'), tr.querySelector('td.after')].map((n) => n?.textContent?.trim()),
        ),
      })),
    );
    // An update's state after is folded (its steps say what changed); the creation's is open.
    assert.deepEqual(read, [
      { id: 'audit_log-atlas-1', type: 'project.created', state: { name: 'atlas', title: 'Atlas' }, steps: [] },
      { id: 'audit_log-atlas-2', type: 'project.updated', state: {}, steps: [['title', 'Atlas', 'Atlas Two']] },
      { id: 'audit_log-atlas-3', type: 'project.updated (this event)', state: {}, steps: [['title', 'Atlas Two', 'Atlas Prime']] },
    ]);
    // Above the details, and in view.
    const order = await panel(page).locator('#app > section').evaluateAll((sections) => sections.map((s) => s.id));
    assert.deepEqual(order.slice(0, 3), ['changes', 'history', 'detail']);
    const inView = await panel(page).locator('#history h2').evaluate((h) => {
      const r = h.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.equal(inView, true, 'the history heading is scrolled into view');
    // Another entry opens its event in the panel.
    await entries.nth(1).getByRole('button', { name: 'project.updated' }).click();
    await panel(page).locator('.event-id', { hasText: 'audit_log-atlas-2' }).waitFor();
    const title = panel(page).locator('table.diff tr[data-field="title"]');
    await title.waitFor();
    assert.equal((await title.locator('td.before').innerText()).trim(), 'Atlas');
    assert.equal((await title.locator('td.after').innerText()).trim(), 'Atlas Two');
  });

  it('comes back after a reload showing the same event, fetched again by its id, time and type', async () => {
    const { page } = session;
    await openEventFromPalette(page, 'audit_log-atlas-3');
    await panel(page).locator('.event-id', { hasText: 'audit_log-atlas-3' }).waitFor({ timeout: 60_000 });
    const from = server.requests.length;
    // Reload the page the way VS Code does (it saves the open editors first;
    // a bare page.reload() may leave before the browser storage is written).
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runFromPalette(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // VS Code restores the editor through the panel serializer, which stored only ids.
    const id = panel(page).locator('.event-id');
    await id.waitFor({ timeout: 60_000 });
    assert.equal((await id.innerText()).trim(), 'audit_log-atlas-3');
    assert.equal((await panel(page).locator('h1.type').innerText()).trim(), 'project.updated');
    const refetch = server.requests.slice(from).find((r) => r.query['event_types[]']?.[0] === 'project.updated');
    assert.ok(refetch, 'the restored panel fetched its event again');
    assert.deepEqual(refetch.query['effective_at[gte]'], [String(T0 + 7200)]);
    assert.deepEqual(refetch.query['effective_at[lte]'], [String(T0 + 7200)]);
    // The diff is rebuilt too.
    const title = panel(page).locator('table.diff tr[data-field="title"]');
    await title.waitFor({ timeout: 60_000 });
    assert.equal((await title.locator('td.before').innerText()).trim(), 'Atlas Two');
  });

  it('renders a 6,000-element array and a 300 KB string on demand', async () => {
    const { page } = session;
    await openEventFromPalette(page, 'audit_log-large');
    const list = panel(page).locator('#detail .array').first();
    await list.waitFor({ timeout: 60_000 });
    // A first slice, with the count, and the rest on demand.
    assert.equal(await list.locator('li').count(), 100);
    const all = list.getByRole('button', { name: 'Show all 6,000' });
    await all.waitFor();
    const started = Date.now();
    await all.click();
    await list.locator('li').nth(5999).waitFor();
    console.log(`      (6,000 list items rendered on demand in ${Date.now() - started} ms)`);
    assert.equal(await list.locator('li').count(), 6000);
    // The long string is cut until asked for.
    await panel(page).locator('#detail').getByRole('button', { name: /show all 300,000 characters/ }).waitFor();
    // The page still answers: a button works.
    await panel(page).getByRole('button', { name: 'Copy ID' }).click();
  });

  it('renders a hostile project name as text, runs nothing and requests nothing', async () => {
    const { page, requests } = session;
    const from = requests.length;
    await openEventFromPalette(page, 'audit_log-hostile');
    const name = panel(page).locator('.project-name');
    await name.waitFor({ timeout: 60_000 });
    assert.equal(await name.textContent(), HOSTILE);
    assert.equal(await panel(page).locator('img').count(), 0);
    assert.equal(await panel(page).locator('body').getAttribute('data-pwned'), null);
    assert.ok((await panel(page).locator('body').innerText()).includes('<script>alert(1)</script>@example.com'));
    const serverHost = new URL(session.server.url).host;
    const after = requests.slice(from);
    const leaving = after.filter((u) => {
      const url = new URL(u);
      // Webview resources use a pseudo-host the service worker answers locally.
      return !(url.host === serverHost || url.host.endsWith('.vscode-cdn.net') || url.protocol === 'data:' || url.protocol === 'blob:');
    });
    assert.deepEqual(leaving, [], 'requests to other hosts');
    assert.deepEqual(after.filter((u) => /\/x(?:[?#]|$)/.test(new URL(u).pathname + new URL(u).search)), [], 'a request for "x"');
  });
});
