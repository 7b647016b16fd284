import type { SQLiteValue } from 'node-sqlite3-wasm';

/** A bound parameter of a feature's SQL: a value, never text spliced into the statement. */
export type SqlValue = SQLiteValue;
export type SqlRow = Record<string, SqlValue>;

/**
 * What a feature module (the query compiler, findings, insights, the directory) gets to run its own SQL over
 * the archive: prepared statements with bound parameters only, cached by text like the repository's own.
 * Reads see the committed state; `run` is available only inside `AuditArchive.writeSql` (one transaction).
 *
 * Why not more repository methods: each feature's SQL lives beside the feature (src/core/<feature>/) so the
 * repository does not become every feature's file; this interface is the one door, and it takes parameters.
 */
export interface ArchiveSql {
  /** Every row of `sql` with `params` bound. */
  all(sql: string, params?: readonly SqlValue[]): SqlRow[];
  /** The first row, or undefined (the statement is run to its end, so no read transaction stays open). */
  get(sql: string, params?: readonly SqlValue[]): SqlRow | undefined;
  /** Runs a statement that writes; throws outside `AuditArchive.writeSql`. */
  run(sql: string, params?: readonly SqlValue[]): { changes: number };
}
