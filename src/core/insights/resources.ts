/**
 * The resources the archive knows (for the state-as-of picker): each resource id with its kind (the type's
 * family), how many events name it, its newest time, and a name from its earliest event (its creation, when archived).
 */
import type { ArchiveSql } from '../archive/archiveSql';
import { detailOf } from '../analysis/changes';
import { eventFamily } from '../model/eventHelpers';
import type { AuditEvent } from '../model';

export interface KnownResource {
  readonly id: string;
  readonly kind: string;
  readonly name: string | null;
  readonly events: number;
  readonly newest: number;
}

const NAME_KEYS = ['name', 'title', 'email', 'redacted_value'] as const;

/** The most recently active resources, at most `limit`. */
export function knownResources(sql: ArchiveSql, limit = 500): KnownResource[] {
  // The earliest event of each listed resource only (one index probe each), not of every resource the GROUP BY sees.
  const rows = sql.all(
    'SELECT e.resource_id AS id, count(*) AS n, max(e.effective_at) AS newest FROM events e ' +
      'WHERE e.resource_id IS NOT NULL GROUP BY e.resource_id ORDER BY newest DESC LIMIT ?',
    [limit],
  );
  return rows.map((r) => {
    const raw = sql.get(
      'SELECT x.raw FROM event_raw x WHERE x.seq = (SELECT f.seq FROM events f WHERE f.resource_id = ? ORDER BY f.effective_at ASC, f.ord DESC LIMIT 1)',
      [r.id as string],
    )?.raw;
    const event = typeof raw === 'string' ? safeParse(raw) : undefined;
    return {
      id: String(r.id),
      kind: event && typeof event.type === 'string' ? eventFamily(event.type) : '',
      name: event ? nameOf(event) : null,
      events: Number(r.n),
      newest: Number(r.newest),
    };
  });
}

function safeParse(raw: string): AuditEvent | undefined {
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as AuditEvent) : undefined;
  } catch {
    return undefined;
  }
}

function nameOf(event: AuditEvent): string | null {
  const detail = detailOf(event);
  if (!detail) return null;
  for (const source of [detail['data'], detail['changes_requested'], detail]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const key of NAME_KEYS) {
      const v = (source as Record<string, unknown>)[key];
      if (typeof v === 'string' && v !== '') return v;
    }
  }
  return null;
}
