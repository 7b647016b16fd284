/**
 * What the archive tests read from outside the extension: the organization's archive file under the
 * server's globalStorage (opened with node-sqlite3-wasm on a copy, so the test never writes to the
 * extension's file nor takes its locks), and the VS Code server's process tree (to find, and kill, the
 * extension host of a window).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from 'node-sqlite3-wasm';

/** The default organization's archive under `<user-data>/User/globalStorage/<extension id>/archives/`. */
export function archivePathIn(userDataDir: string): string {
  return path.join(userDataDir, 'User', 'globalStorage', 'auditlens.openai-audit-logs', 'archives', 'default.sqlite3');
}

export interface ArchiveSnapshot {
  /** `PRAGMA integrity_check`, its rows joined ('ok' when sound). */
  readonly integrity: string;
  readonly ids: ReadonlySet<string>;
  /** Rows of `events` (more than `ids.size` only if an id were stored twice). */
  readonly rows: number;
  readonly coverage: readonly { gte: number; lt: number }[];
}

/**
 * Reads the archive as it is on disk now, from a copy of its file and write-ahead log (byte for byte what
 * SQLite would recover). Opening the copy replays the log there, never in the extension's file. While the
 * extension writes, the two copies may disagree (a checkpoint in between): callers polling then retry.
 */
export function readArchiveCopy(file: string): ArchiveSnapshot {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oal-archive-copy-'));
  try {
    const copy = path.join(dir, 'copy.sqlite3');
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new Database(copy);
    try {
      // As the extension opens it: WAL in exclusive mode (the wasm VFS has no shared memory).
      db.get('PRAGMA locking_mode = EXCLUSIVE');
      const integrity = db.all('PRAGMA integrity_check').map((r) => String(Object.values(r)[0])).join('\n');
      const ids = new Set(db.all('SELECT id FROM events').map((r) => String(r['id'])));
      const rows = Number(db.get('SELECT count(*) AS n FROM events')?.['n']);
      const coverage = db.all('SELECT gte, lt FROM coverage ORDER BY gte').map((r) => ({ gte: Number(r['gte']), lt: Number(r['lt']) }));
      return { integrity, ids, rows, coverage };
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The pid written in the archive's owner lock (`<file>.owner/owner.json`), if there is one. */
export function lockOwnerPid(file: string): number | undefined {
  try {
    return Number((JSON.parse(fs.readFileSync(path.join(`${file}.owner`, 'owner.json'), 'utf8')) as { pid?: unknown }).pid);
  } catch {
    return undefined;
  }
}

interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly args: string;
}

function processes(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const args = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(name), ppid: Number(rest[1]), state: rest[0]!, args });
    } catch {
      // gone while we looked
    }
  }
  return out;
}

/** Every living descendant of `pid` (children, their children, …). */
export function descendantsOf(pid: number): ProcessInfo[] {
  const all = processes();
  const found: ProcessInfo[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all) {
      if (p.ppid === parent && p.state !== 'Z') {
        found.push(p);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

/** The extension host processes the VS Code server `serverPid` runs (one per connected window). */
export function extensionHostPids(serverPid: number): number[] {
  return descendantsOf(serverPid)
    .filter((p) => /--type=extensionHost|extensionHostProcess/.test(p.args))
    .map((p) => p.pid);
}

/** Whether `pid` has ended (gone, or a zombie not yet reaped). */
export function hasEnded(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}
