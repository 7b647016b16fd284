/**
 * The archive's owner lock: a directory `<file>.owner` (mkdir is atomic)
 * holding `owner.json` ({ pid, hostname, started, heartbeat, token }). A
 * process takes it before it opens the archive's file and keeps it until it
 * closes it, refreshing the heartbeat; a second process waits (bounded) and
 * then gets `ArchiveBusyError`.
 *
 * Stale locks. A lock is stale when its owner is gone: on this host, its pid
 * is not alive (or is a zombie); anywhere, its heartbeat is older than
 * `staleMs`; a directory without a readable owner file is stale once older
 * than `incompleteMs` (a process killed between mkdir and writing the file).
 *
 * Takeover without two owners. Only the holder of the guard directory
 * `<file>.owner.takeover` (mkdir again) may remove someone else's lock: it
 * re-reads the owner under the guard, removes the lock only if it is still
 * the same stale owner (same token), then takes the lock with mkdir like any
 * other process. Two processes that both judged a lock stale therefore
 * cannot both remove it: the second one either fails to get the guard or,
 * under it, finds a fresh owner and goes back to waiting. A guard left by a
 * process killed in the millisecond it holds one is cleared by the same
 * staleness rules.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveBusyError } from './errors';

export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** Unix milliseconds. */
  readonly started: number;
  /** Unix milliseconds of the last refresh. */
  readonly heartbeat: number;
  readonly token: string;
}

export interface ArchiveLockOptions {
  /** How long to wait for another owner to release the lock; default 5 s (0: do not wait). */
  readonly waitMs?: number;
  readonly pollMs?: number;
  /** A heartbeat older than this means the owner is gone; default 60 s. */
  readonly staleMs?: number;
  /** How often the owner refreshes its heartbeat; default 10 s. */
  readonly heartbeatMs?: number;
  /** A lock directory with no readable owner file is stale after this; default 10 s. */
  readonly incompleteMs?: number;
  readonly now?: () => number;
}

const OWNER_FILE = 'owner.json';
/** Tokens of the locks this process holds (a lock with our pid but another token is stale). */
const heldTokens = new Set<string>();

export class ArchiveLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;

  private constructor(
    readonly dir: string,
    readonly token: string,
    private readonly started: number,
    private readonly now: () => number,
    heartbeatMs: number,
  ) {
    heldTokens.add(token);
    this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
    this.timer.unref();
  }

  /** Takes the lock of `file` (`<file>.owner`), waiting up to `waitMs` for its owner, taking over a stale one. */
  static async acquire(file: string, options: ArchiveLockOptions = {}): Promise<ArchiveLock> {
    const dir = `${file}.owner`;
    const now = options.now ?? Date.now;
    const waitMs = Math.max(0, options.waitMs ?? 5_000);
    const pollMs = Math.max(1, options.pollMs ?? 50);
    const rules: StaleRules = { staleMs: options.staleMs ?? 60_000, incompleteMs: options.incompleteMs ?? 10_000, now };
    const deadline = now() + waitMs;
    for (;;) {
      const token = randomBytes(12).toString('hex');
      if (tryCreate(dir, token, now)) return new ArchiveLock(dir, token, now(), now, options.heartbeatMs ?? 10_000);
      const seen = readOwner(dir);
      if (isStale(dir, seen, rules) && takeOver(dir, seen, rules)) continue;
      if (now() >= deadline) {
        const owner = readOwner(dir);
        const who = owner ? `process ${owner.pid} on ${owner.hostname}` : 'another process';
        throw new ArchiveBusyError(
          owner ? { pid: owner.pid, hostname: owner.hostname, started: owner.started } : undefined,
          `The audit-log archive is in use by ${who} (another VS Code window?). Close it there, or try again.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** The owner file as it is now on disk (undefined when unreadable). */
  static readOwner(file: string): LockOwner | undefined {
    return readOwner(`${file}.owner`);
  }

  /** Whether the lock on disk is still this one (it could have been taken over after a long freeze). */
  isHeld(): boolean {
    return !this.released && readOwner(this.dir)?.token === this.token;
  }

  heartbeat(): void {
    if (this.released || !this.isHeld()) return;
    try {
      writeOwner(this.dir, { pid: process.pid, hostname: os.hostname(), started: this.started, heartbeat: this.now(), token: this.token });
    } catch {
      // a failed refresh only makes the lock look older
    }
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    heldTokens.delete(this.token);
    if (readOwner(this.dir)?.token !== this.token) return;
    removeLockDir(this.dir);
  }
}

interface StaleRules {
  readonly staleMs: number;
  readonly incompleteMs: number;
  readonly now: () => number;
}

function tryCreate(dir: string, token: string, now: () => number): boolean {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  const t = now();
  writeOwner(dir, { pid: process.pid, hostname: os.hostname(), started: t, heartbeat: t, token });
  return true;
}

function writeOwner(dir: string, owner: LockOwner): void {
  const tmp = path.join(dir, `${OWNER_FILE}.${owner.token}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(owner), { mode: 0o600 });
  fs.renameSync(tmp, path.join(dir, OWNER_FILE));
}

function readOwner(dir: string): LockOwner | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof v.pid !== 'number' || typeof v.hostname !== 'string' || typeof v.token !== 'string') return undefined;
    return { pid: v.pid, hostname: v.hostname, started: Number(v.started) || 0, heartbeat: Number(v.heartbeat) || 0, token: v.token };
  } catch {
    return undefined;
  }
}

function ageMs(dir: string, now: () => number): number | undefined {
  try {
    return now() - fs.statSync(dir).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether the lock at `dir`, whose owner file read as `owner`, belongs to nobody alive. */
function isStale(dir: string, owner: LockOwner | undefined, rules: StaleRules): boolean {
  if (!owner) {
    const age = ageMs(dir, rules.now);
    return age !== undefined && age > rules.incompleteMs;
  }
  if (owner.hostname === os.hostname()) {
    if (owner.pid === process.pid) return !heldTokens.has(owner.token);
    if (!isProcessAlive(owner.pid)) return true;
  }
  return rules.now() - owner.heartbeat > rules.staleMs;
}

/** Removes a stale lock under the takeover guard; true when it was removed (the caller then retries mkdir). */
function takeOver(dir: string, judged: LockOwner | undefined, rules: StaleRules): boolean {
  const guard = `${dir}.takeover`;
  const token = randomBytes(12).toString('hex');
  if (!tryCreate(guard, token, rules.now)) {
    const holder = readOwner(guard);
    if (isStale(guard, holder, rules) && readOwner(guard)?.token === holder?.token) removeLockDir(guard);
    return false;
  }
  heldTokens.add(token);
  try {
    const current = readOwner(dir);
    if (current?.token !== judged?.token || !isStale(dir, current, rules)) return false;
    removeLockDir(dir);
    return true;
  } finally {
    heldTokens.delete(token);
    removeLockDir(guard);
  }
}

function removeLockDir(dir: string): void {
  try {
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
    fs.rmdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Whether `pid` runs on this host (a zombie, killed but not yet reaped, counts as gone). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (macOS, Windows): kill(0) said alive
  }
}
