/**
 * An archive's matching events as the export's batches: newest first, 2,000
 * at a time (one short query each), yielding to the event loop between
 * batches so a long export leaves the extension host responsive.
 */
import type { AuditLogQuery } from '../api/query';
import type { AuditArchive } from '../archive';
import type { ParsedEvent } from '../model';

export const ARCHIVE_EXPORT_BATCH = 2_000;

export async function* archiveBatches(archive: AuditArchive, query: AuditLogQuery, batchSize = ARCHIVE_EXPORT_BATCH): AsyncGenerator<readonly ParsedEvent[]> {
  for (const batch of archive.iterate(query, batchSize)) {
    yield batch;
    await new Promise((r) => setImmediate(r));
  }
}
