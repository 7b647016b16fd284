/**
 * The one protocol of the event details webview, shared by the host
 * (eventDetailsPanel.ts) and the page (webview-ui/eventDetails/main.ts).
 *
 * Every message has a zod schema. The host `safeParse`s every message the
 * page sends and acts only on the allowlist below; the page imports these
 * types only (`import type`), so zod is not bundled into the webview.
 * Nothing here ever carries the Admin key: the host sends event data only.
 */
import { z } from 'zod';

export const EVENT_DETAILS_VIEW_TYPE = 'openaiAuditLogs.eventDetails';

/** Longest event id the host accepts from the page (ids look like `audit_log-…`, ~40 chars). */
const MAX_ID_LENGTH = 512;

// ---- page → host: the allowlist ---------------------------------------------

const bare = <T extends string>(type: T) => z.strictObject({ type: z.literal(type) });

/** Longest header value a pivot may name (emails, ids and IPs are far shorter). */
const MAX_PIVOT_VALUE = 1024;
/** The header values that are actions (pivots.ts) and what can be done with them. */
export const PivotTargetSchema = z.enum(['actor', 'apiKey', 'ip', 'project', 'resource']);
export const PivotActionSchema = z.enum(['filter', 'copy', 'search']);
export type PivotTarget = z.infer<typeof PivotTargetSchema>;
export type PivotAction = z.infer<typeof PivotActionSchema>;
const PivotViewSchema = z.object({ target: PivotTargetSchema, value: z.string(), actions: z.array(PivotActionSchema) });

export const PageMessageSchema = z.discriminatedUnion('type', [
  bare('ready'),
  bare('copyJson'),
  bare('copyId'),
  bare('openJson'),
  bare('openDiff'),
  bare('showHistory'),
  bare('togglePin'),
  /** Open another event of this resource's history (only ids the host sent are honoured). */
  z.strictObject({ type: z.literal('openEvent'), eventId: z.string().min(1).max(MAX_ID_LENGTH) }),
  /** Filter to, copy or search for a header value (the host honours only values of the shown event). */
  z.strictObject({ type: z.literal('pivot'), action: PivotActionSchema, target: PivotTargetSchema, value: z.string().min(1).max(MAX_PIVOT_VALUE) }),
]);
export type PageMessage = z.infer<typeof PageMessageSchema>;

/**
 * What the page persists with `setState` for the serializer: the ids that
 * locate the event in the API (the API has no get-by-id), never event data.
 * The host sends it; the page stores it as is. Unknown keys are dropped.
 */
export const PanelStateSchema = z.object({
  eventId: z.string().min(1).max(MAX_ID_LENGTH),
  effectiveAt: z.number().int().nonnegative(),
  type: z.string().min(1).max(MAX_ID_LENGTH),
});
export type PanelState = z.infer<typeof PanelStateSchema>;

/** The ids that find an event again after a reload: nothing else is stored. */
export function panelStateOf(event: { readonly id: string; readonly effective_at: number; readonly type: string }): PanelState {
  return { eventId: event.id, effectiveAt: event.effective_at, type: event.type };
}

// ---- host → page ------------------------------------------------------------

export const ActorViewSchema = z.object({
  kind: z.string(),
  label: z.string(),
  email: z.string().optional(),
  userId: z.string().optional(),
  apiKeyId: z.string().optional(),
  serviceAccountId: z.string().optional(),
  ipAddress: z.string().optional(),
  userAgent: z.string().optional(),
  location: z.string().optional(),
});

export const EventViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  /** Unix seconds; the page formats it (local, UTC, relative) in the user's time zone. */
  effectiveAt: z.number(),
  knownType: z.boolean(),
  actor: ActorViewSchema,
  project: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  resourceId: z.string().optional(),
  /** The detail object under the key equal to the type (any JSON). */
  detail: z.unknown(),
  /** Top-level fields this build does not know (shown, not hidden). */
  extra: z.record(z.string(), z.unknown()),
  warnings: z.array(z.string()),
  /** Whether "Open in Diff Editor" and the diff section apply. */
  hasChanges: z.boolean(),
  /** The header values that are actions, with what the host offers for each (set by the controller). */
  pivots: z.array(PivotViewSchema).optional(),
  /** Names of the event's ids from the organization's directory (issue 15); `now`: the name at refresh time. */
  names: z.array(z.object({ id: z.string(), role: z.string(), name: z.string(), detail: z.string().optional(), now: z.boolean() })).optional(),
});
export type EventView = z.infer<typeof EventViewSchema>;
export type PivotView = z.infer<typeof PivotViewSchema>;

const BeforeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('known'), value: z.unknown(), source: z.string() }),
  z.object({ kind: z.literal('unset'), source: z.string() }),
  z.object({ kind: z.literal('unknown') }),
]);
const AfterSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('known'), value: z.unknown() }), z.object({ kind: z.literal('unknown') })]);

export const FieldDiffSchema = z.object({
  field: z.string(),
  before: BeforeSchema,
  after: AfterSchema,
  status: z.enum(['changed', 'unchanged', 'set', 'unknown-before']),
  elements: z.array(z.object({ value: z.unknown(), status: z.enum(['added', 'removed', 'kept']) })).optional(),
});

