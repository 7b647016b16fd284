/**
 * `npm run test:electron`: the same integration suite in desktop VS Code,
 * downloaded and cached by @vscode/test-electron (needs internet; offline
 * machines use `npm run test:integration`, which runs the suite in a VS Code
 * server instead).
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from './vscodeServer';

runTests({
  version: process.env.VSCODE_VERSION ?? '1.100.3',
  extensionDevelopmentPath: REPO_ROOT,
  extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index'),
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
}).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
