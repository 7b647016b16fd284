/**
 * The details panel after a window reload in demo mode (`npm start`: no key,
 * OPENAI_AUDIT_LOGS_DEMO=sample). VS Code restores the panel before the
 * sample organization is open again; the panel waits for it and then shows
 * the same event, fetched again through the same client code path.
 */
import * as assert from 'node:assert/strict';
import { activityBarItem, openWorkbench, runFromPalette, type WorkbenchSession, eventPanel } from './harness';

const panel = eventPanel;

describe('e2e: event details restored in demo mode', function () {
  this.timeout(180_000);
  let session: WorkbenchSession;
  before(async () => {
    session = await openWorkbench({ env: { OPENAI_AUDIT_LOGS_DEMO: 'sample' } });
  });
  after(async () => {
    await session?.close();
  });

  it('comes back after a reload showing the same sample event', async () => {
    const { page } = session;
    await activityBarItem(page).click();
    await page.locator('.sidebar .monaco-list-row', { hasText: 'Sample organization' }).waitFor({ timeout: 60_000 });
    // Open an update (one with a diff) from the palette's list of loaded events.
    await runFromPalette(page, 'OpenAI Audit Logs: Open Event…');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await page.locator('.quick-input-widget input').fill('.updated');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: '.updated' }).first();
    await row.waitFor();
    const type = (await row.locator('.label-name').first().innerText()).trim();
    await page.keyboard.press('Enter');
    const id = panel(page).locator('.event-id');
    await id.waitFor({ timeout: 60_000 });
    const eventId = (await id.innerText()).trim();
    assert.match(eventId, /^audit_log-/);
    await panel(page).locator('table.diff').waitFor({ timeout: 60_000 });

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runFromPalette(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The Events view reopens the sample organization; the restored panel then fetches its event.
    await panel(page).locator('.event-id', { hasText: eventId }).waitFor({ timeout: 90_000 });
    assert.equal((await panel(page).locator('h1.type').innerText()).trim(), type);
    await panel(page).locator('table.diff').waitFor({ timeout: 60_000 });
  });
});
