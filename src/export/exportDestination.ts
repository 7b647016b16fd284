/**
 * Where the export's save dialog starts (issue 10): a folder that survives,
 * never the throwaway workspace of `npm start`. The last folder an export
 * went to (kept in a small file in the extension's global storage, so it
 * holds across windows and workspaces), else the user's Downloads folder if
 * there is one, else the home folder.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const STATE_FILE = 'export-state.json';

async function isFolder(dir: string | undefined): Promise<boolean> {
  if (dir === undefined || !path.isAbsolute(dir)) return false;
  return fs.stat(dir).then((s) => s.isDirectory(), () => false);
}

/** The folder to offer: the last one used (when it still exists), else ~/Downloads (when it exists), else ~. */
export async function defaultExportFolder(lastUsed: string | undefined, home: string = os.homedir()): Promise<string> {
  if (await isFolder(lastUsed)) return lastUsed!;
  const downloads = path.join(home, 'Downloads');
  if (await isFolder(downloads)) return downloads;
  return home;
}

/** Remembers the last export folder in `<globalStorage>/export-state.json` (a path, nothing else). */
export class LastExportFolder {
  constructor(private readonly storageDir: string) {}

  async get(): Promise<string | undefined> {
    try {
      const value: unknown = JSON.parse(await fs.readFile(path.join(this.storageDir, STATE_FILE), 'utf8'));
      const folder = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['lastFolder'] : undefined;
      return typeof folder === 'string' ? folder : undefined;
    } catch {
      return undefined;
    }
  }

  async set(folder: string): Promise<void> {
    await fs.mkdir(this.storageDir, { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(this.storageDir, STATE_FILE), `${JSON.stringify({ lastFolder: folder })}\n`, { mode: 0o600 });
  }
}
