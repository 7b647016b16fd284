/**
 * Runs the integration suite (out/test/integration) inside a real VS Code
 * extension host, offline: a cached code-server (VS Code 1.100) serves the
 * workbench, headless Chromium opens it with the extension in development mode
 * and the suite as `extensionTestsPath`, and the suite's exit code comes back
 * through the `codeAutomationExit` hook that VS Code web calls when run() settles.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { format } from 'node:util';
import { launchBrowser } from './browser';
import { REPO_ROOT, startVSCodeServer } from './vscodeServer';

const SUITE_TIMEOUT_MS = 10 * 60_000;
const SUITE_START_MARK = '[integration] suite starting';

async function main(): Promise<number> {
  const suite = path.join(REPO_ROOT, 'out', 'test', 'integration');
  if (!fs.existsSync(path.join(suite, 'index.js'))) throw new Error(`${suite}/index.js is missing: run \`node esbuild.js\` first`);
  const server = await startVSCodeServer({
    // The suite reads these to find the tier it runs in; no key is ever set here.
    env: { OAL_TEST_GREP: process.env.OAL_TEST_GREP, OPENAI_ADMIN_KEY: undefined },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    // The workbench logs through the same hook; show only what follows the suite's own start line
    // (everything, with OAL_VERBOSE=1).
    let suiteStarted = process.env.OAL_VERBOSE === '1';
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (line.includes(SUITE_START_MARK)) suiteStarted = true;
      if (!suiteStarted) return;
      (type === 'error' ? process.stderr : process.stdout).write(line + '\n');
    });
    page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
    await page.goto(server.pageUrl({ extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: suite }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`integration suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s\n`);
        resolve(1);
      }, SUITE_TIMEOUT_MS);
    });
    const code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
