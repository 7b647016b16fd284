/**
 * `AuditArchive`: the audit log kept in one SQLite file (or in memory, by the
 * same code), read by the views. See index.ts for the design note.
 */
import type { ArchiveSql } from './archiveSql';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import type { AuditLogQuery } from '../api/query';
import type { Grouping } from '../analysis/grouping';
import { parseAuditEvent, type ParsedEvent } from '../model';
import { coversRange, type CoveredRange } from './coverage';
import { ArchiveClosedError, toArchiveError } from './errors';
import { toEventRow } from './eventRow';
import { actorGroups, dayGroups, dayRange, DAY_BUCKET_SECONDS, twoLevelGroups, type ArchiveGroup, type ArchiveGroupingOptions } from './groups';
import { ArchiveLock, type ArchiveLockOptions } from './lock';
import { Repository, type GroupStep, type InsertOutcome, type PairCount, type ResolvedStep } from './repository';
import { buildRollupStep, type RollupProgress } from './rollups';
import { SCHEMA_VERSION, type Migration, MIGRATIONS } from './schema';
import { ftsQuery } from './searchText';

export const MEMORY = ':memory:';

export interface ArchiveOptions {
  /** How to wait for another process's lock (file archives only). */
  readonly lock?: ArchiveLockOptions;
  /** Receives one line per notable thing (a conflicting event text); never event text or keys. */
  readonly log?: (message: string) => void;
  /** Unix milliseconds; default Date.now. */
  readonly now?: () => number;
  /** Page size of a new file; default 4096. */
  readonly pageSize?: number;
  /** Test seam: caps the file at this many pages (a "disk full" on demand). */
  readonly maxPageCount?: number;
  /** Test seam: checkpoint the write-ahead log after this many pages (default 65,536, see `Repository.configureFile`). */
  readonly checkpointPages?: number;
  /** Test seam: the migrations to run (default all of `MIGRATIONS`). */
  readonly migrations?: readonly Migration[];
}

export interface CommitResult extends InsertOutcome {
  /** The coverage after the commit. */
  readonly coverage: readonly CoveredRange[];
}

export interface CommitOptions {
  /**
   * Each event's position within its second in the API's listing (see
   * `StreamOrder`); known events are moved to it. Without it, new events of
   * the batch's first second go after those stored, later seconds start at 0.
   */
  readonly ords?: readonly number[];
}

export interface EventsOptions extends ArchiveGroupingOptions {
  /** The path of a group from the root, as `{ kind, key }` of each `ArchiveGroup`. */
  readonly group?: readonly GroupStep[];
  /** Default 500. */
  readonly limit?: number;
  readonly offset?: number;
}

export interface ArchiveStats {
  readonly total: number;
  readonly oldest: number | null;
  readonly newest: number | null;
  /** File bytes (database plus write-ahead log); the allocated pages in memory. */
  readonly bytes: number;
}

