/**
 * The evidence pack: the events exactly as sent, a manifest, and a
 * SHA256SUMS that the real `sha256sum -c` accepts (and rejects once a byte
 * changes); signed, its Ed25519 signature verifies with the public key
 * written beside it. Like every export it never leaves a half-written pack.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CancelledError } from '../../../src/core/api';
import { EVIDENCE_FILES, generateSigningKey, writeEventsFile } from '../../../src/core/export';
import { parseAuditLogPage, type ParsedEvent } from '../../../src/core/model';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';

const run = promisify(execFile);

function sampleParsed(count: number): ParsedEvent[] {
  const events = generateSampleOrganization({ seed: 7, eventCount: count }).events;
  return parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data;
}

async function* batchesOf(events: readonly ParsedEvent[], size = 300): AsyncGenerator<ParsedEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

async function sha256sumCheck(folder: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run('sha256sum', ['-c', EVIDENCE_FILES.sums], { cwd: folder });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

interface Manifest {
  organization: { id: string; label: string };
  period: { start: number; end: number; startTime: string; endTime: string };
  count: number;
  countByType: Record<string, number>;
  first: { id: string; effective_at: number };
  last: { id: string; effective_at: number };
  extensionVersion: string;
  exportedAt: string;
  signature: { algorithm: string } | null;
}

describe('export: evidence pack', function () {
  this.timeout(60_000);
  let dir: string;
  const events = sampleParsed(2000);
  const options = {
    organization: { id: 'org-acme', label: 'Acme' },
    period: { start: 1_790_000_000, end: 1_800_000_000 },
    extensionVersion: '9.9.9',
    now: () => new Date('2026-12-01T12:00:00Z'),
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-evidence-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('holds the events exactly as sent, a manifest, and SHA256SUMS that sha256sum -c verifies', async () => {
    const folder = path.join(dir, 'pack');
    const result = await writeEventsFile(batchesOf(events), folder, 'evidence', { evidence: options });
    assert.deepEqual(result, { count: events.length, file: folder });
    assert.deepEqual((await fs.readdir(folder)).sort(), [EVIDENCE_FILES.sums, EVIDENCE_FILES.events, EVIDENCE_FILES.manifest].sort());
    assert.equal(await fs.readFile(path.join(folder, EVIDENCE_FILES.events), 'utf8'), events.map((e) => `${e.raw}\n`).join(''));
    const check = await sha256sumCheck(folder);
    assert.ok(check.ok, check.output);
    assert.match(check.output, /events\.jsonl: OK/);
    assert.match(check.output, /manifest\.json: OK/);
    for (const f of await fs.readdir(folder)) assert.equal((await fs.stat(path.join(folder, f))).mode & 0o777, 0o600, f);
    assert.equal((await fs.stat(folder)).mode & 0o777, 0o700);
  });

  it('says the period, the organization, the count per type, the first and last event, the version and the time', async () => {
    const folder = path.join(dir, 'pack');
    await writeEventsFile(batchesOf(events), folder, 'evidence', { evidence: options });
    const manifest = JSON.parse(await fs.readFile(path.join(folder, EVIDENCE_FILES.manifest), 'utf8')) as Manifest;
    assert.deepEqual(manifest.organization, options.organization);
    assert.deepEqual([manifest.period.start, manifest.period.end, manifest.period.startTime], [1_790_000_000, 1_800_000_000, new Date(1_790_000_000_000).toISOString()]);
    assert.equal(manifest.count, events.length);
    const byType: Record<string, number> = {};
    for (const e of events) byType[e.event.type] = (byType[e.event.type] ?? 0) + 1;
    assert.deepEqual(manifest.countByType, byType);
    const times = events.map((e) => e.event.effective_at);
    assert.equal(manifest.first.effective_at, Math.min(...times));
    assert.equal(manifest.last.effective_at, Math.max(...times));
    assert.ok(events.some((e) => e.event.id === manifest.first.id && e.event.effective_at === manifest.first.effective_at));
    assert.deepEqual([manifest.extensionVersion, manifest.exportedAt, manifest.signature], ['9.9.9', '2026-12-01T12:00:00.000Z', null]);
  });

  it('fails sha256sum -c once one byte of the events changes', async () => {
    const folder = path.join(dir, 'pack');
    await writeEventsFile(batchesOf(events), folder, 'evidence', { evidence: options });
    const file = path.join(folder, EVIDENCE_FILES.events);
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('"login.failed"', '"login.succeeded"'));
    const check = await sha256sumCheck(folder);
    assert.equal(check.ok, false);
    assert.match(check.output, /events\.jsonl: FAILED/);
  });

  it('signed: SHA256SUMS carries an Ed25519 signature that the public key beside the pack verifies', async () => {
    const key = generateSigningKey();
    const folder = path.join(dir, 'signed');
    await writeEventsFile(batchesOf(events), folder, 'evidence', { evidence: { ...options, signingKeyPem: key.privateKeyPem } });
    const publicPem = await fs.readFile(path.join(folder, EVIDENCE_FILES.publicKey), 'utf8');
    assert.equal(publicPem, key.publicKeyPem);
    const sums = await fs.readFile(path.join(folder, EVIDENCE_FILES.sums));
    const signature = await fs.readFile(path.join(folder, EVIDENCE_FILES.signature));
    assert.ok(verify(null, sums, createPublicKey(publicPem), signature));
    assert.ok(!verify(null, Buffer.concat([sums, Buffer.from('x')]), createPublicKey(publicPem), signature));
    assert.match(sums.toString(), /signing-key\.pub\.pem/);
    // What the README tells an auditor to run.
    const { stdout } = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', EVIDENCE_FILES.publicKey, '-rawin', '-in', EVIDENCE_FILES.sums, '-sigfile', EVIDENCE_FILES.signature], { cwd: folder });
    assert.match(stdout, /Signature Verified Successfully/);
    assert.ok((await sha256sumCheck(folder)).ok);
    const manifest = JSON.parse(await fs.readFile(path.join(folder, EVIDENCE_FILES.manifest), 'utf8')) as Manifest;
    assert.equal(manifest.signature?.algorithm, 'Ed25519');
    // The private key is nowhere in the pack.
    for (const f of await fs.readdir(folder)) assert.doesNotMatch(await fs.readFile(path.join(folder, f), 'latin1'), /PRIVATE KEY/);
  });

  it('refuses a folder that is not empty, and leaves nothing when cancelled', async () => {
    const full = path.join(dir, 'full');
    await fs.mkdir(full);
    await fs.writeFile(path.join(full, 'keep.txt'), 'mine');
    await assert.rejects(writeEventsFile(batchesOf(events), full, 'evidence', { evidence: options }), /not empty/);
    assert.deepEqual(await fs.readdir(full), ['keep.txt']);
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<ParsedEvent[]> {
      yield events.slice(0, 10);
      controller.abort();
      yield events.slice(10, 20);
    }
    await assert.rejects(writeEventsFile(slow(), path.join(dir, 'cancelled'), 'evidence', { signal: controller.signal, evidence: options }), CancelledError);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['full']);
  });
});
