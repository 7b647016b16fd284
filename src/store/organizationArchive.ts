import type { AuditArchive } from '../core/archive';
import { archiveFile, deleteArchiveFiles, openArchive, type ArchiveMode, type OpenedArchive } from './archiveSession';

/**
 * The current organization's archive: which file, opened how (file, memory, or memory after a failure),
 * and the operations that replace it. Opening, deleting and reopening run one after another on one chain,
 * so a delete never races an open and a reader waits for the archive with {@link ready}.
 */
export class OrganizationArchive {
  private opened: OpenedArchive | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly globalStorageDir: string,
    private readonly log: { warn(message: string): void; info(message: string): void; error(message: string): void },
  ) {}

  /** The open archive; undefined only while one is being opened. */
  get archive(): AuditArchive | undefined {
    return this.opened?.archive;
  }
  get mode(): ArchiveMode {
    return this.opened?.mode ?? 'memory';
  }
  /** Why the file could not be used, when it could not. */
  get problem(): string | undefined {
    return this.opened?.problem;
  }

  /** Where an organization's archive lives (also when disabled or unusable: where it would be). */
  fileOf(organizationId: string): string {
    return archiveFile(this.globalStorageDir, organizationId);
  }

  /** Resolves when the opening, deleting or reopening asked for so far has settled. */
  ready(): Promise<void> {
    return this.chain;
  }

  /** Closes the current archive and opens the organization's: its file, or memory when `onDisk` is false or the file fails. */
  reopen(organizationId: string, onDisk: boolean, then?: () => void): Promise<void> {
    return this.enqueue('Opening the archive failed', async () => {
      this.close();
      const opened = await openArchive(onDisk ? this.fileOf(organizationId) : undefined, (m) => this.log.warn(m));
      this.opened = opened;
      if (opened.problem) this.log.warn(`The archive could not be opened; this window works from memory: ${opened.problem}`);
      then?.();
    });
  }

  /** Deletes the organization's archive file (closing it first if it is the open one). True when there was a file. */
  async delete(organizationId: string): Promise<boolean> {
    let deleted = false;
    await this.enqueue('Deleting the archive failed', () => {
      const file = this.fileOf(organizationId);
      if (this.opened?.archive.file === file) this.close();
      deleted = deleteArchiveFiles(file);
      this.log.info(deleted ? 'The archive was deleted.' : 'There was no archive file to delete.');
    });
    return deleted;
  }

  /** Deletes a removed organization's archive, unless it is the open one (a removal switches away first). */
  deleteIfClosed(organizationId: string): Promise<void> {
    return this.enqueue('Deleting the archive failed', () => {
      const file = this.fileOf(organizationId);
      if (this.opened?.archive.file === file) return;
      if (deleteArchiveFiles(file)) this.log.info("The removed organization's archive was deleted.");
    });
  }

  close(): void {
    this.opened?.archive.close();
    this.opened = undefined;
  }

  private enqueue(failure: string, step: () => void | Promise<void>): Promise<void> {
    const next = this.chain.then(step);
    this.chain = next.catch((e: unknown) => this.log.error(`${failure}: ${e instanceof Error ? e.message : String(e)}`));
    return this.chain;
  }
}
