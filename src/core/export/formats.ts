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

export const EXPORT_FORMATS = ['jsonl', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

export const EXPORT_FILE_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { jsonl: 'jsonl', json: 'json', csv: 'csv' };

/** The format a file name suggests (`.jsonl`/`.ndjson`, `.json`, `.csv`), if any. */
export function formatFromFileName(name: string): ExportFormat | undefined {
  const lower = name.toLowerCase();
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

export function formatterFor(format: ExportFormat): EventFormatter {
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
  }
}

/** The JSON text on one line: unchanged when it already is, else without whitespace outside strings. */
export function singleLineJson(text: string): string {
  if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return text;
  let out = '';
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      out += text.slice(start, i);
      start = i + 1;
    }
  }
  return out + text.slice(start);
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

/** Whether the wire text of an unreadable event has a finite number `effective_at` (rare: parsed only for those). */
function timeOnWire(raw: string): boolean {
  try {
    const value: unknown = JSON.parse(raw);
    const at = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['effective_at'] : undefined;
    return typeof at === 'number' && Number.isFinite(at);
  } catch {
    return false;
  }
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
