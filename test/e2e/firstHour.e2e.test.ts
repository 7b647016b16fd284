/**
 * An investigator's first hour (issue 10), exactly as `npm start` runs (the sample organization, no key,
 * the dark theme): the questions an admin asks on day one, each answered in a handful of steps and
 * checked against the sample's own data. The sample's clock is pinned to the test's start
 * (OPENAI_AUDIT_LOGS_SAMPLE_NOW), so the expected answers are computed from the same generator; the
 * trickle is off so nothing arrives mid-question. The README's screenshots come from this run.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { SampleEvent } from '../../src/core/sample/sampleTypes';
import { sampleSessionEvents } from '../../src/store/sampleSession';
import { formatUtc } from '../../src/views/format';
import { DEMO_ENV, DEMO_USER_SETTINGS } from '../harness/demoWorkbench';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, openWorkbench, type WorkbenchSession } from './harness';

const SHOTS = path.join(REPO_ROOT, 'test-results', 'first-hour');

describe('e2e: an investigator\'s first hour with the sample organization', function () {
  this.timeout(240_000);
  let session: WorkbenchSession;
  let events: SampleEvent[];
  let sidebar: Locator;
  let page: Page;

  before(async () => {
    const now = Math.floor(Date.now() / 1000);
    events = sampleSessionEvents(now).events;
    session = await openWorkbench({
      env: { ...DEMO_ENV, OPENAI_AUDIT_LOGS_SAMPLE_NOW: String(now), OPENAI_AUDIT_LOGS_SAMPLE_TRICKLE_SECONDS: '0' },
      userSettings: { ...DEMO_USER_SETTINGS, 'openaiAuditLogs.timeDisplay': 'utc' },
    });
    page = session.page;
    sidebar = page.locator('.sidebar');
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      await page.screenshot({ path: path.join(SHOTS, `failure-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  });
  after(async () => {
    await session?.close();
  });

  it('opens on the sample in the dark theme npm start sets, with every one of its events loaded', async () => {
    // Step 1: the activity bar item.
    await activityBarItem(page).click();
    await sidebar.locator('.monaco-list-row', { hasText: 'Sample organization' }).first().waitFor({ timeout: 60_000 });
    const classes = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
    assert.match(classes, /\bvs-dark\b/, `the workbench is dark: ${classes}`);
    await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: `${events.length} events · complete` }).first().waitFor({ timeout: 60_000 });
  });

  it('"When did the organization\'s settings last change?": expand organization.updated, the newest row answers', async () => {
    const newest = events.filter((e) => e.type === 'organization.updated').sort((a, b) => b.effective_at - a.effective_at)[0]!;
    // Step 1: expand the type group; step 2: the project it happened in (the organization's own events sit under "No project").
    await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: 'organization.updated' }).first().click();
    await sidebar.locator('.monaco-list-row[aria-level="2"]', { hasText: newest.project?.name ?? 'No project' }).first().click();
    // The row says what changed first; its accessible label carries the exact time.
    const row = sidebar.locator(`.monaco-list-row[aria-level="3"][aria-label*="${formatUtc(newest.effective_at)}"]`).first();
    await row.waitFor({ timeout: 20_000 });
    const changed = Object.keys((newest['organization.updated'] as { changes_requested?: object }).changes_requested ?? {});
    assert.ok(changed.length > 0);
    assert.match(await row.innerText(), new RegExp(changed[0]!), 'the row names the fields that changed');
    await page.screenshot({ path: path.join(SHOTS, 'organization-settings.png') });
  });
});
