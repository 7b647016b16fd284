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
import { describeActor, type AuditEvent } from '../../src/core/model';
import type { SampleEvent } from '../../src/core/sample/sampleTypes';
import { sampleSessionEvents } from '../../src/store/sampleSession';
import { formatUtc } from '../../src/views/format';
import { DEMO_ENV, DEMO_USER_SETTINGS } from '../harness/demoWorkbench';
import { REPO_ROOT } from '../harness/vscodeServer';
import { activityBarItem, openWorkbench, runFromPalette, type WorkbenchSession } from './harness';

const SHOTS = path.join(REPO_ROOT, 'test-results', 'first-hour');
const DAY = 86_400;

/** The payload the API keys by the event's type. */
function payload(e: SampleEvent): Record<string, unknown> {
  return ((e as unknown as Record<string, unknown>)[e.type] ?? {}) as Record<string, unknown>;
}

/** A date's UTC day, as the query language takes it. */
function utcDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

describe('e2e: an investigator\'s first hour with the sample organization', function () {
  this.timeout(240_000);
  let session: WorkbenchSession;
  let events: SampleEvent[];
  let sidebar: Locator;
  let page: Page;

  /**
   * Steps 1-3 of a search: *Search…* from the palette, the query typed (the box counts matches as you
   * type), Enter (the Events view shows them). Resolves with the count the box showed.
   */
  async function search(query: string): Promise<number> {
    await runFromPalette(page, 'OpenAI Audit Logs: Search…');
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await input.waitFor();
    const title = widget.locator('.quick-input-title');
    await title.filter({ hasText: /^Search · / }).waitFor({ timeout: 20_000 });
    const before = await title.innerText();
    await input.fill(query);
    // The live count follows the typing after a short pause: wait for this query's title (it differs from the
    // box's first one, which counted the previous search, or stays once settled for a second).
    let text = before;
    let stableSince = Date.now();
    for (const started = Date.now(); Date.now() - started < 20_000; ) {
      await page.waitForTimeout(100);
      const now = await title.innerText();
      if (now !== text) [text, stableSince] = [now, Date.now()];
      if (text !== before && Date.now() - stableSince > 300) break;
      if (Date.now() - stableSince > 1500) break;
    }
    const count = Number(/^Search · ([\d,]+) events?/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
    return count;
  }

  /** The coverage row once the view shows `count` events of the filters. */
  async function viewShows(count: number): Promise<void> {
    const label = count === 1 ? '1 event · complete' : `${count.toLocaleString()} events · complete`;
    await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: label }).first().waitFor({ timeout: 30_000 });
    await sidebar.locator('.monaco-list-row', { hasText: 'Filtered' }).first().waitFor();
  }

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

  /** A screenshot for review in test-results/first-hour, and for the README with OAL_UPDATE_SCREENSHOTS=1. */
  async function shot(name: string, readme = false): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    if (readme && process.env.OAL_UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'images', `${name}.png`) });
  }

  it('opens on the sample in the dark theme npm start sets, with every one of its events loaded', async () => {
    // Step 1: the activity bar item.
    await activityBarItem(page).click();
    await sidebar.locator('.monaco-list-row', { hasText: 'Sample organization' }).first().waitFor({ timeout: 60_000 });
    const classes = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
    assert.match(classes, /\bvs-dark\b.*dark_modern/, `the workbench is Default Dark Modern: ${classes}`);
    await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: `${events.length} events · complete` }).first().waitFor({ timeout: 60_000 });
  });

  it('"When did the organization\'s settings last change?": search the type, the newest row answers', async () => {
    const newest = events.filter((e) => e.type === 'organization.updated').sort((a, b) => b.effective_at - a.effective_at)[0]!;
    // Steps 1-3: search the type; 4: expand its group; 5: the project it happened in (the organization's own
    // events sit under "No project").
    const all = events.filter((e) => e.type === 'organization.updated').length;
    assert.equal(await search('type:organization.updated'), all);
    await viewShows(all);
    await sidebar.locator('.monaco-list-row[aria-level="1"][aria-label^="organization.updated"]').first().click();
    await page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Events/i }) }).first()
      .locator('.monaco-list-row[aria-level="2"]', { hasText: newest.project?.name ?? 'No project' }).first().click();
    // The row says what changed first; its accessible label carries the exact time.
    const row = sidebar.locator(`.monaco-list-row[aria-level="3"][aria-label*="${formatUtc(newest.effective_at)}"]`).first();
    await row.waitFor({ timeout: 20_000 });
    const changed = Object.keys((newest['organization.updated'] as { changes_requested?: object }).changes_requested ?? {});
    assert.ok(changed.length > 0);
    assert.match(await row.innerText(), new RegExp(changed[0]!), 'the row names the fields that changed');
    await shot('organization-settings');
  });

  it('"Who was granted owner in the last 30 days?": one search, its live count is what the view then shows', async () => {
    const since = Math.floor(Date.now() / 1000) - 30 * DAY;
    const granted = events.filter((e) => {
      const p = payload(e) as { changes_requested?: { role?: unknown }; data?: { role?: unknown } };
      return e.effective_at >= since && (p.changes_requested?.role === 'owner' || p.data?.role === 'owner');
    });
    assert.ok(granted.length >= 3, `the sample grants owner ${granted.length} times`);
    const count = await search('(changes_requested.role:owner OR data.role:owner) last:30d');
    assert.equal(count, granted.length);
    await viewShows(granted.length);
    // The answer at a glance, as the README shows it: the grants grouped by type, one opened in its panel.
    // Rows of the Events view only: the Findings view below has rows of the same levels.
    const eventsView = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Events/i }) }).first();
    await eventsView.locator('.monaco-list-row[aria-level="1"][aria-label^="user.updated"]').first().click();
    const project = eventsView.locator('.monaco-list-row[aria-level="2"]').first();
    await project.click();
    const grant = eventsView.locator('.monaco-list-row[aria-level="3"]').first();
    await grant.waitFor();
    assert.match(await grant.innerText(), /owner/, 'the row says what was granted');
    await grant.click();
    const panel = page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
    await panel.locator('body', { hasText: 'user.updated' }).first().waitFor({ timeout: 30_000 });
    await shot('explorer', true);
  });

  it('"Every event from this IP": one search on the address', async () => {
    const counts = new Map<string, number>();
    for (const e of events) {
      const ip = describeActor(e as unknown as AuditEvent).ipAddress;
      if (ip) counts.set(ip, (counts.get(ip) ?? 0) + 1);
    }
    const [ip, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    assert.equal(await search(`ip:${ip}`), n);
    await viewShows(n);
  });

  it('"What did this person do yesterday?": one search on the person and the day', async () => {
    const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
    const yesterday = events.filter((e) => e.effective_at >= today - DAY && e.effective_at < today);
    const byPerson = new Map<string, number>();
    for (const e of yesterday) {
      const email = describeActor(e as unknown as AuditEvent).email;
      if (email) byPerson.set(email, (byPerson.get(email) ?? 0) + 1);
    }
    const [email, n] = [...byPerson].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    assert.equal(await search(`actor:${email} after:${utcDate(today - DAY)} before:${utcDate(today)}`), n);
    await viewShows(n);
  });

  it('"Which keys were created with broad scopes?": the Findings view lists them without a search', async () => {
    const broad = events.filter((e) => e.type === 'api_key.created' && ((payload(e).data as { scopes?: string[] } | undefined)?.scopes ?? []).some((x) => /\.write$|\*|(^|\.)(all|admin|management)(\.|$)/.test(x)));
    assert.ok(broad.length > 0);
    const pane = (name: string) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: name }) });
    const findings = pane('Findings');
    // Step 1: fold the Events view away so the Findings view has the room; step 2: open its Medium group
    // (Critical and High are open already).
    const eventsHeader = pane('Events').locator('.pane-header').first();
    // The header's title, not its middle: the middle holds the view's title buttons (Search…, Filters…).
    if ((await eventsHeader.getAttribute('aria-expanded')) === 'true') await eventsHeader.locator('h3.title').click();
    const header = findings.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await findings.locator('.monaco-list-row[aria-level="1"]', { hasText: 'Medium' }).first().click();
    for (const e of broad.slice(0, 5)) {
      const key = String(payload(e).id);
      await findings.locator('.monaco-list-row', { hasText: new RegExp(`API key ${key} with (write|all or admin) scopes`) }).first().waitFor({ timeout: 20_000 });
    }
    await shot('findings', true);
  });
});
