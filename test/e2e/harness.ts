/**
 * End-to-end harness: one call gives a test a Playwright `page` on a real VS
 * Code workbench (code-server 1.100 in headless Chromium) running this
 * extension in development mode, plus whatever it asked for (user settings,
 * environment). Feature tests start their own fake API server and pass its URL
 * in `userSettings`.
 */
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import { untilWithin } from '../harness/until';
import { REPO_ROOT, startVSCodeServer, type RunningVSCodeServer, type VSCodeServerOptions } from '../harness/vscodeServer';

const until = untilWithin(20_000, 100);

export interface WorkbenchSession {
  readonly page: Page;
  readonly server: RunningVSCodeServer;
  /** Every URL the browser requested, in order (for "no request leaves the page" checks). */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function openWorkbench(options: VSCodeServerOptions = {}): Promise<WorkbenchSession> {
  const server = await startVSCodeServer({ ...options, env: { OPENAI_ADMIN_KEY: undefined, ...options.env } });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await gotoWorkbench(page, server);
    const b = browser;
    return {
      page,
      server,
      requests,
      async close() {
        await b.close();
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.stop();
    throw e;
  }
}

/** Loads the workbench (this extension in development mode) in `page`, on the server's workspace or `folder`. */
export async function gotoWorkbench(page: Page, server: RunningVSCodeServer, folder?: string): Promise<void> {
  await page.goto(server.pageUrl({ extensionDevelopmentPath: REPO_ROOT, ...(folder ? { folder } : {}) }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The activity bar is there once the workbench has restored its parts.
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
}

/** The OpenAI Audit Logs item of the activity bar (a click opens the Events view). */
export function activityBarItem(page: Page): Locator {
  return page.locator('.activitybar [aria-label^="OpenAI Audit Logs"]').first();
}

/**
 * The Events view's top-level group rows ("api_key.created · 5 events", a day, an actor). The coverage
 * row above them ("150 events · complete") is not a group: a click on it runs Sync Archive.
 */
export function groupRows(sidebar: Locator): Locator {
  return sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: /\bevents?\b/, hasNotText: /· (?:not )?complete/ });
}

/** The coverage row: "N events · complete" or "N events loaded · not complete", then since/through and where it is held. */
export function coverageRow(sidebar: Locator): Locator {
  return sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: /· (?:not )?complete/ }).first();
}

/** Runs a command from the palette by its title, as a user would. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // F1 can land while the workbench moves focus (a view refreshing after a filter, a menu closing) and the
  // palette closes as it opens, or just after it showed (a clean-clone run saw it hidden again before the
  // fill): the input exists but is hidden. A user presses F1 again; so does this, up to 3 times, and says so
  // in the log. Any other failure fails at once.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const shown = await input.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
    const filled = shown && (await input.fill(`>${title}`, { timeout: 5_000 }).then(() => true, () => false));
    if (filled) break;
    if (attempt >= 3) throw new Error(`the command palette did not open for "${title}" (3 tries)`);
    console.log(`      (the command palette closed as it opened; pressing F1 again, attempt ${attempt + 1})`);
  }
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
}

/** The event details panel's page: a webview is two nested iframes, the inner one holding the panel's HTML. */
export function eventPanel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
}

/** The picker of *Open Event…*, told from the palette that launched it by its own placeholder. */
const EVENT_PICKER_INPUT = '.quick-input-widget input[placeholder="Type an event id, type, project or actor"]';

/**
 * Opens an event by its id through *OpenAI Audit Logs: Open Event…*, as a user would. The picker replaces
 * the palette that launched it in the same quick-input widget, so this waits for the picker's own input (its
 * placeholder) before typing: typing earlier fills the closing palette.
 *
 * One race of the workbench is retried, and only that one: on a busy machine the palette's closing can land
 * after the picker took over the widget, and hides it. The input then carries the picker's placeholder but
 * stays hidden (seen in a loaded run: "locator resolved to hidden <input … placeholder="Type an event id…">").
 * A user would open the command again, and so does this, up to 3 times; any other failure fails at once.
 */
export async function openEventFromPalette(page: Page, eventId: string): Promise<void> {
  const input = page.locator(EVENT_PICKER_INPUT);
  for (let attempt = 1; ; attempt++) {
    await runFromPalette(page, 'OpenAI Audit Logs: Open Event…');
    await input.waitFor({ state: 'attached', timeout: 20_000 });
    const shown = await input.waitFor({ state: 'visible', timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (attempt >= 3) throw new Error('the Open Event picker was hidden by the closing palette 3 times');
    // Said in the log, so a run shows how often the race struck.
    console.log(`      (the Open Event picker was hidden by the closing palette; opening it again, attempt ${attempt + 1})`);
  }
  await page.locator('.quick-input-list .monaco-list-row:visible').first().waitFor({ timeout: 20_000 });
  await input.fill(eventId);
  await page.locator('.quick-input-list .monaco-list-row:visible', { hasText: eventId }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/**
 * The clipboard's text once `wanted` accepts it. Copy buttons are asynchronous (the page asks the host, which
 * writes the clipboard), so this polls with the shared wait helper instead of sleeping.
 */
export function clipboardWhen(page: Page, what: string, wanted: (text: string) => boolean): Promise<string> {
  return until(what, async () => {
    const text = await page.evaluate(() => navigator.clipboard.readText());
    return wanted(text) ? text : undefined;
  });
}

/**
 * Folds every view of the sidebar but Events (Findings, Directory, Saved Queries share its container), so
 * a test that walks many rows of the Events view has the room a user with only that view open would have.
 * Clicks each header's title, not its middle, which holds the view's title buttons.
 */
export async function foldOtherViews(page: Page): Promise<void> {
  const headers = page.locator('.sidebar .pane-header[aria-expanded="true"]');
  for (let i = (await headers.count()) - 1; i >= 0; i--) {
    const header = headers.nth(i);
    const title = (await header.locator('h3.title').innerText().catch(() => '')).trim();
    if (title.toLowerCase().startsWith('events')) continue;
    await header.locator('h3.title').click();
  }
}

/** Picks a colour theme through *Preferences: Color Theme*, as a user would, and waits until the workbench wears it. */
export async function selectTheme(page: Page, label: string, workbenchClass: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await input.fill(label);
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-workbench[class*="${workbenchClass}"]`).waitFor();
  // The picker must be gone before the next F1, or that key press lands on it.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}
