/**
 * Lenient, fast parsing of audit-log pages.
 *
 * 1. `JSON.parse` the whole body once (native, fast); failure -> PageNotJsonError.
 * 2. Validate the envelope by hand (cheap property checks); failure ->
 *    PageSchemaError naming the path. An element of `data` without a string
 *    `id` and `type` and a finite `effective_at` does not fail the page: it
 *    is kept as an unreadable event (unreadableEvent.ts), raw text and reason.
 * 3. Scan the body text for the character range of each element of `data`
 *    (jsonScanner) so every event keeps its exact wire text as `raw`.
 * 4. Everything else (actor, project, the typed detail) is checked lazily
 *    against the generated zod schemas: a mismatch is a warning on the
 *    parsed event, never a lost event.
 */
import type { AuditEvent, AuditLogPage, ParsedEvent } from './types';
import { AUDIT_LOG_DETAIL_SCHEMAS, AuditLogActorSchema, AuditLogProjectSchema } from './generated';
import { type JsonRange, JsonScanError, topLevelArrayElementRanges } from './jsonScanner';
import { PageNotJsonError, PageSchemaError, jsonTypeOf } from './parseErrors';
import { effectiveAtWarning } from './effectiveAt';
import { unreadableEvent, unreadableReason } from './unreadableEvent';

const DETAIL_SCHEMAS: Readonly<Record<string, (typeof AUDIT_LOG_DETAIL_SCHEMAS)[keyof typeof AUDIT_LOG_DETAIL_SCHEMAS]>> =
  AUDIT_LOG_DETAIL_SCHEMAS;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The body text of one page and, once someone asks for an event's raw text,
 * the character ranges of the elements of its `data` array. Scanning is
 * deferred because most events are never copied: the tree and the analysis
 * need only the parsed values, and the scan costs about half as much again
 * as `JSON.parse` on indented bodies.
 */
class PageSource {
  private ranges: JsonRange[] | undefined;

  constructor(
    private readonly text: string,
    private readonly count: number,
  ) {}

  rawAt(index: number): string {
    const ranges = (this.ranges ??= this.scan());
    const [start, end] = ranges[index]!;
    return this.text.slice(start, end);
  }

  private scan(): JsonRange[] {
    let ranges: JsonRange[] | undefined;
    try {
      ranges = topLevelArrayElementRanges(this.text, 'data');
    } catch (e) {
      // JSON.parse accepted the text, so this is a scanner bug, not bad input.
      throw new Error(`audit-log page scanner failed: ${e instanceof JsonScanError ? e.message : String(e)}`);
    }
    if (!ranges || ranges.length !== this.count) {
      throw new Error(`audit-log page scanner found ${ranges?.length ?? 'no'} events, JSON.parse found ${this.count}`);
    }
    return ranges;
  }
}

/**
 * A parsed event: the value, its exact wire text, and the ways it departs
 * from the contract. `raw` and `warnings` are computed on first access and
 * cached; `toJSON` includes both, so JSON serialization keeps them.
 */
export class ParsedAuditEvent implements ParsedEvent {
  private _raw: string | undefined;
  private _warnings: readonly string[] | undefined;

  constructor(
    readonly event: AuditEvent,
    source: string | PageSource,
    index = 0,
    /** Why the wire value is not a readable event (see unreadableEvent.ts); undefined for a readable one. */
    readonly unreadable?: string,
  ) {
    if (typeof source === 'string') this._raw = source;
    else {
      this.source = source;
      this.index = index;
    }
  }

  private readonly source: PageSource | undefined;
  private readonly index: number = 0;

  /** Exactly the characters the API sent for this event (keys, order, number lexemes, escapes). */
  get raw(): string {
    return (this._raw ??= this.source!.rawAt(this.index));
  }

  /**
   * Departures from the contract that did not stop parsing: an actor or
   * project of the wrong shape, a typed detail that does not match its
   * schema, an implausible time; an unreadable event's reason comes first.
   * Empty for a conforming event.
   */
  get warnings(): readonly string[] {
    if (this._warnings) return this._warnings;
    const found = contractWarnings(this.event);
    if (this.unreadable !== undefined) found.unshift(`Unreadable event: ${this.unreadable}`);
    return (this._warnings = found);
  }

  toJSON(): { event: AuditEvent; raw: string; unreadable?: string } {
    return { event: this.event, raw: this.raw, ...(this.unreadable !== undefined ? { unreadable: this.unreadable } : {}) };
  }
}

