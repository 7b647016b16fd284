/**
 * The directory's cache in the organization's archive (schema v5: `directory_entries`, `directory_state`):
 * the same file, file mode and deletion as the events. A save replaces the whole directory in one
 * transaction; a load rebuilds it. Bound parameters only (ArchiveSql).
 */
import type { AuditArchive } from '../archive';
import type { ArchiveSql, SqlValue } from '../archive/archiveSql';
import type { Directory } from './types';

type ListKey = Exclude<keyof Directory, 'readAt' | 'unavailable'>;

/** Each list, the kind its rows carry, and how to read a row's scope, name and email. */
const LISTS: readonly { key: ListKey; kind: string; scope?: (v: never) => string | undefined; name: (v: never) => string; email?: (v: never) => string }[] = [
  { key: 'users', kind: 'user', name: (v: { name: string }) => v.name, email: (v: { email: string }) => v.email },
  { key: 'invites', kind: 'invite', name: (v: { email: string }) => v.email, email: (v: { email: string }) => v.email },
  { key: 'groups', kind: 'group', name: (v: { name: string }) => v.name },
  { key: 'roles', kind: 'role', scope: (v: { projectId?: string }) => v.projectId, name: (v: { name: string }) => v.name },
  { key: 'projects', kind: 'project', name: (v: { name: string }) => v.name },
  { key: 'projectUsers', kind: 'projectUser', scope: (v: { projectId: string }) => v.projectId, name: (v: { name: string }) => v.name, email: (v: { email: string }) => v.email },
  { key: 'serviceAccounts', kind: 'serviceAccount', scope: (v: { projectId: string }) => v.projectId, name: (v: { name: string }) => v.name },
  { key: 'apiKeys', kind: 'apiKey', scope: (v: { projectId?: string }) => v.projectId, name: (v: { name: string }) => v.name },
  { key: 'adminApiKeys', kind: 'adminApiKey', name: (v: { name: string }) => v.name },
];

const idOf = (v: unknown): string => (v as { id?: string; userId?: string }).id ?? (v as { userId: string }).userId;

export function saveDirectory(archive: AuditArchive, d: Directory): void {
  archive.writeSql((sql) => {
    sql.run('DELETE FROM directory_entries');
    for (const list of LISTS) {
      for (const v of d[list.key] as readonly never[]) {
        const params: SqlValue[] = [list.kind, list.scope?.(v) ?? '', idOf(v), list.name(v), list.email?.(v) ?? null, JSON.stringify(v)];
        sql.run('INSERT OR REPLACE INTO directory_entries (kind, scope, id, name, email, data) VALUES (?, ?, ?, ?, ?, ?)', params);
      }
    }
    sql.run('INSERT OR REPLACE INTO directory_state (key, value) VALUES (?, ?)', ['readAt', String(d.readAt)]);
    sql.run('INSERT OR REPLACE INTO directory_state (key, value) VALUES (?, ?)', ['unavailable', JSON.stringify(d.unavailable)]);
  });
}

/** The cached directory, or undefined when none was ever read into this archive. */
export function loadDirectory(archive: AuditArchive): Directory | undefined {
  return archive.readSql((sql) => readCached(sql));
}

function readCached(sql: ArchiveSql): Directory | undefined {
  const readAt = sql.get('SELECT value FROM directory_state WHERE key = ?', ['readAt']);
  if (readAt === undefined) return undefined;
  const unavailable = sql.get('SELECT value FROM directory_state WHERE key = ?', ['unavailable']);
  const out: Record<string, unknown[]> = {};
  for (const list of LISTS) out[list.key] = [];
  const kinds = new Map(LISTS.map((l) => [l.kind, l.key]));
  for (const row of sql.all('SELECT kind, data FROM directory_entries ORDER BY rowid')) {
    const key = kinds.get(String(row.kind));
    if (key) out[key]!.push(JSON.parse(String(row.data)) as unknown);
  }
  return {
    ...(out as unknown as Omit<Directory, 'readAt' | 'unavailable'>),
    readAt: Number(readAt.value),
    unavailable: unavailable ? (JSON.parse(String(unavailable.value)) as string[]) : [],
  };
}
