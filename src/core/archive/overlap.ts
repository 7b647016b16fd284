/**
 * Does a key's audit log belong with an archive? A key of another organization returns another log:
 * before its events are mixed into this archive, one request tells. The newest event the key's API has at
 * or before the archive's newest second must be in the archive when the archive holds that second
 * completely; when it holds it only in part, nothing can be said.
 */
import type { PageLister } from '../fetch';
import type { AuditArchive } from './archive';

export type OverlapVerdict = 'empty-archive' | 'matches' | 'unknown' | 'mismatch';

export async function checkArchiveOverlap(archive: AuditArchive, lister: PageLister, signal?: AbortSignal): Promise<OverlapVerdict> {
  const newest = archive.newestSecond();
  if (newest === null) return 'empty-archive';
  const page = await lister.listPage({ effectiveAt: { lte: newest }, limit: 1 }, signal ? { signal } : {});
  const probe = page.data[0];
  // The API has nothing as old as the archive: another organization, or everything aged out of retention.
  if (!probe) return archive.coverage().length > 0 ? 'mismatch' : 'unknown';
  if (archive.getEvent(probe.event.id)) return 'matches';
  const second = Math.floor(probe.event.effective_at);
  return archive.covers(second, second + 1) ? 'mismatch' : 'unknown';
}