export class AuditArchive {
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly db: Database,
    private readonly repo: Repository,
    private readonly lock: ArchiveLock | undefined,
    private readonly options: ArchiveOptions,
  ) {}

  /**
   * Opens (creating if needed) the archive at `file`, or an in-memory one for
   * `':memory:'`. A file archive takes the owner lock first (waiting for
   * another process, taking over a stale lock), then migrates the schema.
   * Throws `ArchiveBusyError` or `ArchiveUnavailableError`.
   */
  static async open(file: string, options: ArchiveOptions = {}): Promise<AuditArchive> {
    if (file === MEMORY) return AuditArchive.create(MEMORY, undefined, options);
    const absolute = path.resolve(file);
    let lock: ArchiveLock | undefined;
    try {
      fs.mkdirSync(path.dirname(absolute), { recursive: true, mode: 0o700 });
      lock = await ArchiveLock.acquire(absolute, options.lock);
      // The engine's own lock directory: only an owner of our lock opens the file, so one left behind is a killed owner's.
      fs.rmSync(`${absolute}.lock`, { recursive: true, force: true });
      const fd = fs.openSync(absolute, 'a', 0o600);
      fs.closeSync(fd);
      fs.chmodSync(absolute, 0o600);
      return AuditArchive.create(absolute, lock, options);
    } catch (error) {
      lock?.release();
      throw toArchiveError(error, absolute);
    }
  }

  private static create(file: string, lock: ArchiveLock | undefined, options: ArchiveOptions): AuditArchive {
    let db: Database | undefined;
    try {
      db = new Database(file);
      const repo = new Repository(db);
      if (file === MEMORY) repo.configureMemory();
      else repo.configureFile(options.pageSize ?? 4096);
      if (options.maxPageCount !== undefined) repo.setMaxPageCount(options.maxPageCount);
      if (options.checkpointPages !== undefined) repo.setCheckpointPages(options.checkpointPages);
      repo.migrate(options.migrations ?? MIGRATIONS);
      repo.loadDictionaries();
      if (file !== MEMORY) restrictSidecars(file);
      return new AuditArchive(file, db, repo, lock, options);
    } catch (error) {
      try {
        db?.close();
      } catch {
        // already failing
      }
      throw toArchiveError(error, file);
    }
  }

  get inMemory(): boolean {
    return this.file === MEMORY;
  }

  get schemaVersion(): number {
    return this.read(() => this.repo.schemaVersion());
  }

  // ---- writing ----------------------------------------------------------------

  /**
   * Stores `events` (newest first, as listed) and, in the same transaction,
   * marks `coverage` as complete, so a crash never claims a range whose events
   * are not all stored. An event already stored is not stored again; one
   * whose wire text differs is kept as a variant and reported.
   */
  commitWindow(events: readonly ParsedEvent[], coverage?: CoveredRange, options: CommitOptions = {}): CommitResult {
    return this.write(() => {
      const rows = events.map(toEventRow);
      const outcome = this.repo.transaction(() => {
        const ords = options.ords ?? this.appendOrds(rows.map((r) => r.effectiveAt));
        const result = this.repo.insertRows(rows, ords, options.ords !== undefined, Math.floor(this.now() / 1000));
        if (coverage) this.repo.addCoverage(coverage);
        return result;
      });
      for (const id of outcome.conflicts) {
        this.options.log?.(`Archive: event ${JSON.stringify(id).slice(0, 80)} came back with a different text; both texts are kept.`);
      }
      return { ...outcome, coverage: this.repo.coverage() };
    });
  }

  /** Marks `[gte, lt)` as complete without events (a range the API has nothing in). */
  addCoverage(range: CoveredRange): void {
    this.write(() => this.repo.transaction(() => this.repo.addCoverage(range)));
  }

  /** Deletes the events older than `seconds` (Unix seconds); coverage then starts there. Returns how many. */
  deleteOlderThan(seconds: number): number {
    return this.write(() => this.repo.transaction(() => this.repo.deleteOlderThan(Math.floor(seconds), (raw) => toEventRow(parseAuditEvent(raw)).text)));
  }

  // ---- reading ----------------------------------------------------------------

  coverage(): CoveredRange[] {
    return this.read(() => this.repo.coverage());
  }

  /** Whether `[gte, lt)` lies inside one completely synced interval. */
  covers(gte: number, lt: number): boolean {
    return this.read(() => coversRange(this.repo.coverage(), gte, lt));
  }

  count(query: AuditLogQuery = {}, options: Pick<EventsOptions, 'group' | 'dayOf'> = {}): number {
    return this.read(() => this.repo.count(query, this.resolve(query, options.group ?? [], options)));
  }

  /** The explorer's group tree with counts, as `groupEvents` would build it from every matching event. */
  groups(query: AuditLogQuery, grouping: Grouping, options: ArchiveGroupingOptions = {}): ArchiveGroup[] {
    return this.read(() => {
      switch (grouping) {
        case 'typeProject':
        case 'projectType':
          return twoLevelGroups(this.withNewest(query, this.repo.pairCounts(query, [], 'typeProject'), 'project'), grouping, this.repo);
        case 'actor':
          return actorGroups(this.withNewest(query, this.repo.pairCounts(query, [], 'actor'), 'actor'), this.repo);
        case 'day':
          return dayGroups(this.repo.bucketCounts(query, [], DAY_BUCKET_SECONDS), options);
      }
    });
  }

  /** Events newest first (the API's order), of the whole query or of one group, paged. */
  events(query: AuditLogQuery = {}, options: EventsOptions = {}): ParsedEvent[] {
    return this.read(() => {
      const path = this.resolve(query, options.group ?? [], options);
      if (path === undefined) return [];
      const timeOrder = this.manyMatch(this.repo.count(query, path));
      return this.repo.rawPage(query, path, clampLimit(options.limit), Math.max(0, options.offset ?? 0), timeOrder).map(parseAuditEvent);
    });
  }

  /**
   * Events whose strings contain every word of `text` (case- and
   * accent-insensitive whole words; `word*` matches a prefix), within
   * `query`, newest first.
   */
  search(text: string, query: AuditLogQuery = {}, options: { limit?: number; offset?: number } = {}): ParsedEvent[] {
    return this.read(() => {
      const match = ftsQuery(text);
      if (match === undefined) return [];
      const timeOrder = this.manyMatch(this.repo.searchCount(match, query));
      return this.repo.searchRaw(match, query, clampLimit(options.limit), Math.max(0, options.offset ?? 0), timeOrder).map(parseAuditEvent);
    });
  }

  searchCount(text: string, query: AuditLogQuery = {}): number {
    return this.read(() => {
      const match = ftsQuery(text);
      return match === undefined ? 0 : this.repo.searchCount(match, query);
    });
  }

  /** Runs a feature module's reads (query compiler, findings, insights, directory) through the one SQL door. */
  readSql<T>(body: (sql: ArchiveSql) => T): T {
    return this.read(() => body(this.repo.sqlRunner(false)));
  }

  /** Runs a feature module's writes in one transaction (rolled back when `body` throws). */
  writeSql<T>(body: (sql: ArchiveSql) => T): T {
    return this.write(() => this.repo.transaction(() => body(this.repo.sqlRunner(true))));
  }

  /**
   * Counts the newest few thousand events the Insights rollups do not hold yet (an archive upgraded to schema
   * v6), in one transaction; call again until `done` (the Insights panel does, yielding between steps).
   */
  buildRollups(): RollupProgress {
    return this.write(() => this.repo.transaction(() => buildRollupStep(this.repo.sqlRunner(true))));
  }

  getEvent(id: string): ParsedEvent | undefined {
    return this.read(() => {
      const raw = this.repo.rawById(id);
      return raw === undefined ? undefined : parseAuditEvent(raw);
    });
  }

  /** Other wire texts the API sent for this id (the first one is what `getEvent` returns). */
  variants(id: string): string[] {
    return this.read(() => this.repo.variantsOf(id));
  }

  /** Every event of a resource, OLDEST first, up to `upTo` (Unix seconds, inclusive). */
  resourceHistory(resourceId: string, options: { upTo?: number } = {}): ParsedEvent[] {
    return this.read(() => this.repo.resourceHistory(resourceId, options.upTo).map(parseAuditEvent));
  }

  /** Every matching event, newest first, `batchSize` at a time, one short query per batch (for export). */
  *iterate(query: AuditLogQuery = {}, batchSize = 1000): Generator<ParsedEvent[], void, undefined> {
    let after: { effectiveAt: number; ord: number; seq: number } | undefined;
    const size = Math.max(1, Math.floor(batchSize));
    const timeOrder = this.read(() => this.manyMatch(this.repo.count(query)));
    for (;;) {
      const rows = this.read(() => this.repo.rawBatch(query, after, size, timeOrder));
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      after = { effectiveAt: last.effective_at, ord: last.ord, seq: last.seq };
      yield rows.map((r) => parseAuditEvent(r.raw));
      if (rows.length < size) return;
    }
  }

  stats(): ArchiveStats {
    return this.read(() => {
      const s = this.repo.stats();
      return { total: s.total, oldest: s.oldest, newest: s.newest, bytes: this.inMemory ? s.pages * s.pageSize : fileBytes(this.file) };
    });
  }

  /** The newest `effective_at` stored, or null when empty. */
  newestSecond(): number | null {
    return this.read(() => this.repo.newestSecond());
  }

  /** The oldest `effective_at` stored, or null when empty (an index search, unlike stats()). */
  oldestSecond(): number | null {
    return this.read(() => this.repo.oldestSecond());
  }

  /** True when no event is stored (an index probe, unlike stats().total). */
  isEmpty(): boolean {
    return this.read(() => this.repo.isEmpty());
  }

  /** `PRAGMA integrity_check`: 'ok' when the file is sound. */
  integrityCheck(): string {
    return this.read(() => this.repo.integrityCheck());
  }

  /** Every id newest first (tests and checks; not for large archives). */
  allIds(): string[] {
    return this.read(() => this.repo.allIds());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.repo.close();
      this.db.close();
    } finally {
      this.lock?.release();
    }
  }

  // ---- helpers ------------------------------------------------------------------

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** More than 1 in 20 events match: paging is fastest along the time index. */
  private manyMatch(count: number): boolean {
    return count * 20 > this.repo.total();
  }

  /**
   * A group's label comes from its newest event: where several stored
   * projects or actors share one key (a renamed project, a user seen with
   * two emails), find which of them is newest.
   */
  private withNewest(query: AuditLogQuery, pairs: PairCount[], column: 'project' | 'actor'): PairCount[] {
    const refsByKey = new Map<string, Set<number>>();
    for (const pair of pairs) {
      const ref = column === 'project' ? pair.b : pair.a;
      if (ref === null) continue;
      const key = column === 'project' ? this.repo.projects.get(ref)?.key : this.repo.actors.get(ref)?.key;
      if (key === undefined) continue;
      let refs = refsByKey.get(key);
      if (!refs) refsByKey.set(key, (refs = new Set()));
      refs.add(ref);
    }
    const newest = new Map<number, number>();
    for (const refs of refsByKey.values()) {
      if (refs.size > 1) for (const ref of refs) newest.set(ref, this.repo.newestKey(query, column, ref));
    }
    if (newest.size === 0) return pairs;
    return pairs.map((p) => ({ ...p, top: newest.get((column === 'project' ? p.b : p.a) ?? -1) ?? 0 }));
  }

  private appendOrds(seconds: readonly number[]): number[] {
    const ords: number[] = [];
    let second: number | undefined;
    let next = 0;
    seconds.forEach((s, i) => {
      if (s !== second) {
        second = s;
        next = i === 0 ? this.repo.nextOrd(s) : 0;
      }
      ords.push(next++);
    });
    return ords;
  }

  /** Group steps as SQL conditions: a day key becomes its seconds; undefined when the day has no events. */
  private resolve(query: AuditLogQuery, steps: readonly GroupStep[], options: ArchiveGroupingOptions): ResolvedStep[] | undefined {
    const out: ResolvedStep[] = [];
    for (const step of steps) {
      if (step.kind !== 'day') {
        out.push(step);
        continue;
      }
      const range = dayRange(this.repo.bucketCounts(query, [], DAY_BUCKET_SECONDS), step.key, options);
      if (!range) return undefined;
      out.push({ kind: 'dayRange', ...range });
    }
    return out;
  }

  private read<T>(body: () => T): T {
    if (this.closed) throw new ArchiveClosedError('The archive is closed.');
    try {
      return body();
    } catch (error) {
      throw toArchiveError(error, this.file);
    }
  }

  private write<T>(body: () => T): T {
    if (this.lock && !this.lock.isHeld()) {
      throw new ArchiveClosedError('The archive was taken over by another process after this one stopped responding; reopen it.');
    }
    return this.read(body);
  }
}

function clampLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(100_000, Math.floor(limit ?? 500)));
}

function fileBytes(file: string): number {
  let bytes = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      bytes += fs.statSync(f).size;
    } catch {
      // absent
    }
  }
  return bytes;
}

/** The write-ahead log holds event text too: owner-only like the file. */
function restrictSidecars(file: string): void {
  for (const f of [`${file}-wal`, `${file}-journal`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch {
      // absent
    }
  }
}

export { SCHEMA_VERSION };
