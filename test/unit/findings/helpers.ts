/** Fixtures of the findings tests: crafted events as the API sends them, and the engine over a memory archive. */
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { effectiveRules, FindingsEngine, listFindings, type Finding, type Rule } from '../../../src/core/findings';
import { parseAuditLogPage, type ParsedEvent } from '../../../src/core/model';

export const T = 1_790_000_000;

let n = 0;
/** An event of `type` at `at` with `detail` under its type key. */
export function ev(type: string, at: number, detail: object = {}, extra: object = {}): object {
  return { id: `audit_log-${String(n++).padStart(6, '0')}`, type, effective_at: at, ...extra, [type]: detail };
}

export function session(email: string, ip = '198.51.100.1', country = 'US', userId = `user-${email}`): object {
  return { actor: { type: 'session', session: { user: { id: userId, email }, ip_address: ip, ip_address_details: { country, city: 'X', asn: '64500' } } } };
}

export const inProject = (id = 'proj_1'): object => ({ project: { id, name: 'Atlas' } });

export function parsed(events: readonly object[]): ParsedEvent[] {
  return parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data;
}

export function builtInRules(overrides: unknown = {}, user: unknown = []): Rule[] {
  return effectiveRules(overrides, user).rules;
}

/** Archives `batches` one commit each (in that order), evaluating after each; returns the findings. */
export async function findingsOf(batches: readonly (readonly object[])[], rules: Rule[] = builtInRules()): Promise<Finding[]> {
  const archive = await AuditArchive.open(MEMORY);
  try {
    const engine = new FindingsEngine(rules);
    for (const b of batches) {
      archive.commitWindow(parsed(b));
      engine.evaluate(archive);
    }
    return archive.readSql((sql) => listFindings(sql));
  } finally {
    archive.close();
  }
}

export const byRule = (fs: readonly Finding[], rule: string): Finding[] => fs.filter((f) => f.rule === rule);
