/**
 * The audit-log archive: every event the API returned, kept in one SQLite
 * file per organization (or in memory, by the same code), synced
 * incrementally, read by the views. No VS Code here.
 *
 * Design note
 * -----------
 * Engine. SQLite 3.53 compiled to WebAssembly (`node-sqlite3-wasm`), with a
 * VFS on Node's `fs`: one package for every platform, no native module. Its
 * VFS locks a database by creating the directory `<file>.lock` (mkdir) at
 * any lock level and removing it on unlock, and its "reserved lock" check
 * only asks whether that directory exists, our own lock included. Two
 * consequences, both measured (SIGKILL in the middle of a transaction):
 * - In rollback-journal mode a hot journal is never rolled back (SQLite
 *   believes another writer is busy), so a killed writer leaves a torn
 *   database. WAL mode recovers from its log without that check, so the
 *   archive runs `journal_mode=WAL` with `locking_mode=EXCLUSIVE` (WAL
 *   without shared memory, which this VFS does not have) and
 *   `synchronous=NORMAL`: a committed transaction survives a killed process.
 * - The exclusive connection holds `<file>.lock` for as long as it is open,
 *   and a killed process leaves it behind.
 *
 * Ownership (lock.ts). So one process at a time owns the file: it takes the
 * owner lock `<file>.owner` (a directory with `owner.json`: pid, hostname,
 * started, heartbeat, token) before opening the file and keeps it until
 * `close()`. Readers are owners too: with one exclusive connection a second
 * process cannot read while the first writes, so it never sees a torn state;
 * it waits (bounded) and then gets `ArchiveBusyError`, and can fall back to
 * an in-memory archive. A lock whose owner is gone (dead pid on this host,
 * stale heartbeat) is taken over under a guard directory, so two processes
 * that both find it stale never both get in; the engine's `<file>.lock` left
 * by that owner is then removed, and WAL recovery restores the last commit.
 * Before every write the owner checks the lock is still its own.
 *
 * Schema (schema.ts, migrations by `PRAGMA user_version`). Narrow `events`
 * rows with the indexed columns and integer references to dictionary
 * tables (types, projects, actors, user agents); the exact wire text in
 * `event_raw`; other texts seen for a known id in `variants`; `coverage`,
 * the whole-second intervals `[gte, lt)` synced completely; a contentless
 * FTS5 index (`detail=none`) of each event's string values. `ord` is the
 * event's position within its second in the API's listing (streamOrder.ts),
 * so `ORDER BY effective_at DESC, ord` is the API's order. Every SQL
 * statement of the archive itself is in repository.ts; a feature's own SQL
 * (search, findings, insights, directory) lives beside the feature and runs
 * through `readSql`/`writeSql` (archiveSql.ts). Values are always bound parameters.
 *
 * Reads. `AuditLogQuery` applies as the API applies it (lists ORed, filters
 * ANDed, `actor_ids[]` matching the user, the API key or the service
 * account). `groups()` builds `groupEvents`'s tree from GROUP BY counts
 * (the day grouping counts quarter hours in SQL and maps them to days with
 * the caller's `dayOf`); `events()` pages a group newest first; `iterate()`
 * streams with keyset paging, one short query per batch.
 *
 * The archive never holds a key: it stores what the API returned.
 */
export { AuditArchive, MEMORY, type ArchiveOptions, type ArchiveStats, type CommitOptions, type CommitResult, type EventsOptions } from './archive';
export type { ArchiveSql, SqlRow, SqlValue } from './archiveSql';
export { coversRange, gapsIn, mergeRange, type CoveredRange } from './coverage';
export { ArchiveBusyError, ArchiveClosedError, ArchiveUnavailableError, type ArchiveUnavailableReason } from './errors';
export { DAY_BUCKET_SECONDS, type ArchiveGroup, type ArchiveGroupingOptions } from './groups';
export { ArchiveLock, isProcessAlive, type ArchiveLockOptions, type LockOwner } from './lock';
export type { GroupStep, InsertOutcome } from './repository';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './schema';
export { ALL_BUILT, ROLLUP_COLUMNS, ROLLUP_DAY, ROLLUP_DIMS, ROLLUP_GRAINS, ROLLUP_SLOT, rollupsBuiltFrom, type RollupDim, type RollupProgress } from './rollups';
export { ftsQuery } from './searchText';
export { StreamOrder } from './streamOrder';
export { applyRetention, syncArchive, type SyncOptions, type SyncProgress, type SyncResult } from './sync';
