/**
 * Streams events to a file without holding them. Text formats (JSON Lines,
 * JSON, CSV, OCSF) are formatted batch by batch and written about 1 MB at a
 * time; Parquet is written a row group at a time (parquetWriter.ts); the
 * evidence pack is a folder (evidencePack.ts). Every file goes through
 * writeFileAtomically: a temporary name beside the destination, 0600,
 * renamed only once complete, deleted on cancel or failure.
 */
import * as path from 'node:path';
import type { ParsedEvent } from '../model';
import { throwIfCancelled, writeFileAtomically } from './atomicFile';
import { writeEvidencePack, type EvidenceOptions } from './evidencePack';
import { type ExportFormat, type TextExportFormat, formatterFor } from './formats';
import { writeParquetFile } from './parquetWriter';

export interface ExportResult {
  /** Events written. */
  readonly count: number;
  /** How many of them were unreadable events (written as the API sent them); absent when none. */
  readonly unreadable?: number;
  /** The absolute path written (for the evidence pack, its folder). */
  readonly file: string;
}

export interface WriteEventsOptions {
  readonly signal?: AbortSignal;
  /** Called after each batch with the events written so far. */
  readonly onProgress?: (count: number) => void;
  /** Bytes collected before a write; default 1 MiB. */
  readonly chunkBytes?: number;
  /** Rows per Parquet row group (default parquetWriter's ROW_GROUP_ROWS). */
  readonly rowGroupRows?: number;
  /** What the evidence pack's manifest says beyond the events (organization, period, version, signing). */
  readonly evidence?: EvidenceOptions;
}

export async function writeEventsFile(
  batches: AsyncIterable<readonly ParsedEvent[]>,
  destination: string,
  format: ExportFormat,
  options: WriteEventsOptions = {},
): Promise<ExportResult> {
  const file = path.resolve(destination);
  let written: { count: number; unreadable: number };
  if (format === 'parquet') {
    written = await writeParquetFile(batches, file, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.rowGroupRows ? { rowGroupRows: options.rowGroupRows } : {}),
    });
  } else if (format === 'evidence') {
    written = await writeEvidencePack(batches, file, options.evidence ?? {}, options);
  } else {
    written = await writeTextFile(batches, file, format, options);
  }
  return { count: written.count, file, ...(written.unreadable > 0 ? { unreadable: written.unreadable } : {}) };
}

/** A text format, streamed through writeFileAtomically about `chunkBytes` at a time. */
export function writeTextFile(
  batches: AsyncIterable<readonly ParsedEvent[]>,
  file: string,
  format: TextExportFormat,
  options: WriteEventsOptions = {},
): Promise<{ count: number; unreadable: number }> {
  const { signal } = options;
  const formatter = formatterFor(format);
  const chunkLimit = Math.max(1, options.chunkBytes ?? 1 << 20);
  return writeFileAtomically(file, signal, async (handle) => {
    let count = 0;
    let unreadable = 0;
    let chunk = formatter.header();
    for await (const batch of batches) {
      throwIfCancelled(signal);
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
    throwIfCancelled(signal);
    chunk += formatter.footer(count);
    if (chunk.length > 0) await handle.write(chunk);
    return { count, unreadable };
  });
}
