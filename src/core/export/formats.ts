/**
 * How one event becomes text in each export format.
 *
 * - JSON Lines (default): one event per line, exactly the JSON the API sent
 *   (`raw`); only when that text spans several lines is whitespace outside
 *   strings removed so it fits on one.
 * - JSON: one array of the events as sent.
 * - CSV (RFC 4180, CRLF): one row per event: id, type, time in ISO 8601 and
 *   Unix seconds, actor, project, resource id, the event's detail object as
 *   JSON (nesting past MAX_DISPLAY_DEPTH written as "(too deep to display)"),
 *   and for an unreadable event the reason, with its whole wire text as the
 *   detail. Every cell from the API is hostile: quoted when needed, and a
 *   cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
 *   gets a leading `'`.
 */
import { describeActor, eventDetail, projectOf, resourceId, type ParsedEvent } from '../model';
import { boundedJson } from '../text/valueDepth';
import { toOcsf } from './ocsf/ocsfEvent';
import { singleLineJson, timeOnWire } from './wireFields';

export { singleLineJson, timeOnWire } from './wireFields';

export const EXPORT_FORMATS = ['jsonl', 'json', 'csv', 'parquet', 'ocsf', 'evidence'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The formats written as text, one piece per event (Parquet and the evidence pack have their own writers). */
export type TextExportFormat = Exclude<ExportFormat, 'parquet' | 'evidence'>;

export function isTextExportFormat(format: ExportFormat): format is TextExportFormat {
  return format !== 'parquet' && format !== 'evidence';
}

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** The file name ending of each format; the evidence pack is a folder (no ending). */
export const EXPORT_FILE_EXTENSIONS: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'jsonl',
  json: 'json',
  csv: 'csv',
  parquet: 'parquet',
  ocsf: 'ocsf.jsonl',
  evidence: '',
};

/** The format a file name suggests (`.ocsf.jsonl`, `.jsonl`/`.ndjson`, `.json`, `.csv`, `.parquet`), if any. */
export function formatFromFileName(name: string): ExportFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.ocsf.jsonl') || lower.endsWith('.ocsf.ndjson')) return 'ocsf';
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}

export const CSV_COLUMNS = [
  'id',
  'type',
  'effective_at',
  'effective_at_unix',
  'actor',
  'actor_id',
  'project_id',
  'project_name',
  'resource_id',
  'detail',
  'unreadable',
] as const;

/** Writes events of one format as text pieces: a header, one piece per event, a footer. */
export interface EventFormatter {
  header(): string;
  event(e: ParsedEvent, index: number): string;
  footer(count: number): string;
}

export function formatterFor(format: TextExportFormat): EventFormatter {
  switch (format) {
    case 'jsonl':
      return { header: () => '', event: (e) => `${singleLineJson(e.raw)}\n`, footer: () => '' };
    case 'json':
      return {
        header: () => '[',
        event: (e, index) => `${index === 0 ? '\n' : ',\n'}${e.raw}`,
        footer: (count) => (count === 0 ? ']\n' : '\n]\n'),
      };
    case 'csv':
      return { header: () => `${CSV_COLUMNS.join(',')}\r\n`, event: (e) => `${csvRow(e)}\r\n`, footer: () => '' };
    case 'ocsf':
      return { header: () => '', event: (e) => `${JSON.stringify(toOcsf(e))}\n`, footer: () => '' };
  }
}


export function csvRow(e: ParsedEvent): string {
  const event = e.event;
  const unreadable = e.unreadable !== undefined;
  // An unreadable event's time is a stand-in (0) unless the wire had a usable one.
  const at = unreadable && !timeOnWire(e.raw) ? Number.NaN : event.effective_at;
  const actor = describeActor(event);
  const project = projectOf(event);
  const detail = eventDetail(event);
  return [
    event.id,
    event.type,
    isoTime(at),
    Number.isFinite(at) ? String(at) : '',
    actor.label,
    actor.actorId ?? '',
    project?.id ?? '',
    project?.name ?? '',
    resourceId(event) ?? '',
    unreadable ? singleLineJson(e.raw) : detail !== undefined ? boundedJson(detail) : '',
    e.unreadable ?? '',
  ]
    .map(csvCell)
    .join(',');
}


function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: formula-looking text defused with `'`, quoted when it holds `"`, `,` or a line break. */
export function csvCell(value: unknown): string {
  let text = typeof value === 'string' ? value : String(value ?? '');
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
