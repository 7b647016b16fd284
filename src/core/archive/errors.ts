/**
 * The archive's errors: each says in plain words what happened, so the caller
 * can show it and fall back to an in-memory archive. None carries a key (the
 * archive never sees one) or event text.
 */

export type ArchiveUnavailableReason = 'readOnly' | 'full' | 'permission' | 'corrupt' | 'io';

/** The archive's file cannot be used (read-only or full disk, no permission, not a database). */
export class ArchiveUnavailableError extends Error {
  override readonly name = 'ArchiveUnavailableError';
  constructor(
    readonly reason: ArchiveUnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Another process holds the archive and did not release it in time. */
export class ArchiveBusyError extends Error {
  override readonly name = 'ArchiveBusyError';
  constructor(
    readonly owner: { readonly pid?: number; readonly hostname?: string; readonly started?: number } | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The archive was closed (or its lock taken over) and cannot be used any more. */
export class ArchiveClosedError extends Error {
  override readonly name = 'ArchiveClosedError';
}

const FULL = /\b(SQLITE_FULL|database or disk is full)\b|ENOSPC|EDQUOT/i;
const READ_ONLY = /\b(SQLITE_READONLY|readonly database|read-only)\b|EROFS/i;
const PERMISSION = /EACCES|EPERM|permission denied/i;
const CORRUPT = /\b(SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database|file is not a database)\b/i;
const IO = /\b(SQLITE_IOERR|SQLITE_CANTOPEN|disk I\/O error|unable to open)\b|EIO|ENOENT|ENOTDIR|EISDIR/i;

function describe(reason: ArchiveUnavailableReason, file: string): string {
  switch (reason) {
    case 'full':
      return `The audit-log archive cannot be written: the disk is full (${file}).`;
    case 'readOnly':
      return `The audit-log archive cannot be written: its folder is read-only (${file}).`;
    case 'permission':
      return `The audit-log archive cannot be opened: permission denied (${file}).`;
    case 'corrupt':
      return `The audit-log archive is damaged or not an archive (${file}).`;
    case 'io':
      return `The audit-log archive cannot be opened or written (${file}).`;
  }
}

/**
 * Maps a file-system or SQLite failure onto {@link ArchiveUnavailableError};
 * other errors (a bug, a cancellation) are returned as they are.
 */
export function toArchiveError(error: unknown, file: string): unknown {
  if (error instanceof ArchiveUnavailableError || error instanceof ArchiveBusyError || error instanceof ArchiveClosedError) return error;
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as { message?: unknown })?.message ?? String(error)}`;
  const reason: ArchiveUnavailableReason | undefined = FULL.test(text)
    ? 'full'
    : READ_ONLY.test(text)
      ? 'readOnly'
      : PERMISSION.test(text)
        ? 'permission'
        : CORRUPT.test(text)
          ? 'corrupt'
          : IO.test(text)
            ? 'io'
            : undefined;
  return reason ? new ArchiveUnavailableError(reason, describe(reason, file), { cause: error }) : error;
}
