/**
 * An export holds the organization's audit log (emails, IP addresses, key
 * ids): the file it writes must be readable by its owner only, like other
 * credentials-adjacent files, whatever the umask.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeEventsFile } from '../../../src/core/export';
import { parseAuditEvent, type ParsedEvent } from '../../../src/core/model';

async function* one(): AsyncGenerator<readonly ParsedEvent[]> {
  yield [parseAuditEvent(JSON.stringify({ id: 'audit_log-1', type: 'login.succeeded', effective_at: 1_700_000_000, actor: { type: 'session', session: { user: { id: 'u', email: 'ada@example.com' }, ip_address: '203.0.113.7' } } }))];
}

describe('security: exported files', function () {
  if (process.platform === 'win32') return;
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-export-mode-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const format of ['jsonl', 'json', 'csv'] as const) {
    it(`a ${format} export is not readable by other users`, async () => {
      const file = path.join(dir, `out.${format}`);
      await writeEventsFile(one(), file, format);
      const mode = (await fs.stat(file)).mode & 0o777;
      assert.equal(mode & 0o077, 0, `mode ${mode.toString(8)}`);
    });
  }
});
