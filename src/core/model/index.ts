/**
 * The audit-log model: what an event is, how a page is parsed, and the
 * helpers every view uses to read an event.
 *
 * Design note: forward compatibility
 * ----------------------------------
 * The audit-log API grows often (51 event types to 145 in a year), and an
 * audit viewer that hides what it does not understand is worse than useless.
 * So the model is lenient by construction:
 * - Only the envelope (`object: "list"`, `data` array, `has_more` boolean,
 *   `first_id`/`last_id` string, null or absent) and each event's `id`,
 *   `type` and `effective_at` are required. An envelope that breaks those
 *   throws `PageSchemaError` naming the path (`has_more: expected boolean,
 *   got string`); a body that is not JSON throws `PageNotJsonError`. An
 *   event without its three fields is kept as an *unreadable* event (its raw
 *   text, the reason in `unreadable`, stand-in id/type/time), never dropped
 *   with its page.
 * - Everything else is optional and kept: an unknown event type, unknown
 *   fields at any depth, a missing or null actor, a missing project. The
 *   generated zod schemas (generated.ts, from the OpenAPI contract by
 *   `npm run codegen`) are loose objects with optional fields and open enums;
 *   a value that still does not match them (say a string where the contract
 *   says integer) becomes a warning on the parsed event, never a lost event.
 * - The hot path validates by hand: `JSON.parse` once per page plus a few
 *   `typeof` checks per event. Schema checks run on demand
 *   (`ParsedAuditEvent.warnings`).
 *
 * Raw text
 * --------
 * "Copy Event JSON" must give exactly what the API sent. `JSON.parse` +
 * `JSON.stringify` is not faithful (integer-like keys move to the front,
 * `1.0` becomes `1`, integers above 2^53 lose digits, escapes are rewritten),
 * so each event keeps its original text: a structural scanner (jsonScanner.ts)
 * finds the character range of each element of the page's top-level `data`
 * array, and `raw` is that substring. The scan runs per page on the first
 * `raw` access. `prettyRawJson` re-indents that text token by token, without
 * parsing it into values, for the clipboard and the JSON editor.
 */

export type { AuditEvent, AuditLogActor, AuditLogPage, AuditLogUser, ParsedEvent } from './types';
export { ParsedAuditEvent, contractWarnings, parseAuditEvent, parseAuditLogPage, unreadableEventNotes } from './pageParser';
export { UNREADABLE_ID_PREFIX, UNREADABLE_TYPE, unreadableId } from './unreadableEvent';
export { MAX_PLAUSIBLE_SECONDS, effectiveAtWarning } from './effectiveAt';
export { PageNotJsonError, PageSchemaError, jsonTypeOf } from './parseErrors';
export { prettyRawJson } from './prettyJson';
export {
  type ActorInfo,
  type ActorKind,
  changesRequested,
  createdData,
  describeActor,
  eventAction,
  eventDetail,
  eventFamily,
  hasChangesRequested,
  hasCreatedData,
  isKnownEventType,
  projectOf,
  resourceId,
} from './eventHelpers';
export { summarizeEvent } from './eventSummary';
export {
  AUDIT_LOG_DETAIL_SCHEMAS,
  AUDIT_LOG_EVENT_FAMILIES,
  AUDIT_LOG_EVENT_TYPES,
  EVENT_TYPES_WITH_CHANGES_REQUESTED,
  EVENT_TYPES_WITH_DATA,
  type AuditLogDetail,
  type KnownEventFamily,
  type KnownEventType,
  type TypedDetailEventType,
} from './generated';
