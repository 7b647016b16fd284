/**
 * Exporting the audit log to a file (no VS Code here): the formats (JSON
 * Lines, JSON, CSV, OCSF, Parquet, the evidence pack), the streaming
 * writers, and `exportAuditLog`, which feeds the parallel fetcher's
 * newest-first stream straight into the writer.
 */
import type { AuditLogQuery } from '../api/query';
import { fetchAuditLogBatches, type FetchProgress, type PageLister, type ParallelFetchOptions } from '../fetch';
import type { ExportFormat } from './formats';
import { type ExportResult, writeEventsFile } from './exportWriter';
import type { EvidenceOptions } from './evidencePack';

export {
  CSV_COLUMNS,
  EXPORT_FILE_EXTENSIONS,
  EXPORT_FORMATS,
  csvCell,
  csvRow,
  formatFromFileName,
  formatterFor,
  isExportFormat,
  isTextExportFormat,
  singleLineJson,
  type EventFormatter,
  type ExportFormat,
  type TextExportFormat,
} from './formats';
export { writeEventsFile, type ExportResult, type WriteEventsOptions } from './exportWriter';
export { ARCHIVE_EXPORT_BATCH, archiveBatches } from './archiveBatches';
export { PARQUET_COLUMNS, parquetRow, type ParquetRow } from './parquetColumns';
export { ROW_GROUP_ROWS, writeParquetFile } from './parquetWriter';
export { EVIDENCE_FILES, generateSigningKey, writeEvidencePack, type EvidenceOptions } from './evidencePack';
export { toOcsf } from './ocsf/ocsfEvent';
export { FAMILY_CLASSES, OCSF_CLASSES, OCSF_VERSION, VERB_ACTIVITIES, ocsfMappingOf, type OcsfMapping } from './ocsf/ocsfMapping';

export interface ExportAuditLogOptions extends Omit<ParallelFetchOptions, 'onProgress'> {
  /** Events written so far, and the fetch's own progress. */
  readonly onProgress?: (written: number, fetch: FetchProgress | undefined) => void;
  /** For the evidence pack: what its manifest says beyond the events. */
  readonly evidence?: EvidenceOptions;
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
  const { onProgress, evidence, ...fetchOptions } = options;
  const batches = fetchAuditLogBatches(lister, query, {
    ...fetchOptions,
    onProgress: (p) => {
      fetch = p;
      onProgress?.(written, p);
    },
  });
  return writeEventsFile(batches, destination, format, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(evidence ? { evidence } : {}),
    onProgress: (count) => {
      written = count;
      onProgress?.(written, fetch);
    },
  });
}
