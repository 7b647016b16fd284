/**
 * The filter editor as a user walks it in a real browser: a custom time range
 * (a bad date refused with a message, then fixed), an event type and a
 * project ticked in multi-selects, actors and resources typed as text. The
 * fake API runs in this (mocha) process; the test reads the query parameters
 * that reached it and the view's description.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, openWorkbench, runFromPalette, type WorkbenchSession } from './harness';
import { untilWithin } from '../harness/until';

const until = untilWithin(60_000, 100);

const KEY = 'sk-admin-e2e-filters-0123456789abcdef';

/** The first row of the open quick pick that shows `label` (the quick pick ranks the exact match first). */
function pickRow(page: Page, label: string) {
  return page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
}

describe('e2e: explorer filters', function () {
  this.timeout(180_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;
  /** A type among the newest events (so it is in the first page). */
  let type: string;

  before(async () => {
    const { events } = generateSampleOrganization({ seed: 13, eventCount: 200 });
    type = String([...events].sort((a, b) => Number(b['effective_at']) - Number(a['effective_at']))[0]!['type']);
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    session = await openWorkbench({
      userSettings: {
        'openaiAuditLogs.apiBaseUrl': server.url,
        'openaiAuditLogs.timeDisplay': 'utc',
        // The filters reach the API as Refresh's own query only without the archive's sync (a sync is
        // unfiltered and the views filter the archive with SQL; test/integration covers that path).
        'openaiAuditLogs.archive.syncOnOpen': false,
      },
      // The environment fallback provides the key, so this test starts with events loaded.
      env: { OPENAI_ADMIN_KEY: KEY },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
      await session.page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'explorer-filters-failure.png') }).catch(() => undefined);
    }
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('walks the five steps; every filter reaches the server as its own query parameter and shows in the view description', async () => {
    const { page } = session;
    await activityBarItem(page).click();
    const sidebar = page.locator('.sidebar');
    await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: 'event' }).first().waitFor({ timeout: 60_000 });

    await runFromPalette(page, 'OpenAI Audit Logs: Edit Filters…');
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    // 1/5: time range → custom.
    await widget.locator('.quick-input-title', { hasText: 'Edit Filters (1/5)' }).waitFor();
    await pickRow(page, 'Custom range…').click();
    await widget.locator('.quick-input-title', { hasText: 'Start' }).waitFor();
    await input.fill('');
    await input.pressSequentially('2020-13-45');
    await widget.locator('.quick-input-message', { hasText: 'Not a date' }).waitFor();
    await page.keyboard.press('Enter');
    // Refused: still asking for the start.
    await widget.locator('.quick-input-title', { hasText: 'Start' }).waitFor();
    await input.fill('2020-01-01');
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: 'End' }).waitFor();
    // An end before the start is refused too.
    await input.fill('');
    await input.pressSequentially('2019-12-31');
    await widget.locator('.quick-input-message', { hasText: 'The end is before the start' }).waitFor();
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: 'End' }).waitFor();
    await input.fill('2030-01-01 12:00');
    await page.keyboard.press('Enter');

    // 2/5: event types, grouped by family, multi-select.
    await widget.locator('.quick-input-title', { hasText: '(2/5)' }).waitFor();
    await input.fill(type);
    await pickRow(page, type).click();
    await widget.locator('.quick-input-count, .quick-input-check-all + *', { hasText: '1 Selected' }).first().waitFor();
    await page.keyboard.press('Enter');

    // 3/5: projects seen in the loaded events.
    await widget.locator('.quick-input-title', { hasText: '(3/5)' }).waitFor();
    const projectRow = page.locator('.quick-input-list .monaco-list-row').nth(1);
    const projectId = (await projectRow.locator('.label-description').first().innerText()).trim();
    assert.match(projectId, /^proj_/);
    // Projects are listed by name (the id is the description): the Filtered row names it the same way.
    const projectName = (await projectRow.locator('.label-name').first().innerText()).trim();
    await projectRow.click();
    await widget.locator('.quick-input-count, .quick-input-check-all + *', { hasText: '1 Selected' }).first().waitFor();
    await page.keyboard.press('Enter');

    // 4/5 and 5/5: free text.
    await widget.locator('.quick-input-title', { hasText: '(4/5)' }).waitFor();
    await input.fill('user_abc, someone@example.com');
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: '(5/5)' }).waitFor();
    const before = server.requests.length;
    await input.fill('key_1 key_2');
    await page.keyboard.press('Enter');

    const request = await until('the filtered request', () =>
      server.requests.slice(before).find((r) => r.path.endsWith('/organization/audit_logs') && r.query['resource_ids[]']),
    );
    assert.deepEqual(request.query['effective_at[gte]'], [String(Date.UTC(2020, 0, 1) / 1000)]);
    assert.deepEqual(request.query['effective_at[lte]'], [String(Date.UTC(2030, 0, 1, 12) / 1000)]);
    assert.deepEqual(request.query['event_types[]'], [type]);
    assert.deepEqual(request.query['project_ids[]'], [projectId]);
    assert.deepEqual(request.query['actor_ids[]'], ['user_abc']);
    assert.deepEqual(request.query['actor_emails[]'], ['someone@example.com']);
    assert.deepEqual(request.query['resource_ids[]'], ['key_1', 'key_2']);

    // The active filters on a row above the events (a lone view's description is hidden by VS Code).
    const filtersRow = sidebar.locator('.monaco-list-row', { hasText: 'Filtered' }).first();
    await filtersRow.waitFor();
    const description = (await filtersRow.getAttribute('aria-label')) + ' ' + (await filtersRow.innerText());
    assert.match(description, new RegExp(`type ${type.replace(/\./g, '\\.')}`));
    assert.match(description, /2020-01-01 00:00 UTC – 2030-01-01 12:00 UTC/);
    assert.ok(description.includes(`project ${projectName}`), `the Filtered row names the project: ${description}`);
    assert.match(description, /2 actors/);
    assert.match(description, /2 resources/);
    fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'explorer-filters.png') });
  });
});
