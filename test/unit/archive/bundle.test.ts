/**
 * The shipped layout: the archive bundled by esbuild (as esbuild.js bundles
 * the extension) finds SQLite's .wasm next to the bundle, wherever the
 * process runs from, and nowhere else (no node_modules at run time).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('archive: bundled like the extension', function () {
  this.timeout(60_000);
  it('opens a file archive from a bundle with the .wasm beside it', async () => {
    const dir = tempDir('oal-archive-bundle-');
    try {
      const entry = path.join(dir, 'entry.ts');
      fs.writeFileSync(
        entry,
        `import { AuditArchive } from ${JSON.stringify(path.join(ROOT, 'src', 'core', 'archive'))};\n` +
          `void AuditArchive.open(process.argv[2]!).then((a) => { process.stdout.write(a.integrityCheck()); a.close(); });\n`,
      );
      const dist = path.join(dir, 'dist');
      await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path.join(dist, 'extension.js'), logLevel: 'silent' });
      // What esbuild.js copies:
      const wasm = path.join(path.dirname(require.resolve('node-sqlite3-wasm/package.json')), 'dist', 'node-sqlite3-wasm.wasm');
      fs.copyFileSync(wasm, path.join(dist, 'node-sqlite3-wasm.wasm'));
      const run = spawnSync(process.execPath, [path.join(dist, 'extension.js'), path.join(dir, 'org.sqlite')], { cwd: '/', encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      assert.equal(run.stdout, 'ok', run.stderr);
      fs.rmSync(path.join(dist, 'node-sqlite3-wasm.wasm'));
      const without = spawnSync(process.execPath, [path.join(dist, 'extension.js'), path.join(dir, 'other.sqlite')], { cwd: '/', encoding: 'utf8' });
      assert.notEqual(without.status, 0, 'without the copied .wasm the bundle cannot start SQLite');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
