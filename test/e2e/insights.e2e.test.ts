/**
 * The Insights panel as a user drives it in a real browser: opened from the palette over the synced sample
 * organization, a drag across the timeline narrows the Events view's time filter (its Filtered row says the
 * range), the keyboard does the same, a click on a facet value filters the view to it, and a sync that adds
 * events updates the open panel. Screenshots in
 * dark and light themes (written to docs/images with OAL_UPDATE_SCREENSHOTS=1).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
import { untilWithin } from '../harness/until';
import { activityBarItem, groupRows, openWorkbench, runFromPalette, type WorkbenchSession, selectTheme } from './harness';

const until = untilWithin(60_000, 100);
const KEY = 'sk-admin-e2e-insights-0123456789abcdef';
const shots = path.join(REPO_ROOT, 'test-results');

function insightsPage(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
}

/** The Filtered row's label and text, or '' without filters (read without waiting: the row comes and goes). */
async function filteredText(sidebar: Locator): Promise<string> {
  const rows = sidebar.locator('.monaco-list-row', { hasText: 'Filtered' });
  const texts = await rows.evaluateAll((nodes) => nodes.map((n) => `${n.getAttribute('aria-label') ?? ''} ${n.textContent ?? ''}`));
  return texts.join(' ');
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
  if (process.env.OAL_UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'images', `${name}.png`) });
}

describe('e2e: insights', function () {
  this.timeout(240_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;
  let events: Array<Record<string, unknown>>;

  before(async () => {
    events = generateSampleOrganization({ seed: 29, eventCount: 600 }).events as unknown as Array<Record<string, unknown>>;
    server = await startFakeAuditLogServer({ events: events as never, apiKey: KEY });
    session = await openWorkbench({
      userSettings: {
        'openaiAuditLogs.apiBaseUrl': server.url,
        'openaiAuditLogs.timeDisplay': 'utc',
      },
      env: { OPENAI_ADMIN_KEY: KEY },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      fs.mkdirSync(shots, { recursive: true });
      await session.page.screenshot({ path: path.join(shots, 'insights-failure.png') }).catch(() => undefined);
    }
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('a drag across the timeline narrows the Events view to that time; the keyboard does too; a facet click filters; state as of shows a resource; a sync updates the open panel', async () => {
    const { page } = session;
    await activityBarItem(page).click();
    const sidebar = page.locator('.sidebar');
    await groupRows(sidebar).first().waitFor({ timeout: 60_000 });
    await sidebar.locator('.monaco-list-row', { hasText: /· complete/ }).first().waitFor({ timeout: 120_000 });

    await runFromPalette(page, 'OpenAI Audit Logs: Show Insights');
    const frame = insightsPage(page);
    const over = frame.locator('.u-over');
    await over.waitFor({ timeout: 60_000 });
    await frame.locator('.facet[data-facet="type"] .facet-value').first().waitFor();
    // The user agents are counted after the rest (their own message) and fill their box.
    await frame.locator('.facet[data-facet="userAgent"] .facet-value').first().waitFor();
    const total = Number(await frame.locator('.total').getAttribute('data-total'));
    assert.equal(total, 600, 'the panel counts every archived event');
    await selectTheme(page, 'Dark Modern', 'dark_modern-json');
    await page.mouse.move(900, 600);
    await frame.locator('.u-over').waitFor();
    await screenshot(page, 'insights-dark');

    // Drag from 30% to 60% of the plot.
    const box = await over.boundingBox();
    assert.ok(box, 'the plot has a box');
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
    await page.mouse.up();
    await until('the Filtered row to show the brushed range', async () => /UTC – .*UTC/.test(await filteredText(sidebar)));
    // The panel follows without a reload: fewer events, and a way back.
    await frame.locator('.clear-time').waitFor();
    await until('the panel to count the narrowed range', async () => Number(await frame.locator('.total').getAttribute('data-total')) < total);
    const brushed = Number(await frame.locator('.total').getAttribute('data-total'));

    // Back to everything, then the keyboard: the last bar alone (End, Enter).
    await frame.locator('.clear-time').click();
    await until('the time filter to be cleared', async () => !/UTC – /.test(await filteredText(sidebar)));
    await until('the panel to count everything again', async () => Number(await frame.locator('.total').getAttribute('data-total')) === total);
    await frame.locator('.chart-canvas').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Enter');
    await until('the keyboard selection to narrow the view', async () => /UTC – .*UTC/.test(await filteredText(sidebar)));
    assert.ok(brushed > 0);

    // The legend: a family filters to its types.
    await frame.locator('.legend-item[data-family="login"]').click();
    await until('the Filtered row to name the login types', async () => /types? login\./.test(await filteredText(sidebar)));
    await until('the legend to show only login', async () => (await frame.locator('.legend-item').allInnerTexts()).join(',') === 'login');

    // A facet value: the busiest type.
    const typeValue = frame.locator('.facet[data-facet="type"] .facet-value').first();
    const type = (await typeValue.getAttribute('data-value'))!;
    await typeValue.click();
    await until(`the Filtered row to name type ${type}`, async () => (await filteredText(sidebar)).includes(`type ${type}`));
    await until('the panel to list only that type', async () => (await frame.locator('.facet[data-facet="type"] .facet-value').count()) === 1);

    // Light theme, every event again: the panel redraws in the new theme's colours without a reload.
    await selectTheme(page, 'Light Modern', 'light_modern-json');
    await runFromPalette(page, 'OpenAI Audit Logs: Clear Filters');
    await until('the filters to be cleared', async () => (await filteredText(sidebar)) === '');
    await until('the panel to count everything again', async () => Number(await frame.locator('.total').getAttribute('data-total')) === total);
    await frame.locator('.u-over').waitFor();
    await page.mouse.move(900, 600);
    await screenshot(page, 'insights-light');

    // State as of: a project (the sample's resources, with names), now and compared with its creation second.
    const pick = frame.locator('select.resource-pick');
    const option = pick.locator('option', { hasText: /\(project,/ }).first();
    const resourceId = (await option.getAttribute('value'))!;
    await pick.selectOption(resourceId);
    await frame.locator('button.show-state').click();
    await frame.locator('.state-result p', { hasText: resourceId }).first().waitFor();
    // Its fields then, or what it was then (a sample project may have been deleted by now).
    const fields = await frame.locator('.state-result .field-name').count();
    const status = await frame.locator('.state-result p', { hasText: /Deleted at this moment|Not created yet|no event of this resource/ }).count();
    assert.ok(fields > 0 || status > 0, `the state of ${resourceId}: ${await frame.locator('.state-result').innerText()}`);

    // A sync that adds events: the open panel counts them without a reload.
    const newest = Math.max(...events.map((e) => Number(e['effective_at'])));
    const added = [1, 2, 3].map((i) => ({
      id: `audit_log-insights-new-${i}`,
      type: 'project.created',
      effective_at: newest + 60 * i,
      'project.created': { id: `proj_new_${i}`, data: { name: `new ${i}` } },
    }));
    server.setEvents([...events, ...added]);
    await runFromPalette(page, 'OpenAI Audit Logs: Sync Archive');
    await until('the panel to count the synced events', async () => Number(await frame.locator('.total').getAttribute('data-total')) === total + added.length);
  });
});
