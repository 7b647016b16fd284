/**
 * The one protocol of the Insights webview, shared by the host (insightsPanel.ts) and the page
 * (webview-ui/insights/main.ts, which imports types only, so zod stays out of the page's bundle).
 *
 * Every message has a zod schema both ways: the host `safeParse`s what the page sends and acts only on this
 * allowlist (a facet value must be one it sent); the page checks the shape of what it renders. The page gets
 * buckets and top-N lists computed in the host, never the events, and never anything of the Admin key.
 */
import { z } from 'zod';

export const INSIGHTS_VIEW_TYPE = 'openaiAuditLogs.insights';

const MAX_TEXT = 2_048;
const seconds = z.number().int().min(0).max(1e11);
const text = z.string().max(MAX_TEXT);

export const FACET_KEY_SCHEMA = z.enum(['actor', 'ip', 'country', 'project', 'type', 'userAgent']);

// ---- page → host: the allowlist ---------------------------------------------

export const PageMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  /** Narrow the Events view's time filter to `[start, end)` (a brush, or the keyboard's selection). */
  z.strictObject({ type: z.literal('brush'), start: seconds, end: seconds }),
  /** Drop the time filter (back to everything archived). */
  z.strictObject({ type: z.literal('clearTime') }),
  /** A legend click: filter to every type of this family. */
  z.strictObject({ type: z.literal('filterFamily'), family: text }),
  z.strictObject({ type: z.literal('filterFacet'), facet: FACET_KEY_SCHEMA, value: text, exclude: z.boolean() }),
  /** Drop the group scope the panel was opened with. */
  z.strictObject({ type: z.literal('clearScope') }),
  z.strictObject({ type: z.literal('stateAsOf'), resourceId: z.string().min(1).max(512), time: seconds, compareTime: seconds.optional() }),
]);
export type PageMessage = z.infer<typeof PageMessageSchema>;

export function parsePageMessage(data: unknown): PageMessage | undefined {
  const r = PageMessageSchema.safeParse(data);
  return r.success ? r.data : undefined;
}

// ---- host → page ------------------------------------------------------------

const BucketSchema = z.object({ start: seconds, end: seconds, count: z.number().int().min(0), byFamily: z.record(z.string(), z.number()) });
const FacetValueSchema = z.object({
  value: text,
  label: text,
  count: z.number().int().min(0),
  /** Whether a click filters (and whether Alt excludes) for this value. */
  canFilter: z.boolean(),
  canExclude: z.boolean(),
});

export const SnapshotSchema = z.object({
  /** Inclusive range of the timeline; null with nothing to show. */
  from: seconds.nullable(),
  to: seconds.nullable(),
  unit: z.enum(['minute', 'hour', 'day', 'week']),
  step: z.number().int().positive(),
  zone: text,
  total: z.number().int().min(0),
  families: z.array(text),
  buckets: z.array(BucketSchema),
  facets: z.record(FACET_KEY_SCHEMA, z.array(FacetValueSchema)),
  generation: z.number().int(),
  /** What the numbers are over: the filters' description, and the group scope if any. */
  filtersText: text,
  scopeText: text.optional(),
  hasTimeFilter: z.boolean(),
  /** Facets whose values filter on a click; the others say so in the page. */
  filterNote: text.optional(),
  /** Facets still being counted (they follow in their own message). */
  pending: z.array(FACET_KEY_SCHEMA).optional(),
  elapsedMs: z.number().min(0),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const ResourceSchema = z.object({ id: text, kind: text, name: text.nullable(), events: z.number().int().min(0), newest: seconds });

const FieldSchema = z.object({ value: z.unknown(), eventId: z.string().nullable(), known: z.boolean() });
export const StateViewSchema = z.object({
  time: seconds,
  status: z.enum(['exists', 'deleted', 'notCreated', 'noHistory']),
  createdBy: z.string().nullable(),
  deletedBy: z.string().nullable(),
  fields: z.record(z.string(), FieldSchema),
});
export type StateView = z.infer<typeof StateViewSchema>;

export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: SnapshotSchema }),
  /** A facet counted after the snapshot (the user agents), for the snapshot of the same `generation`. */
  z.object({ type: z.literal('facet'), generation: z.number().int(), facet: FACET_KEY_SCHEMA, values: z.array(FacetValueSchema) }),
  z.object({ type: z.literal('resources'), resources: z.array(ResourceSchema) }),
  z.object({ type: z.literal('state'), resourceId: text, before: StateViewSchema, after: StateViewSchema.optional() }),
  z.object({ type: z.literal('failed'), message: text }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// ---- the page's own words -----------------------------------------------------

export const INSIGHTS_STRING_KEYS = [
  'loading', 'timeline', 'timelineHelp', 'events', 'eventsIn', 'noEvents', 'clearTime', 'clearScope', 'scope', 'over',
  'bucketTable', 'colStart', 'colEnd', 'colCount', 'colFamilies', 'legendHelp', 'facets', 'facetActor', 'facetIp',
  'facetCountry', 'facetProject', 'facetType', 'facetUserAgent', 'facetHelp', 'noValues', 'stateHeading', 'resource',
  'moment', 'compareWith', 'show', 'field', 'value', 'setBy', 'before', 'after', 'unknownBefore', 'statusDeleted',
  'statusNotCreated', 'statusNoHistory', 'changed', 'computedIn', 'pickResource', 'selection', 'notFilterable',
] as const;
export type InsightsStringKey = (typeof INSIGHTS_STRING_KEYS)[number];
export type InsightsStrings = Readonly<Record<InsightsStringKey, string>>;

export const InsightsStringsSchema = z.strictObject(
  Object.fromEntries(INSIGHTS_STRING_KEYS.map((k) => [k, z.string().max(2000)])) as Record<InsightsStringKey, z.ZodString>,
);

export function encodeStrings(strings: InsightsStrings): string {
  return JSON.stringify(InsightsStringsSchema.parse(strings)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
