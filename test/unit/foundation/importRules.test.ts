/**
 * The import rules of `npm run lint` (.dependency-cruiser.cjs) catch what they are for: the real
 * depcruise CLI, with the real config, over a small tree that breaks each rule once, beside imports
 * the rules allow. (`npm run lint` itself checks that the repository keeps them.)
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

/** Each file of the fixture tree and what it imports. */
const FIXTURE: Record<string, string> = {
  // Allowed: core inside core, a Node builtin, an npm dependency; a UI folder through another's index.ts.
  'src/core/model/types.ts': "import * as fs from 'node:fs';\nimport { z } from 'zod';\nexport const schema = z.string();\nexport const read = fs.readFileSync;\n",
  'src/core/text/clip.ts': "import { schema } from '../model/types';\nexport const clip = (s: string) => schema.parse(s);\n",
  'src/documents/index.ts': "export { documentFor } from './provider';\n",
  'src/documents/provider.ts': "import { clip } from '../core/text/clip';\nexport const documentFor = (s: string) => clip(s);\n",
  'src/webviews/panel/panel.ts': "import { documentFor } from '../../documents';\nexport const show = documentFor;\n",
  // Violations, one rule each (the names below).
  'src/core/analysis/usesView.ts': "import { row } from '../../views/row';\nexport const x = row;\n",
  'src/core/api/editor.ts': "import * as vscode from 'vscode';\nexport const w = vscode.window;\n",
  'src/store/sample.ts': "import { fake } from '../../test/fake';\nexport const s = fake;\n",
  'src/store/devOnly.ts': "import OpenAI from 'openai';\nexport const o = new OpenAI();\n",
  'src/views/row.ts': "import { show } from '../webviews/panel/panel';\nexport const row = show;\n",
  'src/webviews/panel/loop.ts': "import { back } from './loopBack';\nexport const loop = back;\n",
  'src/webviews/panel/loopBack.ts': "import { loop } from './loop';\nexport const back = () => loop;\n",
  // A folder cycle without a module cycle: config -> explorer -> config, through different files.
  'src/config/settings.ts': "import { prompt } from '../explorer/prompt';\nexport const settings = prompt;\n",
  'src/config/defaults.ts': 'export const defaults = 1;\n',
  'src/explorer/prompt.ts': "import { defaults } from '../config/defaults';\nexport const prompt = defaults;\n",
  'test/fake.ts': 'export const fake = 1;\n',
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruiseFixture(): { status: number | null; violations: Violation[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-rules-'));
  try {
    for (const [file, text] of Object.entries(FIXTURE)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    // The repository's package.json says which packages are dependencies and which devDependencies.
    fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
    const bin = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const cruise = (...extra: string[]) =>
      spawnSync(process.execPath, [bin, 'src', 'test', '--config', path.join(root, '.dependency-cruiser.cjs'), '--preserve-symlinks', ...extra], { cwd: dir, encoding: 'utf8' });
    // The lint's own run (the default `err` output sets the exit code), then the same as JSON to read.
    const status = cruise().status;
    const report = JSON.parse(cruise('--output-type', 'json').stdout) as { summary: { violations: Violation[] } };
    return { status, violations: report.summary.violations };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('import rules (dependency-cruiser, as npm run lint runs them)', function () {
  this.timeout(60_000);
  let result: ReturnType<typeof cruiseFixture>;
  before(() => {
    result = cruiseFixture();
  });
  const broken = (rule: string) => result.violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} -> ${v.to}`);

  it('fails the lint (non-zero exit) when a rule is broken', () => {
    assert.notEqual(result.status, 0);
  });

  it('src never imports test/', () => {
    assert.deepEqual(broken('src-not-to-test'), ['src/store/sample.ts -> test/fake.ts']);
  });

  it('src/core imports only src/core, Node builtins and npm packages, and never vscode', () => {
    assert.deepEqual(broken('core-stays-in-core'), ['src/core/analysis/usesView.ts -> src/views/row.ts']);
    assert.deepEqual(broken('core-not-to-vscode'), ['src/core/api/editor.ts -> node_modules/@types/vscode/index.d.ts']);
  });

  it('shipped code imports no devDependency', () => {
    assert.deepEqual(broken('src-not-to-dev-dependencies').map((v) => v.replace(/ -> node_modules\/openai\/.*/, ' -> openai')), ['src/store/devOnly.ts -> openai']);
  });

  it("documents, views and webviews import each other only through a folder's index.ts", () => {
    assert.deepEqual(broken('ui-folders-apart'), ['src/views/row.ts -> src/webviews/panel/panel.ts']);
  });

  it('no module cycle and no folder cycle', () => {
    // A cycle is reported once, from whichever of its modules is cruised first.
    assert.equal(broken('no-cycles').length, 1);
    assert.match(broken('no-cycles')[0] ?? '', /^src\/webviews\/panel\/loop(Back)?\.ts -> src\/webviews\/panel\/loop(Back)?\.ts$/);
    // config -> explorer -> config, through files that do not form a module cycle.
    assert.deepEqual(broken('no-folder-cycles').sort(), ['src/config -> src/explorer', 'src/explorer -> src/config']);
  });

  it('lets the allowed imports through', () => {
    const fromAllowed = result.violations.filter((v) => /^src\/(core\/(model|text)|documents|webviews\/panel\/panel)/.test(v.from));
    assert.deepEqual(fromAllowed, []);
  });
});