/** Parses one page of `GET /organization/audit_logs` from its body text. */
export function parseAuditLogPage(bodyText: string): AuditLogPage {
  const text = stripBom(bodyText);
  const body = parseJson(text);
  if (!isObject(body)) throw new PageSchemaError('(page)', 'object', jsonTypeOf(body));
  if (body['object'] !== 'list') {
    throw new PageSchemaError('object', '"list"', describeReceived(body['object']));
  }
  const data = body['data'];
  if (!Array.isArray(data)) throw new PageSchemaError('data', 'array', jsonTypeOf(data));
  if (typeof body['has_more'] !== 'boolean') {
    throw new PageSchemaError('has_more', 'boolean', jsonTypeOf(body['has_more']));
  }
  const firstId = optionalId(body, 'first_id');
  const lastId = optionalId(body, 'last_id');

  const n = data.length;
  const source = new PageSource(text, n);
  const events: ParsedEvent[] = new Array<ParsedEvent>(n);
  for (let i = 0; i < n; i++) {
    const value = data[i];
    const reason = unreadableReason(value);
    if (reason === undefined) events[i] = new ParsedAuditEvent(value as AuditEvent, source, i);
    else {
      const raw = source.rawAt(i);
      events[i] = new ParsedAuditEvent(unreadableEvent(value, raw), raw, 0, reason);
    }
  }
  return { data: events, first_id: firstId, last_id: lastId, has_more: body['has_more'] };
}

/**
 * Parses one event from its JSON text (e.g. a line of a JSON Lines export).
 * Text that is not JSON throws PageNotJsonError; JSON that is not a readable
 * event is kept as an unreadable one, as in a page.
 */
export function parseAuditEvent(rawJson: string): ParsedEvent {
  const text = stripBom(rawJson).trim();
  const value = parseJson(text);
  const reason = unreadableReason(value);
  if (reason === undefined) return new ParsedAuditEvent(value as AuditEvent, text);
  return new ParsedAuditEvent(unreadableEvent(value, text), text, 0, reason);
}

/**
 * One line per unreadable event of a page (`data[3] unreadable:1a2b…: type:
 * expected string, got null`), for the log of whoever receives pages.
 */
export function unreadableEventNotes(events: readonly ParsedEvent[]): string[] {
  const notes: string[] = [];
  events.forEach((p, i) => {
    if (p.unreadable !== undefined) notes.push(`data[${i}] ${JSON.stringify(p.event.id).slice(0, 80)}: ${p.unreadable}`);
  });
  return notes;
}

/** The contract warnings of an event (see `ParsedAuditEvent.warnings`). */
export function contractWarnings(event: AuditEvent): string[] {
  const warnings: string[] = [];
  const actor = event.actor;
  if (actor !== undefined && actor !== null) addIssues(warnings, 'actor', AuditLogActorSchema.safeParse(actor));
  const project = event.project;
  if (project !== undefined && project !== null) addIssues(warnings, 'project', AuditLogProjectSchema.safeParse(project));
  const timeWarning = effectiveAtWarning(event.effective_at);
  if (timeWarning !== undefined) warnings.push(timeWarning);
  const type = event.type;
  if (hasOwn.call(DETAIL_SCHEMAS, type)) {
    const detail = (event as Record<string, unknown>)[type];
    if (detail !== undefined) addIssues(warnings, JSON.stringify(type), DETAIL_SCHEMAS[type]!.safeParse(detail));
  }
  return warnings;
}

interface SafeParseLike {
  success: boolean;
  error?: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } | undefined;
}

function addIssues(out: string[], base: string, result: SafeParseLike): void {
  if (result.success || !result.error) return;
  for (const issue of result.error.issues) {
    out.push(`${base}${formatPath(issue.path)}: ${issue.message}`);
  }
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p)) s += `.${p}`;
    else s += `[${JSON.stringify(String(p))}]`;
  }
  return s;
}

function optionalId(body: Record<string, unknown>, key: string): string | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new PageSchemaError(key, 'string or null', jsonTypeOf(v));
  return v;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new PageNotJsonError(text.length, shorten(detail, 160));
  }
}

function describeReceived(value: unknown): string {
  return typeof value === 'string' ? `string of ${value.length} characters` : jsonTypeOf(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function shorten(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