export const ChangesViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('loading') }),
  z.object({
    state: z.literal('ready'),
    fromCreation: z.boolean(),
    basedOn: z.array(z.string()),
    rows: z.array(FieldDiffSchema),
    /** Set when the earlier events could not be fetched and only loaded ones were used. */
    note: z.string().optional(),
  }),
  z.object({ state: z.literal('error'), message: z.string() }),
]);
export type ChangesView = z.infer<typeof ChangesViewSchema>;
export type FieldDiffView = z.infer<typeof FieldDiffSchema>;

export const HistoryViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('loading') }),
  z.object({
    state: z.literal('ready'),
    resourceId: z.string(),
    fromCreation: z.boolean(),
    truncated: z.boolean(),
    entries: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        effectiveAt: z.number(),
        actor: z.string(),
        role: z.string(),
        changedFields: z.array(z.string()),
        stateAfter: z.record(z.string(), z.unknown()),
        /** An update's changed fields, before → after (historySteps.ts); absent for creations and others. */
        changes: z.array(FieldDiffSchema).optional(),
        current: z.boolean(),
      }),
    ),
  }),
  z.object({ state: z.literal('error'), message: z.string() }),
]);
export type HistoryView = z.infer<typeof HistoryViewSchema>;

// ---- the page's own words ----------------------------------------------------

/**
 * Every text the page writes itself (labels, headings, messages), localized
 * by the host with `vscode.l10n.t` (pageStrings.ts) and handed to the page in
 * the HTML (`data-strings` on `#app`, see {@link encodePageStrings}) so it is
 * there before the first message. `{0}`, `{1}` are filled in by the page;
 * pairs ending in `One`/`Many` are the singular and plural of a count.
 */
export const PAGE_STRING_KEYS = [
  'loadingEvent', 'unpin', 'keepOpen', 'showAllChars', 'charOne', 'charMany', 'emptyList', 'noFields', 'itemOne', 'itemMany',
  'fieldOne', 'fieldMany', 'showMore', 'showAll', 'tooDeep', 'shownNotApplied', 'actorUserSession', 'actorUserApiKey',
  'actorServiceAccountApiKey', 'actorUnknown', 'actorNone', 'unknownType', 'keptOpen', 'preview', 'eventActions', 'copyJson',
  'copyJsonTitle', 'copyId', 'openJson', 'openJsonTitle', 'history', 'historyTitle', 'openDiff', 'openDiffTitle', 'pinTitle',
  'factTime', 'factActor', 'factUserAgent', 'factProject', 'factResource', 'factEvent', 'actorKey', 'actorServiceAccount', 'actorIp',
  'unsetBefore', 'unknownBefore', 'unchangedElementOne', 'unchangedElementMany', 'onlyTheseKnown', 'unknown', 'statusChanged',
  'statusUnchanged', 'statusSet', 'statusUnknownBefore', 'changesHeading', 'changesLoading', 'colField', 'colBefore', 'colAfter',
  'basisFromCreation', 'basisPartial', 'earlierEventOne', 'earlierEventMany', 'basisNone', 'historyLoading', 'historyFromCreation',
  'historyPartial', 'historyTruncated', 'eventOne', 'eventMany', 'thisEvent', 'openEventTitle', 'byActor', 'setFields',
  'noKnownFields', 'stateAfter', 'detailsHeading', 'noDetail', 'otherFields', 'fetchingAgain',
  'pivotFilter', 'pivotCopy', 'pivotSearch', 'pivotHintFilter', 'pivotHintCopy', 'pivotMenu', 'nounActor', 'nounApiKey', 'nounIp',
  'nounProject', 'nounResource', 'factNames', 'nameNow',
] as const;
export type PageStringKey = (typeof PAGE_STRING_KEYS)[number];
export type PageStrings = Readonly<Record<PageStringKey, string>>;

export const PageStringsSchema = z.strictObject(
  Object.fromEntries(PAGE_STRING_KEYS.map((k) => [k, z.string().max(2000)])) as Record<PageStringKey, z.ZodString>,
);

/** The strings as the value of an HTML attribute: JSON with `&`, `<`, `>`, `"` and `'` escaped. */
export function encodePageStrings(strings: PageStrings): string {
  const checked = PageStringsSchema.parse(strings);
  return JSON.stringify(checked).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const HostMessageSchema = z.discriminatedUnion('type', [
  /** `state` is what the page stores for a restore after a reload. */
  z.object({ type: z.literal('event'), event: EventViewSchema, pinned: z.boolean(), state: PanelStateSchema }),
  z.object({ type: z.literal('changes'), eventId: z.string(), changes: ChangesViewSchema }),
  z.object({ type: z.literal('history'), eventId: z.string(), history: HistoryViewSchema }),
  z.object({ type: z.literal('pinned'), pinned: z.boolean() }),
  /** What the header's values offer changed since the event was sent (the search command was registered). */
  z.object({ type: z.literal('pivots'), eventId: z.string(), pivots: z.array(PivotViewSchema) }),
  /** The event could not be shown (restored panel whose event is gone, fetch failed). */
  z.object({ type: z.literal('failed'), message: z.string(), state: PanelStateSchema.optional() }),
  z.object({ type: z.literal('loading'), state: PanelStateSchema }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** Parses a message from the page; undefined for anything off the allowlist. */
export function parsePageMessage(data: unknown): PageMessage | undefined {
  const result = PageMessageSchema.safeParse(data);
  return result.success ? result.data : undefined;
}

/** Parses persisted panel state; undefined when it is missing or malformed. */
export function parsePanelState(data: unknown): PanelState | undefined {
  const result = PanelStateSchema.safeParse(data);
  return result.success ? result.data : undefined;
}
