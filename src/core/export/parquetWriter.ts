/**
 * Streams events into a Parquet file with hyparquet-writer (pure JS, no
 * native code or WebAssembly; Snappy built in). Events are collected column
 * by column into one row group (ROW_GROUP_ROWS, the size engines such as
 * DuckDB, Spark and Athena read well: not one giant group, not one per page),
 * which is encoded, Snappy-compressed and written before the next is
 * collected, so memory stays flat in the number of events. Every column has
 * min/max statistics, and `effective_at` a page-level column index too, so a
 * time filter skips row groups and pages. The file goes through
 * writeFileAtomically (temporary name, 0600, rename when complete).
 */
import type { FileHandle } from 'node:fs/promises';
import type { ParsedEvent } from '../model';
import { throwIfCancelled, writeFileAtomically } from './atomicFile';
import { PARQUET_COLUMNS, parquetRow, parquetSchema, type ParquetColumnName } from './parquetColumns';

/** Rows per row group: 65,536 (about 20-60 MB of event text before compression). */
export const ROW_GROUP_ROWS = 65_536;

export interface ParquetWriteOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (count: number) => void;
  /** Rows per row group; default ROW_GROUP_ROWS (tests use small ones). */
  readonly rowGroupRows?: number;
  /** Extra key/value metadata stored in the file's footer. */
  readonly metadata?: Readonly<Record<string, string>>;
}

type HyparquetWriter = typeof import('hyparquet-writer', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<HyparquetWriter> | undefined;
/** hyparquet-writer is an ES module: loaded on the first Parquet export (bundled by esbuild). */
function hyparquetWriter(): Promise<HyparquetWriter> {
  loaded ??= import('hyparquet-writer');
  return loaded;
}

/** A ByteWriter whose flush (after each row group, and at the end) appends its bytes to the file. */
function handleWriter(lib: HyparquetWriter, handle: FileHandle) {
  const writer = new lib.ByteWriter(1 << 20) as InstanceType<HyparquetWriter['ByteWriter']> & { index: number };
  const flush = async (): Promise<void> => {
    if (writer.index === 0) return;
    await handle.write(new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
  };
  return Object.assign(writer, { flush, finish: flush });
}

export async function writeParquetFile(
  batches: AsyncIterable<readonly ParsedEvent[]>,
  destination: string,
  options: ParquetWriteOptions = {},
): Promise<{ count: number; unreadable: number }> {
  const { signal } = options;
  const groupRows = Math.max(1, Math.floor(options.rowGroupRows ?? ROW_GROUP_ROWS));
  const lib = await hyparquetWriter();
  return writeFileAtomically(destination, signal, async (handle) => {
    const writer = new lib.ParquetWriter({
      writer: handleWriter(lib, handle),
      schema: parquetSchema() as never,
      codec: 'SNAPPY',
      statistics: true,
      createdBy: 'openai-audit-logs (hyparquet-writer)',
      kvMetadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    });
    let columns = emptyColumns();
    let pending = 0;
    let count = 0;
    let unreadable = 0;
    const writeGroup = async () => {
      if (pending === 0) return;
      const columnData = PARQUET_COLUMNS.map((c) => ({ name: c.name, data: columns[c.name], ...(c.name === 'effective_at' ? { columnIndex: true } : {}) }));
      columns = emptyColumns();
      await writer.write({ columnData, rowGroupSize: pending });
      pending = 0;
    };
    for await (const batch of batches) {
      throwIfCancelled(signal);
      for (const e of batch) {
        if (e.unreadable !== undefined) unreadable++;
        const row = parquetRow(e);
        for (const c of PARQUET_COLUMNS) columns[c.name].push(row[c.name]);
        count++;
        if (++pending >= groupRows) await writeGroup();
      }
      options.onProgress?.(count);
    }
    throwIfCancelled(signal);
    await writeGroup();
    await writer.finish();
    return { count, unreadable };
  });
}

function emptyColumns(): Record<ParquetColumnName, (string | number | null)[]> {
  return Object.fromEntries(PARQUET_COLUMNS.map((c) => [c.name, []])) as unknown as Record<ParquetColumnName, (string | number | null)[]>;
}
