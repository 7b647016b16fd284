/**
 * The OCSF mapping as a markdown table, generated from the mapping data
 * (ocsfMapping.ts) for the README: one row per class and activity, with the
 * event types that map to it. A unit test keeps the README's copy current.
 */
import { AUDIT_LOG_EVENT_TYPES } from '../../model/generated';
import { ocsfMappingOf } from './ocsfMapping';

export const OCSF_TABLE_START = '<!-- ocsf-mapping:start (generated from src/core/export/ocsf/ocsfMapping.ts) -->';
export const OCSF_TABLE_END = '<!-- ocsf-mapping:end -->';

export function ocsfMappingTable(types: readonly string[] = AUDIT_LOG_EVENT_TYPES): string {
  const rows = new Map<string, { cls: string; activity: string; types: string[] }>();
  for (const type of types) {
    const m = ocsfMappingOf(type);
    const cls = `${m.ocsfClass.className} (${m.ocsfClass.classUid})`;
    const activity = `${m.activity[1]} (${m.activity[0]})`;
    const key = `${String(m.ocsfClass.classUid).padStart(5, '0')} ${String(m.activity[0]).padStart(3, '0')} ${activity}`;
    const row = rows.get(key) ?? { cls, activity, types: [] };
    row.types.push(`\`${type}\``);
    rows.set(key, row);
  }
  const lines = ['| OCSF class (class_uid) | Activity (activity_id) | OpenAI event types |', '|---|---|---|'];
  for (const key of [...rows.keys()].sort()) {
    const r = rows.get(key)!;
    lines.push(`| ${r.cls} | ${r.activity} | ${r.types.sort().join(', ')} |`);
  }
  lines.push('| Base Event (0) | Other (99) | any type this version does not know yet (the raw event is kept in `raw_data`) |');
  return [OCSF_TABLE_START, ...lines, OCSF_TABLE_END].join('\n');
}
