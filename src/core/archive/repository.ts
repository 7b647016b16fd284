/**
 * Every SQL statement of the archive lives here (and the schema's in
 * schema.ts), so the engine can change without touching a caller. Values
 * are always bound as parameters, never spliced into SQL text; the only text
 * that varies is the number of `?` in an IN list.
 */
import type { ArchiveSql, SqlRow } from './archiveSql';
import type { Database, SQLiteValue, Statement } from 'node-sqlite3-wasm';
import type { AuditLogQuery } from '../api/query';
import { NO_PROJECT_KEY } from '../analysis/grouping';
import type { CoveredRange } from './coverage';
import type { ActorDim, EventRow, ProjectDim } from './eventRow';
import { chunks, placeholders, repeated } from './multiRow';
import { addStoredAfter, ROLLUPS_VERSION, trimRollups } from './rollups';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

/** One step of a group path: the group's kind and key, as `EventGroup` has them. */
export interface GroupStep {
  readonly kind: 'type' | 'project' | 'actor' | 'day';
  readonly key: string;
}

/** A group path with day keys already resolved to their seconds `[gte, lt)`. */
export type ResolvedStep = Exclude<GroupStep, { kind: 'day' }> | { readonly kind: 'dayRange'; readonly gte: number; readonly lt: number };

export interface InsertOutcome {
  readonly added: number;
  readonly duplicates: number;
  /** Ids that arrived with a wire text different from the one stored (each reported once). */
  readonly conflicts: readonly string[];
}

export interface StoredProject {
  readonly key: string;
  readonly label: string;
  readonly projectId: string | null;
}
export interface StoredActor {
  readonly key: string;
  readonly label: string;
  readonly actorId: string | null;
  readonly email: string | null;
  /** The email `describeActor` reports (only user actors have one). */
  readonly userEmail: string | null;
}

/** Counts by two references, with the newest event's sort key of each pair. */
export interface PairCount {
  readonly a: number;
  readonly b: number | null;
  readonly n: number;
  readonly top: number;
}

export interface Where {
  readonly sql: string;
  readonly params: SQLiteValue[];
}

/** A compiled search (src/core/query): a predicate over `events e`, with its bound parameters. */
export interface QueryClause {
  readonly sql: string;
  readonly params: readonly SQLiteValue[];
  /**
   * List filters of the query that the search put there for the API (its `type:`, `actor:` … terms): the
   * clause applies them itself (case-insensitively, an actor by email or id), so the archive skips them.
   */
  readonly covers?: readonly ('eventTypes' | 'projectIds' | 'actorIds' | 'actorEmails' | 'resourceIds')[];
  /** The same predicate with its column references as `+e.x`, for reads that walk the time index (see `whereOf`). */
  readonly timeOrderSql?: string;
  /** Set when the predicate is exactly `e.seq IN (… events_fts MATCH ftsMatch)`: a count can ask the index alone. */
  readonly ftsMatch?: string;
}

/** A query of the archive: the API's filters, and optionally a compiled search ANDed to them. */
export interface ArchiveQuery extends AuditLogQuery {
  readonly clause?: QueryClause;
}

export const TENANT_TYPES_SQL = `(name LIKE 'tenant.%' OR name IN ('role.bound_to_resource', 'role.unbound_from_resource'))`;
/** Newest-first order key of an event inside SQL: seconds, then the API's order within the second. */
const TOP_OF_ROW = '(e.effective_at * 1048576 - e.ord)';
const MAX_CACHED_STATEMENTS = 64;

export class Repository {
  private readonly statements = new Map<string, Statement>();
  private readonly typeRefs = new Map<string, number>();
  private readonly projectRefs = new Map<string, number>();
  private readonly actorRefs = new Map<string, number>();
  private readonly agentRefs = new Map<string, number>();
  readonly typeNames = new Map<number, string>();
  readonly projects = new Map<number, StoredProject>();
  readonly actors = new Map<number, StoredActor>();

  /** Whether the schema has the Insights rollups (a test may stop the migrations before them). */
  private rollups = false;

  constructor(private readonly db: Database) {}

  // ---- setup ----------------------------------------------------------------

