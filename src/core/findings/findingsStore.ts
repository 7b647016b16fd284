/**
 * The findings' SQL over the archive (tables of schema v4), through `ArchiveSql` only: bound parameters,
 * never spliced values. Reads for the view and the automation command; writes for the engine's merge and
 * for reviews.
 */
import type { ArchiveSql, SqlValue } from '../archive';
import type { FindingDraft, SeenPair } from './detect';
import { SEVERITIES, type Severity } from './ruleSchema';

/** A finding as the view and `openaiAuditLogs.listFindings` see it (times in Unix seconds). */
export interface Finding {
  readonly id: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly explanation: string;
  readonly eventIds: string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly reviewed: boolean;
  readonly reviewedBy?: string;
  readonly reviewedAt?: number;
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

export function readState(sql: ArchiveSql, key: string): string | undefined {
  const row = sql.get('SELECT value FROM finding_state WHERE key = ?', [key]);
  return typeof row?.['value'] === 'string' ? row['value'] : undefined;
}

export function writeState(sql: ArchiveSql, key: string, value: string): void {
  sql.run('INSERT INTO finding_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}

/** Forgets every finding and first-seen value (not the reviews: finding ids are deterministic). */
export function clearFindings(sql: ArchiveSql): void {
  sql.run('DELETE FROM finding_events');
  sql.run('DELETE FROM findings');
  sql.run('DELETE FROM finding_seen');
}

function addEvents(sql: ArchiveSql, findingId: string, events: FindingDraft['events']): void {
  for (const e of events) sql.run('INSERT OR IGNORE INTO finding_events (finding_id, event_id, effective_at) VALUES (?, ?, ?)', [findingId, e.id, e.at]);
}

function insert(sql: ArchiveSql, d: FindingDraft): void {
  sql.run(
    'INSERT OR IGNORE INTO findings (id, rule, severity, title, explanation, group_key, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [d.id, d.rule, d.severity, d.title, d.explanation, d.groupKey, d.firstSeen, d.lastSeen],
  );
  addEvents(sql, d.id, d.events);
}

/** Stores a finding of one event (`each`, `firstSeen`): stored once, whatever the order of runs. Returns true when new. */
export function putFinding(sql: ArchiveSql, d: FindingDraft): boolean {
  if (sql.get('SELECT 1 AS x FROM findings WHERE id = ?', [d.id])) return false;
  insert(sql, d);
  return true;
}

/**
 * Stores a windowed finding: it joins a stored finding of the same rule and group whose time span is within
 * `window` of it (the sync brought more of the same incident), else it is new. Returns true when new.
 */
export function mergeWindowed(sql: ArchiveSql, d: FindingDraft, window: number): boolean {
  const row = sql.get(
    'SELECT id, severity FROM findings WHERE rule = ? AND group_key = ? AND last_seen >= ? AND first_seen <= ? ORDER BY first_seen LIMIT 1',
    [d.rule, d.groupKey, d.firstSeen - window, d.lastSeen + window],
  );
  if (!row) {
    insert(sql, d);
    return true;
  }
  const id = String(row['id']);
  sql.run('UPDATE findings SET first_seen = min(first_seen, ?), last_seen = max(last_seen, ?) WHERE id = ?', [d.firstSeen, d.lastSeen, id]);
  addEvents(sql, id, d.events);
  return false;
}

export function deleteFinding(sql: ArchiveSql, id: string): void {
  sql.run('DELETE FROM finding_events WHERE finding_id = ?', [id]);
  sql.run('DELETE FROM findings WHERE id = ?', [id]);
}

/** A first-seen rule's stored pairs of `groupKey`. */
export function storedPairs(sql: ArchiveSql, rule: string, groupKey: string): SeenPair[] {
  return sql
    .all('SELECT value, first_at, first_event FROM finding_seen WHERE rule = ? AND group_key = ?', [rule, groupKey])
    .map((r) => ({ value: String(r['value']), firstAt: Number(r['first_at']), firstEvent: String(r['first_event']) }));
}

export function putPair(sql: ArchiveSql, rule: string, groupKey: string, p: SeenPair): void {
  sql.run(
    `INSERT INTO finding_seen (rule, group_key, value, first_at, first_event) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (rule, group_key, value) DO UPDATE SET first_at = excluded.first_at, first_event = excluded.first_event
     WHERE excluded.first_at < finding_seen.first_at OR (excluded.first_at = finding_seen.first_at AND excluded.first_event < finding_seen.first_event)`,
    [rule, groupKey, p.value, p.firstAt, p.firstEvent],
  );
}

/** Marks findings reviewed by `who` at `at` (Unix seconds), or unmarks them with `who` undefined. */
export function setReviewed(sql: ArchiveSql, ids: readonly string[], who: string | undefined, at: number): void {
  for (const id of ids) {
    if (who === undefined) sql.run('DELETE FROM finding_reviews WHERE finding_id = ?', [id]);
    else sql.run('INSERT INTO finding_reviews (finding_id, reviewed_by, reviewed_at) VALUES (?, ?, ?) ON CONFLICT (finding_id) DO UPDATE SET reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at', [id, who, at]);
  }
}

export interface ListOptions {
  readonly ids?: readonly string[];
  /** At most this many findings per severity (newest first). */
  readonly limitPerSeverity?: number;
}

/** Findings, most severe first, newest first within a severity, with their event ids oldest first. */
export function listFindings(sql: ArchiveSql, options: ListOptions = {}): Finding[] {
  const limit = options.limitPerSeverity ?? 1_000_000;
  const out: Finding[] = [];
  const select = `SELECT f.id, f.rule, f.severity, f.title, f.explanation, f.first_seen, f.last_seen, r.reviewed_by, r.reviewed_at
    FROM findings f LEFT JOIN finding_reviews r ON r.finding_id = f.id`;
  const rows = options.ids
    ? options.ids.flatMap((id) => sql.all(`${select} WHERE f.id = ?`, [id]))
    : SEVERITIES.flatMap((s) => sql.all(`${select} WHERE f.severity = ? ORDER BY f.last_seen DESC, f.id LIMIT ?`, [s, limit]));
  for (const r of rows) {
    const id = String(r['id']);
    const reviewedBy = r['reviewed_by'];
    out.push({
      id,
      rule: String(r['rule']),
      severity: String(r['severity']) as Severity,
      title: String(r['title']),
      explanation: String(r['explanation']),
      eventIds: sql.all('SELECT event_id FROM finding_events WHERE finding_id = ? ORDER BY effective_at, event_id', [id]).map((e) => String(e['event_id'])),
      firstSeen: Number(r['first_seen']),
      lastSeen: Number(r['last_seen']),
      reviewed: typeof reviewedBy === 'string',
      ...(typeof reviewedBy === 'string' ? { reviewedBy, reviewedAt: Number(r['reviewed_at']) } : {}),
    });
  }
  return out;
}

/** How many findings of each severity are not reviewed. */
export function unreviewedCounts(sql: ArchiveSql): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of sql.all('SELECT f.severity AS s, count(*) AS n FROM findings f LEFT JOIN finding_reviews r ON r.finding_id = f.id WHERE r.finding_id IS NULL GROUP BY f.severity')) {
    const s = String(r['s']) as Severity;
    if (s in counts) counts[s] = Number(r['n']);
  }
  return counts;
}

export type { SqlValue };
