/**
 * The Parquet export's columns: one row per event, typed, with the exact wire
 * JSON in `raw` (so nothing is lost and a new field needs no schema change).
 * `effective_at` is a TIMESTAMP (milliseconds, adjusted to UTC); an
 * unreadable event with no usable time on the wire has none (null).
 */
import { describeActor, projectOf, resourceId, type ParsedEvent } from '../model';
import { asRecord, ipAddressDetails, timeOnWire } from './wireFields';

/** A column's name and its Parquet schema element (as hyparquet-writer takes it). */
export interface ParquetColumn {
  readonly name: ParquetColumnName;
  readonly required: boolean;
  readonly kind: 'string' | 'timestamp';
}

export const PARQUET_COLUMNS = [
  { name: 'id', required: true, kind: 'string' },
  { name: 'type', required: true, kind: 'string' },
  { name: 'effective_at', required: false, kind: 'timestamp' },
  { name: 'actor_type', required: false, kind: 'string' },
  { name: 'actor_id', required: false, kind: 'string' },
  { name: 'actor_email', required: false, kind: 'string' },
  { name: 'actor_ip', required: false, kind: 'string' },
  { name: 'actor_country', required: false, kind: 'string' },
  { name: 'user_agent', required: false, kind: 'string' },
  { name: 'api_key_id', required: false, kind: 'string' },
  { name: 'project_id', required: false, kind: 'string' },
  { name: 'project_name', required: false, kind: 'string' },
  { name: 'resource_id', required: false, kind: 'string' },
  { name: 'tenant_id', required: false, kind: 'string' },
  { name: 'raw', required: true, kind: 'string' },
] as const;

export type ParquetColumnName = (typeof PARQUET_COLUMNS)[number]['name'];
export type ParquetRow = Record<ParquetColumnName, string | number | null>;

/** The Parquet schema: a root and one leaf per column. */
export function parquetSchema(): Record<string, unknown>[] {
  return [
    { name: 'root', num_children: PARQUET_COLUMNS.length },
    ...PARQUET_COLUMNS.map((c) => ({
      name: c.name,
      repetition_type: c.required ? 'REQUIRED' : 'OPTIONAL',
      ...(c.kind === 'timestamp'
        ? { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } }
        : { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }),
    })),
  ];
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The tenant an event names, when it does (`tenant_id`, or `tenant.id`). */
function tenantId(e: ParsedEvent): string | null {
  const event = e.event as Record<string, unknown>;
  return asString(event['tenant_id']) ?? asString(asRecord(event['tenant'])?.['id']);
}

/** The milliseconds of the event's time, or null for an unreadable event without a usable one. */
export function eventMillis(e: ParsedEvent): number | null {
  if (e.unreadable !== undefined && !timeOnWire(e.raw)) return null;
  const ms = Math.round(e.event.effective_at * 1000);
  return Number.isSafeInteger(ms) ? ms : null;
}

export function parquetRow(e: ParsedEvent): ParquetRow {
  const actor = describeActor(e.event);
  const project = projectOf(e.event);
  return {
    id: e.event.id,
    type: e.event.type,
    effective_at: eventMillis(e),
    actor_type: actor.actorType ?? null,
    actor_id: actor.actorId ?? null,
    actor_email: actor.email ?? null,
    actor_ip: actor.ipAddress ?? null,
    actor_country: asString(ipAddressDetails(e)?.['country']),
    user_agent: actor.userAgent ?? null,
    api_key_id: actor.apiKeyId ?? null,
    project_id: project?.id ?? null,
    project_name: project?.name ?? null,
    resource_id: resourceId(e.event) ?? null,
    tenant_id: tenantId(e),
    raw: e.raw,
  };
}
