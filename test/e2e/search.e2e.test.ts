/**
 * Search as a user does it in a real browser: the Events view's Search… button opens the box, the query is
 * typed one key at a time and the live count follows, Enter shows the results in the view (the chip on the
 * Filtered row), and a result opens in the details panel from the box's newest matches.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, eventPanel, groupRows, openWorkbench, runFromPalette, type WorkbenchSession } from './harness';

const KEY = 'sk-admin-e2e-search-0123456789abcdef';

describe('e2e: search', function () {
  this.timeout(240_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;
  let events: Record<string, unknown>[];

  before(async () => {
    events = generateSampleOrganization({ seed: 17, eventCount: 300 }).events;
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    session = await openWorkbench({
      userSettings: { 'openaiAuditLogs.apiBaseUrl': server.url, 'openaiAuditLogs.timeDisplay': 'utc' },
      env: { OPENAI_ADMIN_KEY: KEY },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
      await session.page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'search-failure.png') }).catch(() => undefined);
    }
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('types a query and sees the live count, Enter filters the view, a result opens', async () => {
    const { page } = session;
    await activityBarItem(page).click();
    const sidebar = page.locator('.sidebar');
    await groupRows(sidebar).first().waitFor({ timeout: 90_000 });
    // Everything archived (the sync on open): the count row says complete.
    await sidebar.locator('.monaco-list-row', { hasText: `${events.length} events · complete` }).first().waitFor({ timeout: 90_000 });

    const type = 'login.failed';
    const matching = events.filter((e) => e['type'] === type).sort((a, b) => Number(b['effective_at']) - Number(a['effective_at']));
    assert.ok(matching.length > 1, 'the sample has failed logins');

    // The Events view's title button (its label carries the keybinding: "Search… (Ctrl+F)").
    const searchButton = () => sidebar.locator('.pane-header', { hasText: 'Events' }).locator('.action-label[aria-label^="Search…"]').first();
    await sidebar.hover();
    await searchButton().click();
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await input.waitFor();
    await input.pressSequentially(`type:${type}`, { delay: 20 });
    // The title counts as you type; the first row applies.
    await widget.locator('.quick-input-title', { hasText: `Search · ${matching.length} events` }).waitFor({ timeout: 30_000 });
    await widget.locator('.monaco-list-row', { hasText: `Show ${matching.length} events in the Events view` }).first().waitFor();
    // A wrong field says what and where, live.
    await input.pressSequentially(' acter:x');
    await widget.locator('.monaco-list-row', { hasText: 'unknown field "acter" at 1:' }).first().waitFor();
    for (let i = 0; i < ' acter:x'.length; i++) await page.keyboard.press('Backspace');
    await widget.locator('.quick-input-title', { hasText: `Search · ${matching.length} events` }).waitFor();
    await page.keyboard.press('Enter');

    // The view: the search as a chip on the Filtered row, the groups of the matches only.
    await sidebar.locator('.monaco-list-row', { hasText: `search "type:${type}"` }).first().waitFor({ timeout: 30_000 });
    await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: type }).first().waitFor();
    assert.equal(await groupRows(sidebar).filter({ hasNotText: type }).count(), 0, 'only the matching type is left');

    // A result: the box opens with the current search and lists the newest matches; a click opens one.
    await searchButton().click();
    await widget.locator('.quick-input-title', { hasText: `Search · ${matching.length} events` }).waitFor({ timeout: 30_000 });
    const newest = matching[0]!;
    const at = new Date(Number(newest['effective_at']) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    await widget.locator('.monaco-list-row', { hasText: `${at} UTC` }).first().click();
    await eventPanel(page).locator('body', { hasText: String(newest['id']) }).waitFor({ timeout: 60_000 });

    // Ctrl+F while the Events view has focus opens the same box.
    await runFromPalette(page, 'Focus on Events View');
    await page.locator('.sidebar .pane-body .monaco-list:focus-within').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+f');
    await widget.locator('.quick-input-title', { hasText: `Search · ${matching.length} events` }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
  });
});
