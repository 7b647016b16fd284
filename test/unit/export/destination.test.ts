/**
 * Where the export's save dialog starts (issue 10): the last folder used,
 * else ~/Downloads, else ~; never a folder that no longer exists. The last
 * folder is remembered in a file of the extension's global storage (0600).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LastExportFolder, defaultExportFolder } from '../../../src/export/exportDestination';

describe('export: default destination', () => {
  let home: string;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-home-'));
  });
  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('is the last folder used while it exists, else Downloads when there is one, else home', async () => {
    const last = path.join(home, 'audits');
    await fs.mkdir(last);
    assert.equal(await defaultExportFolder(last, home), last);
    assert.equal(await defaultExportFolder(undefined, home), home);
    await fs.mkdir(path.join(home, 'Downloads'));
    assert.equal(await defaultExportFolder(undefined, home), path.join(home, 'Downloads'));
    await fs.rm(last, { recursive: true });
    assert.equal(await defaultExportFolder(last, home), path.join(home, 'Downloads'), 'a removed folder is not offered');
    assert.equal(await defaultExportFolder('relative/dir', home), path.join(home, 'Downloads'));
  });

  it('remembers the last folder in a 0600 file of the global storage, across instances', async () => {
    const storage = path.join(home, 'globalStorage');
    assert.equal(await new LastExportFolder(storage).get(), undefined);
    await new LastExportFolder(storage).set('/srv/audits');
    assert.equal(await new LastExportFolder(storage).get(), '/srv/audits');
    const [file] = await fs.readdir(storage);
    assert.equal((await fs.stat(path.join(storage, file!))).mode & 0o777, 0o600);
    await fs.writeFile(path.join(storage, file!), 'not json');
    assert.equal(await new LastExportFolder(storage).get(), undefined);
  });
});
