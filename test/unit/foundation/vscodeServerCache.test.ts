import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, serverCacheDir } from '../../harness/vscodeServer';

describe('the VS Code server cache of the test harness and npm start', () => {
  it('lies outside the extension folder by default, under the user cache', () => {
    const dir = serverCacheDir({}, os.homedir());
    assert.equal(dir, path.join(os.homedir(), '.cache', 'openai-audit-logs-vscode'));
    assert.ok(path.relative(REPO_ROOT, dir).startsWith('..'), `${dir} is outside ${REPO_ROOT}`);
  });

  it('follows XDG_CACHE_HOME and OAL_VSCODE_SERVER_CACHE, the latter first', () => {
    assert.equal(serverCacheDir({ XDG_CACHE_HOME: '/var/cache/x' }, '/home/u'), '/var/cache/x/openai-audit-logs-vscode');
    assert.equal(serverCacheDir({ XDG_CACHE_HOME: '/var/cache/x', OAL_VSCODE_SERVER_CACHE: '/srv/vsc' }, '/home/u'), '/srv/vsc');
  });

  it('refuses a folder inside the extension, whose built-in themes VS Code would apply as the extension\'s own', () => {
    for (const inside of [REPO_ROOT, path.join(REPO_ROOT, '.vscode-test')]) {
      assert.throws(() => serverCacheDir({ OAL_VSCODE_SERVER_CACHE: inside }), /must be outside the extension's folder/);
    }
  });
});