  /** Pragmas for a file archive: one exclusive connection in WAL mode (see index.ts for why). */
  configureFile(pageSize: number): void {
    this.db.exec(`PRAGMA page_size = ${Math.floor(pageSize)}`);
    this.db.get('PRAGMA locking_mode = EXCLUSIVE');
    const mode = this.db.get('PRAGMA journal_mode = WAL') as { journal_mode?: string } | null;
    if (mode?.journal_mode !== 'wal') throw new Error(`SQLITE_IOERR: could not switch the archive to WAL (${String(mode?.journal_mode)})`);
    // Fewer, larger checkpoints while a sync writes (a page rewritten by many commits reaches the file once per
    // checkpoint, and each checkpoint costs two fsyncs); the log is cut back to 64 MB after each. Measured at
    // 1,000,000 events: 8,192 pages wrote 13.5 GB with 639 fsyncs, 65,536 pages 10.1 GB with 93, commits 13% faster.
    this.db.get('PRAGMA wal_autocheckpoint = 65536');
    this.db.get('PRAGMA journal_size_limit = 67108864');
    this.configureCommon();
  }

  configureMemory(): void {
    this.configureCommon();
  }

  private configureCommon(): void {
    this.db.exec('PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF');
  }

  /** Test seam: a small log limit makes checkpoints happen in a small test. */
  setCheckpointPages(pages: number): void {
    this.db.get(`PRAGMA wal_autocheckpoint = ${Math.floor(pages)}`);
  }

  /** Test seam: a page limit makes "disk full" reproducible. */
  setMaxPageCount(pages: number): void {
    this.db.get(`PRAGMA max_page_count = ${Math.floor(pages)}`);
  }

  schemaVersion(): number {
    return Number((this.db.get('PRAGMA user_version') as { user_version: number }).user_version);
  }

  /** Runs the migrations the file lacks, each in its own transaction. */
  migrate(migrations = MIGRATIONS): void {
    let version = this.schemaVersion();
    if (version > migrations.length) {
      throw new Error(`SQLITE_CORRUPT: the archive's schema version ${version} is newer than this build knows (${SCHEMA_VERSION}).`);
    }
    for (; version < migrations.length; version++) {
      const migration = migrations[version]!;
      this.transaction(() => {
        this.db.exec(migration.sql);
        this.db.exec(`PRAGMA user_version = ${migration.version}`);
      });
    }
    this.rollups = this.schemaVersion() >= ROLLUPS_VERSION;
  }

  integrityCheck(): string {
    return this.db.all('PRAGMA integrity_check').map((r) => String(Object.values(r)[0])).join('\n');
  }

