/**
 * The one rule every export follows: the bytes go to a temporary name next
 * to the destination (`.<name>.<random>.partial`), created 0600 (an export
 * holds member emails, IP addresses and key ids; other users of the machine
 * need not read it), and are renamed onto the destination only once complete
 * and synced. A cancelled or failed export deletes the temporary file, so the
 * destination never holds a half-written file and an existing one stays.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { CancelledError } from '../api/errors';

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('The export was cancelled.');
}

/** The temporary name beside `file` that an export writes before renaming. */
export function partialName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
}

/** Runs `body` on a fresh 0600 file handle, then syncs, closes and renames it onto `destination`. */
export async function writeFileAtomically<T>(
  destination: string,
  signal: AbortSignal | undefined,
  body: (handle: FileHandle) => Promise<T>,
): Promise<T> {
  throwIfCancelled(signal);
  const file = path.resolve(destination);
  const temp = partialName(file);
  const handle = await fs.open(temp, 'wx', 0o600);
  let closed = false;
  try {
    const result = await body(handle);
    throwIfCancelled(signal);
    await handle.sync();
    await handle.close();
    closed = true;
    throwIfCancelled(signal);
    await fs.rename(temp, file);
    return result;
  } catch (error) {
    if (!closed) await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
