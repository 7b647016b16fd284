/**
 * Events that lack what every event must have (a string `id` and `type`, a
 * finite number `effective_at`, or that are not objects at all). One such
 * event must not cost the other 99 of its page, so it is kept as an
 * *unreadable* event: its exact wire text, the reason, and stand-ins for the
 * three fields that the store, the tree and the export key on:
 *
 * - `id`: the original when it is a string, else `unreadable:` and the first
 *   16 hex digits of the SHA-256 of the raw text (the same text always gets
 *   the same id, so a refresh does not duplicate it);
 * - `type`: the original when it is a string, else {@link UNREADABLE_TYPE};
 * - `effective_at`: the original when it is a finite number, else 0.
 *
 * Every other field of an object is kept as it came.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from './types';
import { jsonTypeOf } from './parseErrors';

/** The type given to an unreadable event whose own `type` is not a string. */
export const UNREADABLE_TYPE = '(unreadable)';
/** The prefix of the id made for an unreadable event without a string `id`. */
export const UNREADABLE_ID_PREFIX = 'unreadable:';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why a parsed element of `data` is not a readable event (`id: expected
 * string, got number; type: expected string, got null`), or undefined when
 * it is one. Names JSON types only, never values from the body.
 */
export function unreadableReason(value: unknown): string | undefined {
  if (!isObject(value)) return `expected an object, got ${jsonTypeOf(value)}`;
  const problems: string[] = [];
  const expect = (field: string, expected: string, ok: boolean, received: string): void => {
    if (ok) return;
    problems.push(received === 'missing' ? `${field}: expected ${expected}, but the field is missing` : `${field}: expected ${expected}, got ${received}`);
  };
  expect('id', 'string', typeof value['id'] === 'string', jsonTypeOf(value['id']));
  expect('type', 'string', typeof value['type'] === 'string', jsonTypeOf(value['type']));
  const at = value['effective_at'];
  if (typeof at !== 'number') expect('effective_at', 'number', false, jsonTypeOf(at));
  else expect('effective_at', 'finite number', Number.isFinite(at), 'a number out of range');
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** The deterministic id of an unreadable event without a string id. */
export function unreadableId(raw: string): string {
  return UNREADABLE_ID_PREFIX + createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, 16);
}

/** The stand-in event for an unreadable element (see the module comment). */
export function unreadableEvent(value: unknown, raw: string): AuditEvent {
  const fields = isObject(value) ? value : {};
  const id = fields['id'];
  const type = fields['type'];
  const at = fields['effective_at'];
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    // Own properties even for a key named `__proto__` (event keys are attacker-controlled).
    Object.defineProperty(event, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  event['id'] = typeof id === 'string' ? id : unreadableId(raw);
  event['type'] = typeof type === 'string' ? type : UNREADABLE_TYPE;
  event['effective_at'] = typeof at === 'number' && Number.isFinite(at) ? at : 0;
  return event as AuditEvent;
}