  /** Runs `body` in one write transaction; rolls back (and reloads the dictionaries) when it throws. */
  transaction<T>(body: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = body();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      // A statement that failed keeps its error and refuses the next bind: start them afresh.
      this.finalizeStatements();
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.loadDictionaries();
      throw error;
    }
  }

  close(): void {
    this.finalizeStatements();
  }

  private finalizeStatements(): void {
    for (const s of this.statements.values()) {
      try {
        s.finalize();
      } catch {
        // finalize reports the statement's last error, which was already thrown
      }
    }
    this.statements.clear();
  }

  /**
   * The first row of a query, run to its end: a statement left on a row
   * (`Statement.get`) keeps its read transaction open, and while one is open
   * SQLite cannot checkpoint, so the write-ahead log would grow by every
   * commit (a first sync of 100,000 events left 359 MB of log and an empty file).
   */
  /** The one door for feature modules' own SQL (see archiveSql.ts): cached statements, bound parameters. */
  sqlRunner(writable: boolean): ArchiveSql {
    return {
      all: (sql, params = []) => this.stmt(sql).all([...params]) as SqlRow[],
      get: (sql, params = []) => this.one(sql, [...params]),
      run: (sql, params = []) => {
        if (!writable) throw new Error('ArchiveSql.run is only available inside AuditArchive.writeSql.');
        const info = this.stmt(sql).run([...params]);
        return { changes: Number(info.changes) };
      },
    };
  }

  private one(sql: string, params: SQLiteValue[] = []): Record<string, SQLiteValue> | undefined {
    return this.stmt(sql).all(params)[0] as Record<string, SQLiteValue> | undefined;
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (s) {
      this.statements.delete(sql);
      this.statements.set(sql, s);
      return s;
    }
    s = this.db.prepare(sql);
    this.statements.set(sql, s);
    if (this.statements.size > MAX_CACHED_STATEMENTS) {
      const [oldest, statement] = this.statements.entries().next().value as [string, Statement];
      statement.finalize();
      this.statements.delete(oldest);
    }
    return s;
  }

  // ---- dictionaries -------------------------------------------------------------

  loadDictionaries(): void {
    this.typeRefs.clear();
    this.typeNames.clear();
    this.projectRefs.clear();
    this.projects.clear();
    this.actorRefs.clear();
    this.actors.clear();
    this.agentRefs.clear();
    for (const r of this.db.all('SELECT ref, name FROM types') as { ref: number; name: string }[]) {
      this.typeRefs.set(r.name, r.ref);
      this.typeNames.set(r.ref, r.name);
    }
    for (const r of this.db.all('SELECT ref, sig, key, label, project_id FROM projects') as unknown as (StoredProjectRow & { sig: string })[]) {
      this.projectRefs.set(r.sig, r.ref);
      this.projects.set(r.ref, { key: r.key, label: r.label, projectId: r.project_id });
    }
    for (const r of this.db.all('SELECT ref, sig, key, label, kind, actor_id, email FROM actors') as unknown as (StoredActorRow & { sig: string })[]) {
      this.actorRefs.set(r.sig, r.ref);
      this.actors.set(r.ref, storedActor(r));
    }
    for (const r of this.db.all('SELECT ref, user_agent FROM agents') as { ref: number; user_agent: string }[]) {
      this.agentRefs.set(r.user_agent, r.ref);
    }
  }

  private typeRef(name: string): number {
    let ref = this.typeRefs.get(name);
    if (ref === undefined) {
      ref = Number(this.stmt('INSERT INTO types (name) VALUES (?)').run([name]).lastInsertRowid);
      this.typeRefs.set(name, ref);
      this.typeNames.set(ref, name);
    }
    return ref;
  }

  private projectRef(p: ProjectDim | undefined): number | null {
    if (!p) return null;
    let ref = this.projectRefs.get(p.sig);
    if (ref === undefined) {
      const sql = 'INSERT INTO projects (sig, key, label, project_id, name) VALUES (?, ?, ?, ?, ?)';
      ref = Number(this.stmt(sql).run([p.sig, p.key, p.label, p.projectId, p.name]).lastInsertRowid);
      this.projectRefs.set(p.sig, ref);
      this.projects.set(ref, { key: p.key, label: p.label, projectId: p.projectId });
    }
    return ref;
  }

  private actorRef(a: ActorDim): number {
    let ref = this.actorRefs.get(a.sig);
    if (ref === undefined) {
      const sql =
        'INSERT INTO actors (sig, key, label, kind, actor_type, actor_id, email, user_id, api_key_id, service_account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
      const values = [a.sig, a.key, a.label, a.kind, a.actorType, a.actorId, a.email, a.userId, a.apiKeyId, a.serviceAccountId];
      ref = Number(this.stmt(sql).run(values).lastInsertRowid);
      this.actorRefs.set(a.sig, ref);
      this.actors.set(ref, storedActor({ ref, key: a.key, label: a.label, kind: a.kind, actor_id: a.actorId, email: a.email }));
    }
    return ref;
  }

  private agentRef(userAgent: string | null): number | null {
    if (userAgent === null) return null;
    let ref = this.agentRefs.get(userAgent);
    if (ref === undefined) {
      ref = Number(this.stmt('INSERT INTO agents (user_agent) VALUES (?)').run([userAgent]).lastInsertRowid);
      this.agentRefs.set(userAgent, ref);
    }
    return ref;
  }

  // ---- writing --------------------------------------------------------------

  /**
   * Inserts rows (call inside `transaction`). A known id is not stored again:
   * its order within the second is updated to `ords[i]` when `reorder`, and a
   * different wire text goes to `variants`.
   *
   * New rows go in multi-row statements (see `chunkSizes`): the events with
   * `RETURNING`, which names the rows stored (a conflicting id returns
   * nothing), then their wire texts and search texts. An id met again later
   * in the same call is handled as a known one once the first is stored.
   */
  insertRows(rows: readonly EventRow[], ords: readonly number[], reorder: boolean, seenAt: number): InsertOutcome {
    const firsts: number[] = [];
    const later: number[] = [];
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (seen.has(row.id)) later.push(i);
      else {
        seen.add(row.id);
        firsts.push(i);
      }
    });
    const stored = new Map<string, number>();
    // The rows about to be stored get seqs above it: the rollups count them by that range, in SQL.
    const lastSeq = this.rollups ? Number((this.one('SELECT max(seq) AS m FROM events') as { m: number | null } | undefined)?.m ?? 0) : 0;
    for (const [from, size] of chunks(firsts.length)) this.insertEvents(rows, ords, firsts.slice(from, from + size), stored);
    const added = firsts.filter((i) => stored.has(rows[i]!.id));
    this.insertTexts(rows, added, stored);
    if (this.rollups && added.length > 0) addStoredAfter(this.sqlRunner(true), lastSeq);
    const known = [...firsts.filter((i) => !stored.has(rows[i]!.id)), ...later].sort((a, b) => a - b);
    const conflicts: string[] = [];
    for (const i of known) this.known(rows[i]!, ords[i] ?? 0, reorder, seenAt, conflicts);
    return { added: added.length, duplicates: known.length, conflicts };
  }

  /** One multi-row INSERT of the events at `indexes`; the seq of each one stored goes to `stored`. */
  private insertEvents(rows: readonly EventRow[], ords: readonly number[], indexes: readonly number[], stored: Map<string, number>): void {
    const values: SQLiteValue[] = [];
    for (const i of indexes) {
      const row = rows[i]!;
      values.push(
        row.id,
        row.effectiveAt,
        ords[i] ?? 0,
        this.typeRef(row.type),
        this.projectRef(row.project),
        this.actorRef(row.actor),
        row.resourceId,
        row.ip,
        this.agentRef(row.userAgent),
      );
    }
    // The dictionaries may have prepared statements: take this one afterwards, so the cache cannot have dropped it.
    const sql =
      'INSERT INTO events (id, effective_at, ord, type_ref, project_ref, actor_ref, resource_id, ip, agent_ref) VALUES ' +
      repeated('(?, ?, ?, ?, ?, ?, ?, ?, ?)', indexes.length) +
      ' ON CONFLICT (id) DO NOTHING RETURNING seq, id';
    for (const r of this.stmt(sql).iterate(values) as Iterable<{ seq: number; id: string }>) stored.set(r.id, r.seq);
  }

  /** The wire texts and search texts of the rows just stored, in multi-row statements. */
  private insertTexts(rows: readonly EventRow[], added: readonly number[], stored: ReadonlyMap<string, number>): void {
    for (const [from, size] of chunks(added.length)) {
      const values: SQLiteValue[] = [];
      for (let k = from; k < from + size; k++) {
        const row = rows[added[k]!]!;
        values.push(stored.get(row.id)!, textValue(row.raw));
      }
      this.stmt(`INSERT INTO event_raw (seq, raw) VALUES ${repeated('(?, CAST(? AS TEXT))', size)}`).run(values);
    }
    const searchable = added.filter((i) => rows[i]!.text !== '');
    for (const [from, size] of chunks(searchable.length)) {
      const values: SQLiteValue[] = [];
      for (let k = from; k < from + size; k++) {
        const row = rows[searchable[k]!]!;
        values.push(stored.get(row.id)!, textValue(row.text));
      }
      this.stmt(`INSERT INTO events_fts (rowid, text) VALUES ${repeated('(?, CAST(? AS TEXT))', size)}`).run(values);
    }
  }

  /** A row whose id is stored: a different wire text becomes a variant; its order moves to `ord` when `reorder`. */
  private known(row: EventRow, ord: number, reorder: boolean, seenAt: number, conflicts: string[]): void {
    const known = this.one('SELECT e.seq, e.ord, e.effective_at, r.raw FROM events e JOIN event_raw r ON r.seq = e.seq WHERE e.id = ?', [
      row.id,
    ]) as { seq: number; ord: number; effective_at: number; raw: string } | null;
    if (!known) return;
    if (known.raw !== row.raw) {
      const variant = this.stmt('INSERT INTO variants (id, raw, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run([row.id, row.raw, seenAt]);
      if (variant.changes === 1) conflicts.push(row.id);
    }
    if (reorder && known.ord !== ord && known.effective_at === row.effectiveAt) {
      this.stmt('UPDATE events SET ord = ? WHERE seq = ?').run([ord, known.seq]);
    }
  }

  /** The next free position in second `s` (for events appended after those stored). */
  nextOrd(second: number): number {
    const row = this.one('SELECT max(ord) AS m FROM events WHERE effective_at = ?', [second]) as { m: number | null } | undefined;
    return row?.m === null || row?.m === undefined ? 0 : row.m + 1;
  }

  /** Merges `[gte, lt)` into the coverage table (call inside `transaction`). */
  addCoverage(range: CoveredRange): void {
    if (!(range.lt > range.gte)) return;
    const touching = this.stmt('SELECT gte, lt FROM coverage WHERE gte <= ? AND lt >= ?').all([range.lt, range.gte]) as {
      gte: number;
      lt: number;
    }[];
    let { gte, lt } = range;
    for (const r of touching) {
      gte = Math.min(gte, r.gte);
      lt = Math.max(lt, r.lt);
    }
    this.stmt('DELETE FROM coverage WHERE gte <= ? AND lt >= ?').run([range.lt, range.gte]);
    this.stmt('INSERT INTO coverage (gte, lt) VALUES (?, ?)').run([gte, lt]);
  }

  coverage(): CoveredRange[] {
    return (this.stmt('SELECT gte, lt FROM coverage ORDER BY gte').all() as { gte: number; lt: number }[]).map((r) => ({ gte: r.gte, lt: r.lt }));
  }

  /** Deletes events older than `seconds` with their text, variants and search entries; trims coverage. */
  deleteOlderThan(seconds: number, textOf: (raw: string) => string): number {
    const old = 'SELECT seq FROM events WHERE effective_at < ?';
    // A contentless FTS5 index forgets a row only when told the text it indexed.
    // Bound as the insert binds it (`textValue`), so the tokenizer sees the same bytes.
    const forget = this.stmt("INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', ?, CAST(? AS TEXT))");
    for (const row of this.stmt(`SELECT seq, raw FROM event_raw WHERE seq IN (${old})`).iterate([seconds]) as Iterable<{ seq: number; raw: string }>) {
      const text = textOf(row.raw);
      if (text !== '') forget.run([row.seq, textValue(text)]);
    }
    this.stmt(`DELETE FROM event_raw WHERE seq IN (${old})`).run([seconds]);
    this.stmt('DELETE FROM variants WHERE id IN (SELECT id FROM events WHERE effective_at < ?)').run([seconds]);
    const deleted = this.stmt('DELETE FROM events WHERE effective_at < ?').run([seconds]).changes;
    this.stmt('DELETE FROM coverage WHERE lt <= ?').run([seconds]);
    this.stmt('UPDATE coverage SET gte = ? WHERE gte < ?').run([seconds, seconds]);
    if (this.rollups) trimRollups(this.sqlRunner(true), seconds);
    return deleted;
  }

  // ---- reading ----------------------------------------------------------------

  count(query: ArchiveQuery, path: readonly ResolvedStep[] = []): number {
    const words = query.clause?.ftsMatch;
    if (words !== undefined && path.length === 0 && whereOf({ ...query, clause: undefined }, []).sql === '') {
      // A search of words alone: every index row is a stored event, so the index counts it without the join.
      return Number((this.one('SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH ?', [words]) as { n: number }).n);
    }
    const where = whereOf(query, path);
    return Number((this.one(`SELECT count(*) AS n FROM events e${where.sql}`, where.params) as { n: number }).n);
  }

  /** Counts by (type, project) or by actor (a scan of a covering index; `top` is filled in by `newestKey` where needed). */
  pairCounts(query: AuditLogQuery, path: readonly ResolvedStep[], by: 'typeProject' | 'actor'): PairCount[] {
    const where = whereOf(query, path);
    const sql =
      by === 'actor'
        ? `SELECT e.actor_ref AS a, NULL AS b, count(*) AS n, 0 AS top FROM events e${where.sql} GROUP BY e.actor_ref`
        : `SELECT e.type_ref AS a, e.project_ref AS b, count(*) AS n, 0 AS top FROM events e${where.sql} GROUP BY e.type_ref, e.project_ref`;
    return this.stmt(sql).all(where.params) as unknown as PairCount[];
  }

  /** The order key (larger is newer) of the newest matching event with this project or actor reference. */
  newestKey(query: AuditLogQuery, column: 'project' | 'actor', ref: number): number {
    const where = whereOf(query, [], `e.${column}_ref = ?`, [ref]);
    const sql = `SELECT ${TOP_OF_ROW} AS top FROM events e${where.sql} ORDER BY e.effective_at DESC, e.ord ASC LIMIT 1`;
    return Number((this.one(sql, where.params) as { top: number } | undefined)?.top ?? 0);
  }

  /** Counts per `bucketSeconds`-long bucket of `effective_at` (bucket = floor(t / size)). */
  bucketCounts(query: AuditLogQuery, path: readonly ResolvedStep[], bucketSeconds: number): { b: number; n: number }[] {
    const where = whereOf(query, path);
    const sql = `SELECT e.effective_at / ${Math.floor(bucketSeconds)} AS b, count(*) AS n FROM events e${where.sql} GROUP BY b`;
    return this.stmt(sql).all(where.params) as { b: number; n: number }[];
  }

  /**
   * Wire texts, newest first (the API's order), paged. `timeOrder`: walk
   * the time index and filter (best when many events match); otherwise find
   * the matches by their own index and keep the newest `limit` (best when
   * few do). The text is joined only to the page, never sorted.
   */
  rawPage(query: AuditLogQuery, path: readonly ResolvedStep[], limit: number, offset: number, timeOrder: boolean): string[] {
    return this.page(whereOf(query, path, undefined, [], timeOrder), limit, offset);
  }

  private page(where: Where, limit: number, offset: number): string[] {
    const sql =
      `SELECT r.raw FROM (SELECT e.seq AS seq, e.effective_at AS at, e.ord AS ord FROM events e${where.sql} ` +
      'ORDER BY e.effective_at DESC, e.ord ASC, e.seq ASC LIMIT ? OFFSET ?) x JOIN event_raw r ON r.seq = x.seq ' +
      'ORDER BY x.at DESC, x.ord ASC, x.seq ASC';
    return (this.stmt(sql).all([...where.params, limit, offset]) as { raw: string }[]).map((r) => r.raw);
  }

  total(): number {
    return Number((this.one('SELECT count(*) AS n FROM events') as { n: number }).n);
  }

  /**
   * A batch for streaming, newest first, after the keyset position `after`
   * (the previous batch's last event), so no statement stays open between
   * batches.
   */
  rawBatch(
    query: AuditLogQuery,
    after: { effectiveAt: number; ord: number; seq: number } | undefined,
    limit: number,
    timeOrder: boolean,
  ): { raw: string; effective_at: number; ord: number; seq: number }[] {
    const keyset = after ? '(e.effective_at < ? OR (e.effective_at = ? AND (e.ord > ? OR (e.ord = ? AND e.seq > ?))))' : undefined;
    const where = whereOf(query, [], keyset, after ? [after.effectiveAt, after.effectiveAt, after.ord, after.ord, after.seq] : [], timeOrder);
    const sql =
      `SELECT r.raw, x.at AS effective_at, x.ord, x.seq FROM (SELECT e.seq AS seq, e.effective_at AS at, e.ord AS ord FROM events e${where.sql} ` +
      'ORDER BY e.effective_at DESC, e.ord ASC, e.seq ASC LIMIT ?) x JOIN event_raw r ON r.seq = x.seq ORDER BY x.at DESC, x.ord ASC, x.seq ASC';
    return this.stmt(sql).all([...where.params, limit]) as { raw: string; effective_at: number; ord: number; seq: number }[];
  }

  rawById(id: string): string | undefined {
    const row = this.one('SELECT r.raw FROM events e JOIN event_raw r ON r.seq = e.seq WHERE e.id = ?', [id]) as { raw: string } | undefined;
    return row?.raw;
  }

  variantsOf(id: string): string[] {
    return (this.stmt('SELECT raw FROM variants WHERE id = ? ORDER BY seen_at, raw').all([id]) as { raw: string }[]).map((r) => r.raw);
  }

  /** A resource's events, oldest first (the reverse of the API's order), up to `upTo` seconds inclusive. */
  resourceHistory(resourceId: string, upTo: number | undefined): string[] {
    const params: SQLiteValue[] = [resourceId];
    let sql = 'SELECT r.raw FROM events e JOIN event_raw r ON r.seq = e.seq WHERE e.resource_id = ?';
    if (upTo !== undefined) {
      sql += ' AND e.effective_at <= ?';
      params.push(upTo);
    }
    sql += ' ORDER BY e.effective_at ASC, e.ord DESC, e.seq DESC';
    return (this.stmt(sql).all(params) as { raw: string }[]).map((r) => r.raw);
  }

  /** Events whose indexed strings contain every term of an FTS5 `match` expression, newest first (see `rawPage` for `timeOrder`). */
  searchRaw(match: string, query: AuditLogQuery, limit: number, offset: number, timeOrder: boolean): string[] {
    const fts = `${timeOrder ? '+' : ''}e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)`;
    return this.page(whereOf(query, [], fts, [match], timeOrder), limit, offset);
  }

  searchCount(match: string, query: ArchiveQuery): number {
    const where = whereOf(query, [], 'e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)', [match]);
    if (where.params.length === 1 && !query.clause) {
      return Number((this.one('SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH ?', [match]) as { n: number }).n);
    }
    return Number((this.one(`SELECT count(*) AS n FROM events e${where.sql}`, where.params) as { n: number }).n);
  }

  stats(): { total: number; oldest: number | null; newest: number | null; pages: number; pageSize: number } {
    const row = this.one('SELECT count(*) AS total, min(effective_at) AS oldest, max(effective_at) AS newest FROM events') as {
      total: number;
      oldest: number | null;
      newest: number | null;
    };
    const pages = Number((this.db.get('PRAGMA page_count') as { page_count: number }).page_count);
    const pageSize = Number((this.db.get('PRAGMA page_size') as { page_size: number }).page_size);
    return { total: Number(row.total), oldest: row.oldest, newest: row.newest, pages, pageSize };
  }

  newestSecond(): number | null {
    const row = this.one('SELECT max(effective_at) AS m FROM events') as { m: number | null };
    return row.m;
  }

  /** The oldest `effective_at` stored: one index search (stats() counts every row). */
  oldestSecond(): number | null {
    const row = this.one('SELECT min(effective_at) AS m FROM events') as { m: number | null };
    return row.m;
  }

  /** Whether any event is stored: one index probe. */
  isEmpty(): boolean {
    return this.one('SELECT 1 AS one FROM events LIMIT 1') === undefined;
  }

  /** Every event id, for tests and checks (small archives). */
  allIds(): string[] {
    return (this.stmt('SELECT id FROM events ORDER BY effective_at DESC, ord ASC, seq ASC').all() as { id: string }[]).map((r) => r.id);
  }
}

