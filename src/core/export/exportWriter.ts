/**
 * Streams events to a file without holding them: each batch is formatted and
 * written as it arrives (about 1 MB per write). The text goes to a temporary
 * file next to the destination (`.<name>.<random>.partial`), which is renamed
 * onto the destination only after the last byte is written and synced; a
 * cancelled or failed export deletes it, so the destination name never holds
 * a half-written file (and an existing file there stays as it was).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CancelledError } from '../api/errors';
import type { ParsedEvent } from '../model';
import { type ExportFormat, formatterFor } from './formats';

export interface ExportResult {
  /** Events written. */
  readonly count: number;
  /** How many of them were unreadable events (written as the API sent them); absent when none. */
  readonly unreadable?: number;
  /** The absolute path written. */
  readonly file: string;
}

export interface WriteEventsOptions {
  readonly signal?: AbortSignal;
  /** Called after each batch with the events written so far. */
  readonly onProgress?: (count: number) => void;
  /** Bytes collected before a write; default 1 MiB. */
  readonly chunkBytes?: number;
}

export async function writeEventsFile(
  batches: AsyncIterable<readonly ParsedEvent[]>,
  destination: string,
  format: ExportFormat,
  options: WriteEventsOptions = {},
): Promise<ExportResult> {
  const { signal } = options;
  if (signal?.aborted) throw new CancelledError('The export was cancelled.');
  const file = path.resolve(destination);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  const formatter = formatterFor(format);
  const chunkLimit = Math.max(1, options.chunkBytes ?? 1 << 20);
  // 0600: an export holds member emails, IP addresses and key ids; other users of the machine need not read it.
  const handle = await fs.open(temp, 'wx', 0o600);
  let closed = false;
  let count = 0;
  let unreadable = 0;
  try {
    let chunk = formatter.header();
    for await (const batch of batches) {
      if (signal?.aborted) throw new CancelledError('The export was cancelled.');
      for (const e of batch) {
        if (e.unreadable !== undefined) unreadable++;
        chunk += formatter.event(e, count++);
        if (chunk.length >= chunkLimit) {
          await handle.write(chunk);
          chunk = '';
        }
      }
      options.onProgress?.(count);
    }
    if (signal?.aborted) throw new CancelledError('The export was cancelled.');
    chunk += formatter.footer(count);
    if (chunk.length > 0) await handle.write(chunk);
    await handle.sync();
    await handle.close();
    closed = true;
    if (signal?.aborted) throw new CancelledError('The export was cancelled.');
    await fs.rename(temp, file);
    return { count, file, ...(unreadable > 0 ? { unreadable } : {}) };
  } catch (error) {
    if (!closed) await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
