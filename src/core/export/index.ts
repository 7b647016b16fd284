/**
 * Exporting the audit log to a file (no VS Code here): the formats, the
 * streaming writer, and `exportAuditLog`, which feeds the parallel fetcher's
 * newest-first stream straight into the writer.
 */
import type { AuditLogQuery } from '../api/query';
import { fetchAuditLogBatches, type FetchProgress, type PageLister, type ParallelFetchOptions } from '../fetch';
import type { ExportFormat } from './formats';
import { type ExportResult, writeEventsFile } from './exportWriter';

export {
  CSV_COLUMNS,
  EXPORT_FILE_EXTENSIONS,
  EXPORT_FORMATS,
  csvCell,
  csvRow,
  formatFromFileName,
  formatterFor,
  isExportFormat,
  singleLineJson,
  type EventFormatter,
  type ExportFormat,
} from './formats';
export { writeEventsFile, type ExportResult, type WriteEventsOptions } from './exportWriter';

export interface ExportAuditLogOptions extends Omit<ParallelFetchOptions, 'onProgress'> {
  /** Events written so far, and the fetch's own progress. */
  readonly onProgress?: (written: number, fetch: FetchProgress | undefined) => void;
}

/** Fetches every event matching `query` in parallel and streams them, newest first, to `destination`. */
export function exportAuditLog(
  lister: PageLister,
  query: AuditLogQuery,
  destination: string,
  format: ExportFormat,
  options: ExportAuditLogOptions = {},
): Promise<ExportResult> {
  let fetch: FetchProgress | undefined;
  let written = 0;
  const { onProgress, ...fetchOptions } = options;
  const batches = fetchAuditLogBatches(lister, query, {
    ...fetchOptions,
    onProgress: (p) => {
      fetch = p;
      onProgress?.(written, p);
    },
  });
  return writeEventsFile(batches, destination, format, {
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (count) => {
      written = count;
      onProgress?.(written, fetch);
    },
  });
}
