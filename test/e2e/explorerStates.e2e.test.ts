/**
 * The explorer's states a user meets besides the happy path, in a real
 * browser: "Load more…" at the end of a page, a failure on the next page
 * shown in the view with its actions (the loaded events stay), Retry
 * resuming from where it failed, and the sample organization's banner.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, coverageRow, groupRows, openWorkbench, type WorkbenchSession, foldOtherViews } from './harness';

const KEY = 'sk-admin-e2e-states-0123456789abcdef';
const UNAUTHORIZED = JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });

describe('e2e: explorer states', function () {
  this.timeout(180_000);
  let session: WorkbenchSession;
  let server: FakeAuditLogServer;
  const shots = path.join(REPO_ROOT, 'test-results');

  before(async () => {
    const { events } = generateSampleOrganization({ seed: 17, eventCount: 150 });
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    session = await openWorkbench({
      userSettings: {
        'openaiAuditLogs.apiBaseUrl': server.url,
        'openaiAuditLogs.timeDisplay': 'utc',
        'openaiAuditLogs.groupBy': 'day',
        'openaiAuditLogs.maxRetries': 0,
        // Paging by the API's cursor ("Load more…") is what Refresh does without the archive's sync.
        'openaiAuditLogs.archive.syncOnOpen': false,
      },
      env: { OPENAI_ADMIN_KEY: KEY },
    });
    fs.mkdirSync(shots, { recursive: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session?.page.screenshot({ path: path.join(shots, 'explorer-states-failure.png') }).catch(() => undefined);
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('ends a page with "Load more…", shows a failure on the next page with its actions, and Retry resumes', async () => {
    const { page } = session;
    await activityBarItem(page).click();
    const sidebar = page.locator('.sidebar');
    await sidebar.locator('.pane-header', { hasText: 'Findings' }).first().waitFor({ timeout: 60_000 });
    await foldOtherViews(page);
    const loadMore = sidebar.locator('.monaco-list-row', { hasText: 'Load more…' });
    await loadMore.waitFor({ timeout: 60_000 });
    assert.match(await loadMore.innerText(), /100 loaded/);

    // The next request fails as a revoked key would.
    const n = server.requests.length;
    server.setFaults({ [n + 1]: { kind: 'status', status: 401, body: UNAUTHORIZED, contentType: 'application/json' } });
    await loadMore.click();
    const errorRow = sidebar.locator('.monaco-list-row', { hasText: 'Could not load events' });
    await errorRow.waitFor();
    for (const action of ['Set Admin API Key', 'Retry (keep what is loaded)', 'Open Settings']) {
      await sidebar.locator('.monaco-list-row', { hasText: action }).waitFor();
    }
    // The message above the tree says what happened and that the archived events stay browsable; it never shows the key.
    const message = sidebar.locator('.message', { hasText: 'the archive is still browsable' });
    await message.waitFor();
    assert.match(await message.innerText(), /^⚠ .+ · Archived through \d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)? UTC · offline/);
    // The coverage row says the 100 are not the whole log.
    assert.match(await coverageRow(sidebar).innerText(), /100 events loaded · not complete/);
    assert.ok(!(await sidebar.innerText()).includes(KEY));
    // The days loaded before the failure are still there.
    assert.ok((await groupRows(sidebar).count()) > 0);
    await page.screenshot({ path: path.join(shots, 'explorer-error.png') });

    server.setFaults(undefined);
    await sidebar.locator('.monaco-list-row', { hasText: 'Retry (keep what is loaded)' }).click();
    await errorRow.waitFor({ state: 'detached' });
    await loadMore.waitFor({ state: 'detached' });
    const ok = server.requests.slice(n).filter((r) => r.status === 200);
    assert.equal(ok.length, 1, 'one page was fetched by Retry, from the cursor that failed');
    assert.ok(ok[0]!.query['after']?.[0], 'Retry continued after the last loaded event');
  });

  it('works from the keyboard: arrows expand a day and move to an event, Enter opens it', async () => {
    const { page } = session;
    const sidebar = page.locator('.sidebar');
    const firstDay = groupRows(sidebar).first();
    // Start once the view has finished loading (no progress bar), so no refresh moves the focus mid-way.
    await sidebar.locator('.monaco-progress-container.active').waitFor({ state: 'hidden' }).catch(() => undefined);
    await firstDay.click();
    await page.keyboard.press('ArrowRight');
    await sidebar.locator('.monaco-list-row[aria-level="2"]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    const focused = sidebar.locator('.monaco-list-row.focused[aria-level="2"]');
    await focused.waitFor();
    // The row names the event for a screen reader: its summary, time and actor.
    assert.match((await focused.getAttribute('aria-label')) ?? '', /, \d\d:\d\d:\d\d UTC, by /);
    // Enter opens the focused event. A tree refresh landing between the arrow keys and Enter (the previous
    // test's Retry may still be settling on a busy machine) can drop the focus; the user would press Enter
    // again on the focused row, and so do we (3 tries), always from the keyboard.
    for (let attempt = 1; ; attempt++) {
      await focused.waitFor();
      await page.keyboard.press('Enter');
      const opened = await page.locator('iframe.webview').first().waitFor({ timeout: 15_000 }).then(() => true, () => false);
      if (opened) break;
      if (attempt >= 3) assert.fail('Enter on a focused event row did not open its details');
      await sidebar.locator('.monaco-list').first().focus();
    }
  });
});