interface StoredProjectRow {
  ref: number;
  key: string;
  label: string;
  project_id: string | null;
}
interface StoredActorRow {
  ref: number;
  key: string;
  label: string;
  kind: string;
  actor_id: string | null;
  email: string | null;
}

function storedActor(r: StoredActorRow): StoredActor {
  const user = r.kind === 'user-session' || r.kind === 'user-api-key';
  return { key: r.key, label: r.label, actorId: r.actor_id, email: r.email, userEmail: user ? r.email : null };
}

/** Lone UTF-16 surrogates (a JSON escape like "\\ud800"): only then is a string bound as a string (Node 20 has `isWellFormed`). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A long text as its UTF-8 bytes, for `CAST(? AS TEXT)` (the same text, in
 * the database's UTF-8): Node encodes them natively, where binding a string
 * runs the engine's JavaScript UTF-8 loops twice per character (measured:
 * binding was 40% of the insert time). A string with a lone surrogate, which
 * UTF-8 cannot hold (Node writes U+FFFD, the engine its own bytes), is bound
 * as a string as before, so the search index sees the bytes it always saw.
 */
function textValue(text: string): SQLiteValue {
  return isWellFormed(text) ? Buffer.from(text, 'utf8') : text;
}

function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof native === 'function' ? native.call(text) : !LONE_SURROGATE.test(text);
}

