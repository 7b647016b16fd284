// `npm test`: every tier, in order, each streamed as it runs; then one summary.
// A tier that fails does not hide the others: all run, and the exit code is
// non-zero when any failed. The last line is the plain "N passed, N failed".
import { spawn } from 'node:child_process';

const tiers = [
  { name: 'typecheck', script: 'typecheck', counts: false },
  { name: 'lint', script: 'lint', counts: false },
  { name: 'unit', script: 'test:unit', counts: true },
  { name: 'integration (VS Code 1.100 extension host)', script: 'test:integration', counts: true },
  { name: 'e2e (Playwright, headless Chromium)', script: 'test:e2e', counts: true },
];

function runTier(tier) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', tier.script], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (b) => { out += b; process.stdout.write(b); });
    child.stderr.on('data', (b) => { out += b; process.stderr.write(b); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function count(out, word) {
  // mocha's spec reporter: "  12 passing (3s)", "  1 failing", "  2 pending"
  const all = [...out.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
  return all.reduce((n, m) => n + Number(m[1]), 0);
}

const started = Date.now();
const rows = [];
let passed = 0, failed = 0, skipped = 0;
for (const tier of tiers) {
  process.stdout.write(`\n=== ${tier.name} ===\n`);
  const t0 = Date.now();
  const { code, out } = await runTier(tier);
  const row = { tier: tier.name, ok: code === 0, seconds: ((Date.now() - t0) / 1000).toFixed(1) };
  if (tier.counts) {
    row.passed = count(out, 'passing');
    row.failed = count(out, 'failing');
    row.skipped = count(out, 'pending');
    if (code !== 0 && row.failed === 0) row.failed = 1; // a tier that crashed before reporting
    if (code === 0 && row.passed === 0) { row.ok = false; row.failed = 1; row.note = 'ran no test'; }
    passed += row.passed; failed += row.failed; skipped += row.skipped;
  } else if (code !== 0) {
    failed += 1;
  }
  rows.push(row);
}

process.stdout.write('\n=== summary ===\n');
for (const r of rows) {
  const counts = r.passed !== undefined ? ` ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped` : '';
  process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.tier}${counts} (${r.seconds} s)${r.note ? ` — ${r.note}` : ''}\n`);
}
process.stdout.write(`total time ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(rows.every((r) => r.ok) ? 0 : 1);
