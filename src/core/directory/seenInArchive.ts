/**
 * Which of some ids the archive's events mention: as the actor's API key or service account, or as the
 * event's resource (a key created, a service account deleted). Index look-ups, one per id.
 */
import type { AuditArchive } from '../archive';

export function seenInArchive(archive: AuditArchive, ids: readonly string[]): Set<string> {
  return archive.readSql((sql) => {
    const seen = new Set<string>();
    for (const id of ids) {
      const hit =
        sql.get('SELECT 1 AS hit FROM actors WHERE api_key_id = ? OR service_account_id = ? LIMIT 1', [id, id]) ??
        sql.get('SELECT 1 AS hit FROM events WHERE resource_id = ? LIMIT 1', [id]);
      if (hit) seen.add(id);
    }
    return seen;
  });
}