/**
 * The WHERE clause of a query, as the API applies it: values of one list
 * ORed, different filters ANDed; `actor_ids[]` matches the user, the API key
 * or the service account; `tenant_only` keeps tenant-scoped types.
 */
export function whereOf(query: ArchiveQuery, path: readonly ResolvedStep[], extraSql?: string, extraParams: SQLiteValue[] = [], timeOrder = false): Where {
  // `+e.x` keeps SQLite from using x's index, so it walks the time index in order instead.
  const c = (column: string): string => `${timeOrder ? '+' : ''}e.${column}`;
  const parts: string[] = [];
  const params: SQLiteValue[] = [];
  const range = query.effectiveAt;
  for (const [key, op] of [
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
  ] as const) {
    const v = range?.[key];
    if (v !== undefined) {
      parts.push(`e.effective_at ${op} ?`);
      params.push(v);
    }
  }
  const list = (values: readonly string[] | undefined, sql: (marks: string) => string, times = 1): void => {
    if (!values || values.length === 0 || (query.clause?.covers ?? []).some((k) => query[k] === values)) return;
    parts.push(sql(placeholders(values.length)));
    for (let i = 0; i < times; i++) params.push(...values);
  };
  list(query.eventTypes, (m) => `${c('type_ref')} IN (SELECT ref FROM types WHERE name IN (${m}))`);
  list(query.projectIds, (m) => `${c('project_ref')} IN (SELECT ref FROM projects WHERE project_id IN (${m}))`);
  list(
    query.actorIds,
    (m) => `${c('actor_ref')} IN (SELECT ref FROM actors WHERE user_id IN (${m}) OR api_key_id IN (${m}) OR service_account_id IN (${m}))`,
    3,
  );
  list(query.actorEmails, (m) => `${c('actor_ref')} IN (SELECT ref FROM actors WHERE email IN (${m}))`);
  list(query.resourceIds, (m) => `${c('resource_id')} IN (${m})`);
  if (query.tenantOnly === true) parts.push(`${c('type_ref')} IN (SELECT ref FROM types WHERE ${TENANT_TYPES_SQL})`);
  for (const step of path) {
    switch (step.kind) {
      case 'type':
        parts.push(`${c('type_ref')} = (SELECT ref FROM types WHERE name = ?)`);
        params.push(step.key);
        break;
      case 'project':
        if (step.key === NO_PROJECT_KEY) parts.push(`${c('project_ref')} IS NULL`);
        else {
          parts.push(`${c('project_ref')} IN (SELECT ref FROM projects WHERE key = ?)`);
          params.push(step.key);
        }
        break;
      case 'actor':
        parts.push(`${c('actor_ref')} IN (SELECT ref FROM actors WHERE key = ?)`);
        params.push(step.key);
        break;
      case 'dayRange':
        parts.push('e.effective_at >= ? AND e.effective_at < ?');
        params.push(step.gte, step.lt);
        break;
    }
  }
  if (query.clause) {
    parts.push(`(${timeOrder && query.clause.timeOrderSql !== undefined ? query.clause.timeOrderSql : query.clause.sql})`);
    params.push(...query.clause.params);
  }
  if (extraSql) {
    parts.push(extraSql);
    params.push(...extraParams);
  }
  return { sql: parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '', params };
}
