import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, ViewIds } from '../../src/constants';

// package.json of the extension under test, read from the extension itself.
function manifest() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return { ext, pkg: ext.packageJSON as { contributes: { commands: { command: string }[] }; activationEvents?: string[] } };
}

describe('extension host', () => {
  it('runs inside a real VS Code 1.100', () => {
    assert.match(vscode.version, /^1\.100\./);
    assert.equal(vscode.env.appHost !== undefined, true);
  });

  it('activates without network and without "*"', async () => {
    const { ext, pkg } = manifest();
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command of package.json, and package.json lists every command it registers', async () => {
    const { ext, pkg } = manifest();
    await ext.activate();
    const declared = new Set(pkg.contributes.commands.map((c) => c.command));
    const registered = new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('openaiAuditLogs.')));
    // Views contribute a few commands of their own (focus, resetViewLocation…); they are VS Code's, not ours.
    const ours = [...registered].filter((c) => !c.startsWith(`${ViewIds.events}.`) && !c.startsWith('workbench.'));
    assert.deepEqual([...declared].filter((c) => !registered.has(c)), [], 'declared but not registered');
    assert.deepEqual(ours.filter((c) => !declared.has(c)), [], 'registered but not declared in package.json');
  });
});
