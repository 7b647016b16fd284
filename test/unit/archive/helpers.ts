/** Shared fixtures of the archive tests: temporary folders, events as the API sends them. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAuditLogPage, type ParsedEvent } from '../../../src/core/model';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';

export function tempDir(prefix = 'oal-archive-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Events as the client yields them: parsed from one page's text, so `raw` is the exact wire text. */
export function parsed(events: readonly object[]): ParsedEvent[] {
  return parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data;
}

export function sampleEvents(count: number, seed = 7): ParsedEvent[] {
  return parsed(generateSampleOrganization({ seed, eventCount: count }).events);
}

export function sampleObjects(count: number, seed = 7): object[] {
  return generateSampleOrganization({ seed, eventCount: count }).events;
}

export const ids = (events: readonly ParsedEvent[]): string[] => events.map((e) => e.event.id);
