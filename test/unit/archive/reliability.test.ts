/**
 * The archive across processes: a writer killed with SIGKILL in the middle of
 * a sync, two writers at once, stale locks, a read-only folder. Real child
 * processes, a real file, the loopback API.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveBusyError, ArchiveUnavailableError, AuditArchive, syncArchive } from '../../../src/core/archive';
import { AuditLogClient } from '../../../src/core/api';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../../src/core/sample/loopbackServer';
import { sampleObjects, tempDir } from './helpers';

const KEY = 'sk-admin-archive-reliability-0123456789';
const CHILD = path.join(__dirname, 'fixtures', 'archiveChild.ts');
const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  /** Resolves with the first line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

function child(...args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    process: proc,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line ${pattern} in time; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => {
          clearTimeout(timer);
          if (!lines.some((l) => pattern.test(l))) reject(new Error(`child exited ${code} before ${pattern}; stderr: ${stderr}`));
        });
      });
    },
  };
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('archive reliability across processes', function () {
  this.timeout(180_000);
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'org.sqlite');
  });
  afterEach(() => {
    spawnSync('chattr', ['-i', dir], { stdio: 'ignore' });
    fs.chmodSync(dir, 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a writer killed (SIGKILL) in the middle of a sync loses no committed event, and the next sync completes the exact id set', async () => {
    let server: FakeAuditLogServer | undefined;
    let client: AuditLogClient | undefined;
    try {
      server = await startFakeAuditLogServer({ events: sampleObjects(4000), apiKey: KEY, latencyMs: 1 });
      const writer = child('sync', file, server.url, KEY);
      await writer.waitFor(/^COMMIT (\d+)$/);
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 300));
      writer.process.kill('SIGKILL');
      await writer.exited;
      assert.ok(!writer.lines.includes('SYNCED'), 'killed before it finished');
      const committed = Math.max(...writer.lines.filter((l) => l.startsWith('COMMIT ')).map((l) => Number(l.slice(7))));
      assert.ok(fs.existsSync(`${file}.owner`) && fs.existsSync(`${file}.lock`), 'the killed writer left its locks behind');

      const archive = await AuditArchive.open(file, { lock: { waitMs: 2_000 } });
      assert.equal(archive.integrityCheck(), 'ok');
      const kept = archive.count();
      assert.ok(kept >= committed, `${kept} events after the kill, ${committed} were committed`);
      assert.ok(kept < 4000);
      client = new AuditLogClient({ baseUrl: server.url, apiKey: KEY });
      await syncArchive(archive, client);
      assert.deepEqual(archive.allIds(), server.eventIds());
      assert.equal(archive.integrityCheck(), 'ok');
      archive.close();
    } finally {
      await client?.close();
      await server?.close();
    }
  });

  it('two processes writing the same archive at once: one waits, nothing is lost or torn', async () => {
    const a = child('write', file, 'a', '1500');
    const b = child('write', file, 'b', '1500');
    const [codeA, codeB] = await Promise.all([a.exited, b.exited]);
    assert.deepEqual([codeA, codeB], [0, 0]);
    const waited = [a, b].map((c) => Number(c.lines.find((l) => l.startsWith('OPEN '))!.slice(5)));
    assert.ok(Math.max(...waited) >= 50, `one of them waited for the other (${waited.join(', ')} ms)`);
    const archive = await AuditArchive.open(file);
    assert.equal(archive.integrityCheck(), 'ok');
    assert.equal(archive.count(), 3000);
    archive.close();
  });

  it('a second process gives up after its wait with ArchiveBusyError naming the owner', async () => {
    const holder = child('hold', file, '4000');
    await holder.waitFor(/^OPEN$/);
    await assert.rejects(
      AuditArchive.open(file, { lock: { waitMs: 300 } }),
      (e: unknown) => e instanceof ArchiveBusyError && e.owner?.pid === holder.process.pid && /in use by process \d+/.test(e.message),
    );
    holder.process.kill('SIGTERM');
    await holder.exited;
  });

  it('recovers a stale lock: a dead pid on this host, or a silent owner elsewhere; a fresh one elsewhere stays', async () => {
    const owner = (o: object): void => {
      fs.mkdirSync(`${file}.owner`, { recursive: true });
      fs.writeFileSync(path.join(`${file}.owner`, 'owner.json'), JSON.stringify(o));
    };
    owner({ pid: deadPid(), hostname: os.hostname(), started: Date.now(), heartbeat: Date.now(), token: 'dead' });
    fs.mkdirSync(`${file}.lock`);
    (await AuditArchive.open(file, { lock: { waitMs: 0 } })).close();

    owner({ pid: 1, hostname: 'another-host.example', started: 0, heartbeat: Date.now() - 10 * 60_000, token: 'silent' });
    (await AuditArchive.open(file, { lock: { waitMs: 0 } })).close();

    owner({ pid: 1, hostname: 'another-host.example', started: 0, heartbeat: Date.now(), token: 'alive' });
    await assert.rejects(AuditArchive.open(file, { lock: { waitMs: 100 } }), ArchiveBusyError);
    fs.rmSync(`${file}.owner`, { recursive: true });

    fs.mkdirSync(`${file}.owner`); // killed between mkdir and writing its owner file
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.owner`, past, past);
    (await AuditArchive.open(file, { lock: { waitMs: 0 } })).close();
  });

  it('several processes finding the same stale lock never own it at the same time', async () => {
    fs.mkdirSync(`${file}.owner`);
    fs.writeFileSync(path.join(`${file}.owner`, 'owner.json'), JSON.stringify({ pid: deadPid(), hostname: os.hostname(), started: 0, heartbeat: Date.now(), token: 'dead' }));
    const holders = Array.from({ length: 4 }, () => child('hold', file, '250'));
    const codes = await Promise.all(holders.map((h) => h.exited));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    const spans = holders.map((h) => h.lines.find((l) => l.startsWith('HELD '))!.split(' ').slice(1).map(Number) as [number, number]);
    spans.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], `two owners at once: ${JSON.stringify(spans)}`);
  });

  it('a read-only folder gives a clear ArchiveUnavailableError', async () => {
    const root = process.getuid?.() === 0;
    if (root) {
      if (spawnSync('chattr', ['+i', dir]).status !== 0) return void console.warn('chattr unavailable: skipped');
    } else {
      fs.chmodSync(dir, 0o555);
    }
    await assert.rejects(
      AuditArchive.open(file),
      (e: unknown) => e instanceof ArchiveUnavailableError && ['readOnly', 'permission'].includes(e.reason) && e.message.includes(file),
    );
    // The same code path in memory keeps working.
    const memory = await AuditArchive.open(':memory:');
    assert.equal(memory.count(), 0);
    memory.close();
  });
});
