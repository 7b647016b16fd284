/**
 * Reading an event's wire text and its loosely typed fields for the export
 * formats: the text on one line, whether an unreadable event had a usable
 * time, the actor's `ip_address_details`.
 */
import type { ParsedEvent } from '../model';

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
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

/** Whether the wire text of an unreadable event has a finite number `effective_at` (rare: parsed only for those). */
export function timeOnWire(raw: string): boolean {
  try {
    const value: unknown = JSON.parse(raw);
    const at = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['effective_at'] : undefined;
    return typeof at === 'number' && Number.isFinite(at);
  } catch {
    return false;
  }
}

/** The `ip_address_details` of the actor's session or API key, when an object. */
export function ipAddressDetails(e: ParsedEvent): Record<string, unknown> | undefined {
  const actor = asRecord(e.event.actor);
  return asRecord(asRecord(actor?.['session'])?.['ip_address_details']) ?? asRecord(asRecord(actor?.['api_key'])?.['ip_address_details']);
}
