import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, Settings, SettingsSection, ViewIds } from '../../../src/constants';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
/** User strings live in package.nls.json behind %key% placeholders. */
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const localized = (value: string | undefined): string | undefined => value?.replace(/^%([^%]+)%$/, (whole, key: string) => nls[key] ?? whole);

describe('package.json (the contract other tests depend on)', () => {
  it('keeps the extension identity', () => {
    assert.equal(pkg.name, 'openai-audit-logs');
    assert.equal(pkg.publisher, 'auditlens');
    assert.equal(pkg.displayName, 'OpenAI Audit Logs');
    assert.equal(pkg.engines.vscode, '^1.95.0');
    assert.equal(pkg.main, './dist/extension.js');
  });

  it('declares the activity-bar container and the Events view, with an icon that exists', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === ViewIds.container);
    assert.ok(container);
    assert.ok(fs.existsSync(path.join(root, container.icon)));
    const view = pkg.contributes.views[ViewIds.container].find((v: { id: string }) => v.id === ViewIds.events);
    assert.equal(localized(view?.name), 'Events');
  });

  it('never activates on "*"', () => {
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
  });

  it('declares exactly the commands of the typed id table, each prefixed, palette ones with the category', () => {
    const declared = (pkg.contributes.commands as { command: string; category?: string }[]);
    assert.deepEqual(declared.map((c) => c.command).sort(), Object.values(Commands).sort());
    for (const c of declared) {
      assert.match(c.command, /^openaiAuditLogs\./);
      assert.equal(c.category, 'OpenAI Audit Logs', `${c.command} has no category`);
    }
  });

  it('declares exactly the settings of the typed table, all prefixed', () => {
    const declared = Object.keys(pkg.contributes.configuration.properties).sort();
    assert.deepEqual(declared, Object.values(Settings).map((s) => `${SettingsSection}.${s}`).sort());
  });
});

describe('packaging', function () {
  this.timeout(60_000);
  it('ships only runtime files (vsce ls)', () => {
    const out = execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    const files = out.split('\n').map((l) => l.trim()).filter(Boolean);
    assert.ok(files.includes('package.json'));
    assert.ok(files.includes('README.md'));
    assert.ok(files.includes('LICENSE'));
    for (const f of files) {
      // dist/codicon.css and .ttf: the codicon font, copied from @vscode/codicons by esbuild.js for the webviews.
      // dist/node-sqlite3-wasm.wasm: the archive's SQLite engine, copied from node-sqlite3-wasm by esbuild.js.
      assert.match(f, /^(dist\/[^/]+\.js|dist\/codicon\.(css|ttf)|dist\/node-sqlite3-wasm\.wasm|media\/.+|package\.json|package\.nls\.json|README\.md|CHANGELOG\.md|LICENSE)$/, `unexpected file in the package: ${f}`);
    }
  });
});
