import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArchiveBusyError, ArchiveUnavailableError, AuditArchive, MEMORY } from '../core/archive';

/** How the events of this window are held: the organization's file, memory by choice, or memory because the file failed. */
export type ArchiveMode = 'file' | 'memory' | 'fallback';

export interface OpenedArchive {
  readonly archive: AuditArchive;
  readonly mode: ArchiveMode;
  /** Why the file could not be used (mode 'fallback'): a plain sentence, never a key. */
  readonly problem?: string;
}

/** How long a window waits for another window that holds the same archive before it works from memory. */
const BUSY_WAIT_MS = 3_000;

/** Where an organization's archive lives: `<globalStorage>/archives/<organization id>.sqlite3`. */
export function archiveFile(globalStorageDir: string, organizationId: string): string {
  const safe = organizationId.replace(/[^A-Za-z0-9_-]/g, '_');
  return path.join(globalStorageDir, 'archives', `${safe}.sqlite3`);
}

/**
 * Opens an archive: the file when `file` is given, else memory. A file that cannot be used (read-only or
 * full disk, another window holding it, not a database) falls back to memory with the reason, so the view
 * keeps working.
 */
export async function openArchive(file: string | undefined, log: (message: string) => void): Promise<OpenedArchive> {
  if (file === undefined) return { archive: await AuditArchive.open(MEMORY, { log }), mode: 'memory' };
  try {
    return { archive: await AuditArchive.open(file, { log, lock: { waitMs: BUSY_WAIT_MS } }), mode: 'file' };
  } catch (error) {
    if (!(error instanceof ArchiveUnavailableError) && !(error instanceof ArchiveBusyError)) throw error;
    return { archive: await AuditArchive.open(MEMORY, { log }), mode: 'fallback', problem: error.message };
  }
}

/** Removes an archive's file and what SQLite and the lock keep beside it. True when there was a file. */
export function deleteArchiveFiles(file: string): boolean {
  const existed = fs.existsSync(file);
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  for (const suffix of ['.lock', '.owner', '.owner.takeover']) fs.rmSync(`${file}${suffix}`, { recursive: true, force: true });
  return existed;
}
