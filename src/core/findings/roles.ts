/**
 * Where a role id gets its name: the archive's role.created / role.updated history (the newest name wins),
 * else the organization's directory (schema v5, `directory_entries`, src/core/directory); and which role a
 * principal holds, from the directory's users, project users and service accounts. Cached for one run.
 */
import type { AuditArchive } from '../archive';
import type { RoleDirectory } from './eventFacts';

const asObject = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function parsedObject(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    return asObject(JSON.parse(text));
  } catch {
    return {};
  }
}

export class ArchiveRoles implements RoleDirectory {
  private readonly names = new Map<string, string | undefined>();
  private readonly held = new Map<string, string | undefined>();

  constructor(private readonly archive: AuditArchive) {}

  nameOf(roleId: string): string | undefined {
    if (!this.names.has(roleId)) this.names.set(roleId, this.fromHistory(roleId) ?? this.fromDirectory(roleId));
    return this.names.get(roleId);
  }

  principalRole(p: { type: string; id: string; resourceId?: string; resourceType?: string }): string | undefined {
    const inProject = p.resourceType !== undefined ? /project/iu.test(p.resourceType) : (p.resourceId ?? '').startsWith('proj');
    const kind = p.type === 'user' ? (inProject ? 'projectUser' : 'user') : p.type === 'service_account' ? 'serviceAccount' : undefined;
    if (kind === undefined) return undefined;
    const scope = inProject ? (p.resourceId ?? '') : '';
    const key = `${kind}\u0000${scope}\u0000${p.id}`;
    if (!this.held.has(key)) {
      // A service account is listed under its project; users and project users under the exact scope.
      const row = this.archive.readSql((sql) =>
        sql.get('SELECT data FROM directory_entries WHERE kind = ? AND id = ? AND (scope = ? OR ? = 0) ORDER BY scope LIMIT 1', [kind, p.id, scope, kind === 'serviceAccount' ? 0 : 1]),
      );
      const role = parsedObject(row?.['data'])['role'];
      this.held.set(key, typeof role === 'string' && role !== '' ? role : undefined);
    }
    return this.held.get(key);
  }

  private fromHistory(roleId: string): string | undefined {
    const rows = this.archive.readSql((sql) =>
      sql.all(
        `SELECT r.raw FROM events e JOIN event_raw r ON r.seq = e.seq JOIN types t ON t.ref = e.type_ref
         WHERE e.resource_id = ? AND t.name IN ('role.created', 'role.updated') ORDER BY e.effective_at DESC, e.ord`,
        [roleId],
      ),
    );
    for (const row of rows) {
      const event = parsedObject(row['raw']);
      const d = asObject(event[String(event['type'])]);
      const n = asObject(d['changes_requested'])['role_name'] ?? d['role_name'];
      if (typeof n === 'string' && n !== '') return n;
    }
    return undefined;
  }

  private fromDirectory(roleId: string): string | undefined {
    const listed = this.archive.readSql((sql) => sql.get("SELECT name FROM directory_entries WHERE kind = 'role' AND id = ? LIMIT 1", [roleId]))?.['name'];
    return typeof listed === 'string' && listed !== '' ? listed : undefined;
  }
}
