import * as assert from 'node:assert/strict';
import { activityBarItem, openWorkbench, type WorkbenchSession } from './harness';

describe('e2e: workbench', function () {
  this.timeout(120_000);
  let session: WorkbenchSession;
  before(async () => {
    session = await openWorkbench();
  });
  after(async () => {
    await session?.close();
  });

  it('shows the OpenAI Audit Logs container in the activity bar and opens its Events view', async () => {
    const { page } = session;
    const item = activityBarItem(page);
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    // With one view in the container, VS Code folds the view's name into the sidebar's title.
    const title = page.locator('.sidebar .composite.title');
    await title.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/e2e-workbench.png' });
    assert.match((await title.innerText()).toUpperCase(), /OPENAI AUDIT LOGS/);
  });
});
