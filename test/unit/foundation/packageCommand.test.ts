import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';

const root = path.resolve(__dirname, '..', '..', '..');
const vsixName = path.join('dist-vsix', 'openai-audit-logs.vsix');

/**
 * A clean copy of the repository as a fresh clone would have it: only the files git
 * knows (tracked, plus new ones not ignored), so no dist/, no dist-vsix/, no out/.
 * node_modules is linked, not installed: the test runs offline.
 */
function cleanCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-package-'));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  for (const file of listed.split('\0').filter(Boolean)) {
    const from = path.join(root, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, file));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  return dir;
}

describe('npm run package, from a clean copy of the repository', function () {
  this.timeout(180_000);
  let dir = '';
  let result: ReturnType<typeof spawnSync>;

  before(() => {
    dir = cleanCopy();
    assert.ok(!fs.existsSync(path.join(dir, 'dist-vsix')), 'the copy starts without dist-vsix/');
    result = spawnSync('npm', ['run', '--silent', 'package'], { cwd: dir, encoding: 'utf8', shell: process.platform === 'win32' });
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('succeeds and writes dist-vsix/openai-audit-logs.vsix under 3 MB', () => {
    assert.equal(result.status, 0, `npm run package failed:\n${String(result.stdout)}\n${String(result.stderr)}`);
    const size = fs.statSync(path.join(dir, vsixName)).size;
    assert.ok(size > 0 && size < 3 * 1024 * 1024, `the .vsix is ${size} bytes`);
  });

  it('contains the runtime files and nothing else', async () => {
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(dir, vsixName)));
    const files = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name);
    for (const expected of [
      'extension.vsixmanifest',
      'extension/package.json',
      'extension/package.nls.json',
      'extension/dist/extension.js',
      'extension/dist/webview-eventDetails.js',
      'extension/dist/codicon.css',
      'extension/dist/codicon.ttf',
      // SQLite for the archive: the bundled loader reads it next to extension.js.
      'extension/dist/node-sqlite3-wasm.wasm',
      'extension/media/activity-bar.svg',
    ]) {
      assert.ok(files.includes(expected), `${expected} is missing from the .vsix: ${files.join(', ')}`);
    }
    for (const f of files) {
      assert.match(
        f,
        /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(dist\/[^/]+\.(js|css|ttf)|dist\/node-sqlite3-wasm\.wasm|media\/.+|package\.json|package\.nls\.json|readme\.md|changelog\.md|LICENSE(\.txt)?))$/i,
        `unexpected file in the .vsix: ${f}`,
      );
      assert.doesNotMatch(f, /\.map$|\/src\/|\/test\/|node_modules/, `${f} must not ship`);
    }
  });
});
