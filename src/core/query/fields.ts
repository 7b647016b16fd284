/**
 * The query language's field table: every field's name, what it matches
 * (shown by the search box's completions) and whether the API can filter by
 * it. Unknown single names get a "did you mean"; every dotted name that is
 * not here is a path inside the event's JSON.
 */

export type FieldName =
  | 'type'
  | 'actor'
  | 'actor.type'
  | 'project'
  | 'resource'
  | 'ip'
  | 'country'
  | 'ua'
  | 'key'
  | 'tenant'
  | 'id'
  | 'after'
  | 'before'
  | 'last';

export interface FieldSpec {
  readonly name: FieldName;
  readonly detail: string;
  readonly example: string;
}

export const FIELDS: readonly FieldSpec[] = [
  { name: 'type', detail: 'event type; type:api_key.* for a family', example: 'type:api_key.created' },
  { name: 'actor', detail: 'who acted: email, user, API key or service account id, or name', example: 'actor:ada@example.com' },
  { name: 'actor.type', detail: 'session or api_key', example: 'actor.type:api_key' },
  { name: 'project', detail: 'project id or name', example: 'project:"Atlas Core"' },
  { name: 'resource', detail: 'the resource id the event is about', example: 'resource:key_abc' },
  { name: 'ip', detail: "the actor's IP address (198.51.* for a prefix)", example: 'ip:198.51.100.23' },
  { name: 'country', detail: "the actor's country code, from the session's IP details", example: 'country:US' },
  { name: 'ua', detail: "text inside the actor's user agent", example: 'ua:Firefox' },
  { name: 'key', detail: 'an API key id: events by it or about it', example: 'key:key_abc' },
  { name: 'tenant', detail: 'tenant:true for tenant-scoped events, or a tenant id', example: 'tenant:true' },
  { name: 'id', detail: 'the event id', example: 'id:audit_log-…' },
  { name: 'after', detail: 'at or after a date, date-time (UTC) or Unix seconds', example: 'after:2026-11-01' },
  { name: 'before', detail: 'before a date, date-time (UTC) or Unix seconds', example: 'before:2026-11-15T12:00' },
  { name: 'last', detail: 'the last minutes, hours, days or weeks', example: 'last:7d' },
];

const BY_NAME = new Map<string, FieldSpec>(FIELDS.map((f) => [f.name, f]));

export function fieldSpec(name: string): FieldSpec | undefined {
  return BY_NAME.get(name);
}

/** A JSON path field: dotted identifiers (`actor.session.user.email`, `changes_requested.name`). */
export const JSON_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** The known field closest to `name` (edit distance at most 2, or a known field it starts), if any. */
export function didYouMean(name: string): FieldName | undefined {
  let best: FieldName | undefined;
  let bestDistance = 3;
  for (const f of FIELDS) {
    const d = distance(name, f.name);
    if (d < bestDistance) {
      best = f.name;
      bestDistance = d;
    }
  }
  return best ?? FIELDS.find((f) => name.startsWith(f.name) || f.name.startsWith(name))?.name;
}

/** Levenshtein distance with adjacent transpositions (short strings only). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
