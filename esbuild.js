// One build script for everything that runs: the extension (Node, cjs, `vscode`
// external), each webview's browser bundle, and the integration suite that runs
// inside the extension host. Type-checking is separate (`npm run typecheck`).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Every webview-ui/<name>/main.ts becomes dist/webview-<name>.js. */
function webviewEntries() {
  const dir = path.join(__dirname, 'webview-ui');
  if (!fs.existsSync(dir)) return {};
  const entries = {};
  for (const name of fs.readdirSync(dir)) {
    const main = path.join(dir, name, 'main.ts');
    if (fs.existsSync(main)) entries[`webview-${name}`] = main;
  }
  return entries;
}

/** Every test/integration/**\/*.test.ts plus the suite's index, for the extension host. */
function integrationEntries() {
  const dir = path.join(__dirname, 'test', 'integration');
  const entries = { index: path.join(dir, 'index.ts') };
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.test.ts')) entries[f.replace(/\.ts$/, '')] = path.join(dir, f);
  }
  return entries;
}

const logProblems = {
  name: 'log-problems',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}`);
      }
    });
  },
};

/** The codicon font and its stylesheet, for webviews (their localResourceRoots are dist/ and media/ only). */
function copyCodicons() {
  const from = path.join(path.dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, f), path.join(__dirname, 'dist', f));
}

/**
 * The SQLite engine of the archive (node-sqlite3-wasm): its JS is bundled into
 * dist/extension.js, and it loads `node-sqlite3-wasm.wasm` from `__dirname`,
 * which is dist/ once bundled, so the .wasm is copied next to the bundle.
 */
function copySqliteWasm() {
  const from = path.join(path.dirname(require.resolve('node-sqlite3-wasm/package.json')), 'dist', 'node-sqlite3-wasm.wasm');
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  fs.copyFileSync(from, path.join(__dirname, 'dist', 'node-sqlite3-wasm.wasm'));
}

async function main() {
  const common = { bundle: true, logLevel: 'warning', plugins: [logProblems], legalComments: 'none' };
  const builds = [
    {
      ...common,
      entryPoints: { extension: 'src/extension.ts' },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
    },
    {
      ...common,
      entryPoints: webviewEntries(),
      outdir: 'dist',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: production,
      sourcemap: production ? false : 'inline',
    },
  ];
  if (!production) {
    builds.push({
      ...common,
      entryPoints: integrationEntries(),
      outdir: 'out/test/integration',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha'],
      sourcemap: 'inline',
    });
  }
  if (production) fs.rmSync(path.join(__dirname, 'dist'), { recursive: true, force: true });
  copyCodicons();
  copySqliteWasm();
  const contexts = await Promise.all(builds.filter((b) => Object.keys(b.entryPoints).length > 0).map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
