/**
 * Test fixtures for the model: minimal events of every known type (detail
 * objects built from the generated zod schemas), pages, the spec's example
 * response, and a deterministic random JSON text generator for the scanner.
 */
import { z } from 'zod';
import { AUDIT_LOG_DETAIL_SCHEMAS, AUDIT_LOG_EVENT_TYPES } from '../../../src/core/model/generated';
import { DEFAULT_SPEC_PATH, loadSpec } from '../../../scripts/codegen';
import { SeededRandom } from '../../../src/core/sample/seededRandom';

export const spec = loadSpec(DEFAULT_SPEC_PATH);

/** The example response of the list operation, made strict JSON (the spec's text has trailing commas). */
export function exampleResponseText(): string {
  const operation = spec['operation'] as { 'x-oaiMeta': { examples: { response: string } } };
  return operation['x-oaiMeta'].examples.response.replace(/,(\s*[}\]])/g, '$1');
}

/** A value that satisfies `schema`, with every optional field present; strings are derived from the field name. */
export function sampleFromSchema(schema: z.ZodType, name: string, seed = 0): unknown {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return sampleFromSchema(schema.unwrap() as z.ZodType, name, seed);
  }
  if (schema instanceof z.ZodObject) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      out[key] = sampleFromSchema(field, key, seed);
    }
    return out;
  }
  if (schema instanceof z.ZodUnion) return sampleFromSchema(schema.options[0] as z.ZodType, name, seed);
  if (schema instanceof z.ZodEnum) return schema.options[0];
  if (schema instanceof z.ZodArray) return [sampleFromSchema(schema.element as z.ZodType, name, seed)];
  if (schema instanceof z.ZodString) return name === 'id' ? `obj_${seed}` : `${name}_${seed}`;
  if (schema instanceof z.ZodNumber) return 100 + seed;
  if (schema instanceof z.ZodBoolean) return true;
  throw new Error(`sampleFromSchema: unsupported schema for ${name}`);
}

/** A minimal, contract-conforming event of `type` (with its typed detail when the contract has one). */
export function minimalEvent(type: string, i: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    id: `audit_log-${i.toString(36).padStart(4, '0')}`,
    type,
    effective_at: 1_720_000_000 + i,
    actor: { type: 'session', session: { user: { id: 'user-1', email: 'admin@example.com' }, ip_address: '203.0.113.9' } },
    project: { id: 'proj_1', name: 'Default project' },
  };
  const schema = (AUDIT_LOG_DETAIL_SCHEMAS as Record<string, z.ZodType>)[type];
  if (schema) event[type] = sampleFromSchema(schema, type, i);
  return event;
}

export function allTypesEvents(): Record<string, unknown>[] {
  return AUDIT_LOG_EVENT_TYPES.map((t, i) => minimalEvent(t, i));
}

export function pageText(
  events: readonly unknown[],
  opts: { hasMore?: boolean; indent?: number } = {},
): string {
  const data = events as Array<{ id?: unknown }>;
  return JSON.stringify(
    {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
      has_more: opts.hasMore ?? false,
    },
    null,
    opts.indent ?? 2,
  );
}

/** A realistic event, as the real API sends it: session actors with IP details, service-account keys, details. */
export function realisticEvent(i: number): Record<string, unknown> {
  const type = AUDIT_LOG_EVENT_TYPES[i % AUDIT_LOG_EVENT_TYPES.length]!;
  const actor =
    i % 3 === 0
      ? {
          type: 'session',
          session: {
            user: { id: `user-${i % 50}`, email: `person${i % 50}@example.com` },
            ip_address: '203.0.113.7',
            user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0 Safari/537.36',
            ip_address_details: { country: 'US', city: 'San Francisco', region: 'California', asn: '1234' },
          },
        }
      : { type: 'api_key', api_key: { id: `key_${i % 20}`, type: 'service_account', service_account: { id: `svc_${i % 7}` } } };
  const event = minimalEvent(type, i);
  event['actor'] = actor;
  return event;
}

/** Deterministic numbers in [0, 1): the sample organization's seeded generator. */
export function rng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const NUMBER_LEXEMES = ['0', '-0', '1.0', '1.50', '1e3', '-2.5E-7', '12345678901234567890123', '9007199254740993', '0.1e+2'];
const STRING_LEXEMES = [
  '""',
  '"plain"',
  '"with \\"quotes\\" and \\\\ backslash\\\\"',
  '"\\\\"',
  '"brackets ] } [ { , : inside"',
  '"\\u00e9\\u0000\\ud83d\\ude00"',
  '"é 😀 עברית"',
  '"\\/\\b\\f\\n\\r\\t"',
  '"\\"data\\": ["',
];
const WHITESPACE = ['', '', '', ' ', '\n', '  ', '\t', '\r\n    '];

/** Random JSON text (not necessarily canonical), exercising the lexemes the scanner must not trip on. */
export function randomJsonText(next: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const ws = () => pick(WHITESPACE);
  const r = next();
  if (depth > 3 || r < 0.45) {
    const p = next();
    if (p < 0.35) return pick(NUMBER_LEXEMES);
    if (p < 0.8) return pick(STRING_LEXEMES);
    return pick(['true', 'false', 'null']);
  }
  const count = Math.floor(next() * 4);
  const items: string[] = [];
  if (r < 0.7) {
    for (let k = 0; k < count; k++) {
      const key = pick(['"a"', '"2"', '"1"', '"x.y"', '"d\\u0061ta"', '"data"', STRING_LEXEMES[4]!, '"__proto__"']);
      items.push(`${ws()}${key}${ws()}:${ws()}${randomJsonText(next, depth + 1)}${ws()}`);
    }
    return `{${items.join(',') || ws()}}`;
  }
  for (let k = 0; k < count; k++) items.push(`${ws()}${randomJsonText(next, depth + 1)}${ws()}`);
  return `[${items.join(',') || ws()}]`;
}
