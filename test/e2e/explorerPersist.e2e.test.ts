/**
 * Nothing lost across a window reload: a filter chosen from an event group's
 * context menu is kept per workspace, shown again on the "Filtered" row, and
 * sent to the API again after Developer: Reload Window.
 */
import * as assert from 'node:assert/strict';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { activityBarItem, groupRows, openWorkbench, runFromPalette, type WorkbenchSession } from './harness';
import { untilWithin } from '../harness/until';

const until = untilWithin(60_000, 200);

const KEY = 'sk-admin-e2e-persist-0123456789abcdef';

describe('e2e: explorer filters across a reload', function () {
  this.timeout(180_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;

  before(async () => {
    const { events } = generateSampleOrganization({ seed: 23, eventCount: 300 });
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    session = await openWorkbench({
      userSettings: {
        'openaiAuditLogs.apiBaseUrl': server.url,
        'openaiAuditLogs.groupBy': 'typeProject',
        // Refresh pages the filtered query (what this test reads at the API) only without the archive's sync.
        'openaiAuditLogs.archive.syncOnOpen': false,
      },
      env: { OPENAI_ADMIN_KEY: KEY },
    });
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('keeps a "Filter to This Type" chosen from the context menu after Reload Window', async () => {
    const { page } = session;
    await activityBarItem(page).click();
    const sidebar = page.locator('.sidebar');
    const typeRow = sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: 'login.succeeded' }).first();
    await typeRow.waitFor({ timeout: 60_000 });
    await typeRow.click({ button: 'right' });
    // VS Code's context menu acts on the key of the highlighted item (a synthetic click can land before it listens).
    const item = page.locator('.context-view .action-label', { hasText: 'Filter to This Type' }).first();
    await item.hover();
    await page.keyboard.press('Enter');

    const filtered = sidebar.locator('.monaco-list-row', { hasText: 'Filtered' });
    await filtered.waitFor({ timeout: 60_000 });
    const typesSent = () => server.requests.filter((r) => r.status === 200).map((r) => r.query['event_types[]']);
    await until('the filter to reach the API', () => typesSent().slice(-1)[0]?.join() === 'login.succeeded');
    // Only that type is left in the tree.
    const onlyTheType = async () => {
      const texts = await groupRows(sidebar).allInnerTexts();
      return texts.length > 0 && texts.every((t) => t.includes('login.succeeded'));
    };
    await until('only the filtered type in the tree', onlyTheType);

    const beforeReload = server.requests.length;
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runFromPalette(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await activityBarItem(page).waitFor({ timeout: 60_000 });
    // The window restores the sidebar as it was; open the Events view only if it is not the one shown
    // (a click on the active activity-bar item would hide the sidebar instead).
    const ourSidebar = page.locator('.sidebar .composite.title', { hasText: /OpenAI Audit Logs/i });
    if (!(await ourSidebar.waitFor({ timeout: 15_000 }).then(() => true, () => false))) {
      await activityBarItem(page).click();
    }
    await page.locator('.sidebar .monaco-list-row', { hasText: 'Filtered' }).waitFor({ timeout: 60_000 });
    // The first load after the reload asks the API for that type only.
    await until('a filtered first page after the reload', () => server.requests.slice(beforeReload).some((r) => r.status === 200 && r.query['event_types[]']?.join() === 'login.succeeded' && !r.query['after']));
    // The tree after the reload holds that type only.
    await until('only the filtered type in the tree after the reload', onlyTheType);
    const after = server.requests.slice(beforeReload).filter((r) => r.status === 200);
    assert.ok(after.every((r) => r.query['event_types[]']?.join() === 'login.succeeded'), 'every request after the reload kept the filter');
  });
});
