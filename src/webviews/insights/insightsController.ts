import * as vscode from 'vscode';
import { Disposable } from '../../common/lifecycle';
import type { ExtensionSettings } from '../../config/settings';
import { describeFilters } from '../../core/analysis/filters';
import { archiveFilterNames } from '../../core/analysis/filterNames';
import {
  ArchiveInsights,
  canExclude,
  canFilter,
  filtersForFacet,
  filtersForFamily,
  filtersForRange,
  filtersHaveQuery,
  filtersWithoutTime,
  localZone,
  OTHER_FAMILIES,
  resolveScope,
  type FacetKey,
  type FacetValue,
  type InsightsSnapshot,
  type ScopeStep,
  type StateAsOfDetail,
} from '../../core/insights';
import type { ResolvedStep } from '../../core/archive/repository';
import { currentDirectoryNames, onDidChangeDirectoryNames, shownName } from '../../core/directory';
import type { EventStore, EventStoreChange } from '../../store/eventStore';
import { InsightsPanel } from './insightsPanel';
import { INSIGHTS_VIEW_TYPE, type PageMessage, type Snapshot, type StateView } from './protocol';

/** What `openaiAuditLogs.showInsights` resolves (times in Unix seconds). */
export interface ShowInsightsResult {
  readonly buckets: Array<{ start: number; end: number; count: number }>;
  readonly facets: Record<'actor' | 'ip' | 'country' | 'project' | 'type', Array<{ value: string; count: number }>>;
}

/** What `openaiAuditLogs.stateAsOf` resolves. */
export interface StateAsOfResult {
  readonly state: object | null;
  readonly fields: Record<string, { value: unknown; eventId: string | null; known: boolean }>;
}

/** A group of the Events view, as the context menu passes it (duck-typed: src/views is another UI folder). */
interface GroupArgument {
  readonly path: readonly ScopeStep[];
  readonly group: { readonly label: string };
}

const CONTRACT_FACETS = ['actor', 'ip', 'country', 'project', 'type'] as const;
/** The longest text the page protocol carries (protocol.ts allows 2,048). */
const MAX_PAGE_TEXT = 2_000;
const UPDATE_ON: ReadonlySet<EventStoreChange> = new Set(['events', 'filters', 'archive', 'source', 'newEvents']);
/** A sync fires `events` for every window it commits: the panel recounts at most this often. */
const UPDATE_DELAY_MS = 400;

/**
 * The Insights panel's owner: one panel at a time; counts in the host over the store's archive with the
 * store's filters (and the group scope it was opened on); acts on the page's validated requests by setting
 * the store's filters, so the Events view follows.
 */
export class InsightsController extends Disposable implements vscode.WebviewPanelSerializer {
  private panel: InsightsPanel | undefined;
  private insights: ArchiveInsights | undefined;
  private scope: { readonly steps: readonly ScopeStep[]; readonly label: string } | undefined;
  /** The facet values and families last sent: the only ones the page may ask to filter by. */
  private sent = { facets: new Map<FacetKey, Map<string, FacetValue>>(), families: new Set<string>() };
  private timer: NodeJS.Timeout | undefined;
  private lastElapsedMs = 0;
  /** Bumps with every count sent, so a late facet of an older count is dropped. */
  private generation = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: EventStore,
    private readonly settings: ExtensionSettings,
  ) {
    super();
    this._register(store.onDidChange((change) => UPDATE_ON.has(change) && this.scheduleUpdate()));
    // Actor facets name ids from the directory: a refresh of it renames them.
    this._register(onDidChangeDirectoryNames(() => this.scheduleUpdate()));
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  /** Opens (or reveals) the panel, optionally scoped to a tree group, and resolves its numbers. */
  async show(arg?: unknown): Promise<ShowInsightsResult> {
    const group = groupArgument(arg);
    if (group) this.scope = { steps: group.path, label: group.group.label };
    else if (arg === undefined) this.scope = undefined;
    const panel = this.ensurePanel();
    panel.reveal();
    await this.store.ready();
    const snapshot = this.update();
    this.postResources();
    return contractOf(snapshot);
  }

  async stateAsOf(arg: unknown): Promise<StateAsOfResult> {
    const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { resourceId?: unknown; time?: unknown };
    if (typeof a.resourceId !== 'string' || a.resourceId === '' || typeof a.time !== 'number' || !Number.isFinite(a.time)) {
      throw new Error(vscode.l10n.t('stateAsOf needs {0}.', '{ resourceId: string, time: number }'));
    }
    await this.store.ready();
    const detail = this.resourceState(a.resourceId, a.time);
    if (this.panel && detail) this.panel.post({ type: 'state', resourceId: a.resourceId, before: stateView(detail, a.time) });
    return detail ? { state: detail.state, fields: { ...detail.fields } } : { state: null, fields: {} };
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel): Promise<void> {
    this.attach(webviewPanel);
    await this.store.ready();
    this.update();
    this.postResources();
  }

  private ensurePanel(): InsightsPanel {
    if (this.panel) return this.panel;
    const webviewPanel = vscode.window.createWebviewPanel(INSIGHTS_VIEW_TYPE, vscode.l10n.t('Insights'), vscode.ViewColumn.Active, {
      enableScripts: true,
    });
    return this.attach(webviewPanel);
  }

  private attach(webviewPanel: vscode.WebviewPanel): InsightsPanel {
    this.panel?.dispose();
    const panel = new InsightsPanel(webviewPanel, this.extensionUri, (m) => void this.onAction(m));
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.onDidBecomeVisible(() => this.scheduleUpdate());
    this.panel = panel;
    return panel;
  }

  /** The snapshot last posted to the open page (the integration tests read what the page was given). */
  lastPageSnapshot(): Snapshot | undefined {
    const m = this.panel?.lastPosted.get('snapshot');
    return m?.type === 'snapshot' ? m.snapshot : undefined;
  }

  private scheduleUpdate(): void {
    if (!this.panel || this.timer) return;
    // A count that took long (a huge archive under load) waits longer, so a running sync keeps the host responsive.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, Math.max(UPDATE_DELAY_MS, 3 * this.lastElapsedMs));
  }

  private zone(): string {
    return this.settings.timeDisplay === 'utc' ? 'UTC' : localZone();
  }

  private insightsOf(): ArchiveInsights | undefined {
    const archive = this.store.archive;
    if (!archive) return undefined;
    if (this.insights?.archive !== archive) {
      this.insights = new ArchiveInsights(archive);
      this.buildRollups(this.insights);
    }
    return this.insights;
  }

  /**
   * An archive from before the rollups (schema v6) is counted into them once, a few thousand events per step with
   * the host free between steps, shown in the status bar; the panel's numbers are exact meanwhile (the part not
   * counted yet is read per event), and faster once it is done.
   */
  private buildRollups(insights: ArchiveInsights): void {
    if (insights.rollupsBuilt()) return;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Insights: counting the archive') }, async (progress) => {
      let reported = 0;
      try {
        await insights.buildRollups((fraction) => {
          const percent = Math.floor(fraction * 100);
          if (percent > reported) progress.report({ increment: percent - reported, message: `${percent}%` });
          reported = Math.max(reported, percent);
        });
        if (this.insights === insights) this.scheduleUpdate();
      } catch {
        // The archive closed or changed under it: the next archive's insights start again where this stopped.
      }
    });
  }

  /** Counts again and sends the result to the page. */
  private update(): InsightsSnapshot | undefined {
    const insights = this.insightsOf();
    if (!insights) return undefined;
    const zone = this.zone();
    const path = this.scope ? resolveScope(this.scope.steps, zone) ?? [] : [];
    const started = performance.now();
    let snapshot: InsightsSnapshot;
    try {
      snapshot = this.snapshotOf(insights, zone, path);
    } catch (e) {
      this.panel?.post({ type: 'failed', message: (e instanceof Error ? e.message : String(e)).slice(0, MAX_PAGE_TEXT) });
      return undefined;
    }
    this.lastElapsedMs = performance.now() - started;
    const generation = ++this.generation;
    this.panel?.post({ type: 'snapshot', snapshot: this.pageSnapshot(snapshot, zone, this.lastElapsedMs, generation) });
    return snapshot;
  }

  /** Without `waitForFacets`, the user agents (the slowest facet) follow the snapshot in their own message. */
  private snapshotOf(insights: ArchiveInsights, zone: string, path: readonly ResolvedStep[]): InsightsSnapshot {
    const query = this.store.query();
    const snapshot = insights.snapshot(query, { zone, now: Date.now() / 1000, path, userAgent: false });
    const generation = this.generation + 1;
    setTimeout(() => {
      if (generation !== this.generation || !this.panel) return; // counted again meanwhile
      try {
        const values = insights.userAgents(query, { path });
        this.sent.facets.set('userAgent', new Map(values.map((v) => [v.value, v])));
        this.panel.post({ type: 'facet', generation, facet: 'userAgent', values: this.pageValues(values, filtersHaveQuery()) });
      } catch {
        // the archive closed or changed under it: the next count sends them again
      }
    }, 0);
    return snapshot;
  }

  private pageValues(values: readonly FacetValue[], withQuery: boolean, key?: FacetKey): Snapshot['facets'][FacetKey] {
    // API strings of any length: a value too long for the page's protocol is shown cut and cannot filter.
    return values.map((v) => {
      const fits = v.value.length <= MAX_PAGE_TEXT;
      return {
        value: fits ? v.value : v.value.slice(0, MAX_PAGE_TEXT),
        label: (key === 'actor' ? actorLabel(v) : v.label).slice(0, MAX_PAGE_TEXT),
        count: v.count,
        canFilter: fits && canFilter(v, withQuery),
        canExclude: fits && canExclude(v, withQuery),
      };
    });
  }

  private pageSnapshot(s: InsightsSnapshot, zone: string, elapsedMs: number, generation: number): Snapshot {
    const withQuery = filtersHaveQuery();
    this.sent = { facets: new Map(), families: new Set(s.timeline.families) };
    const facets = {} as Snapshot['facets'];
    for (const [key, values] of Object.entries(s.facets) as [FacetKey, readonly FacetValue[]][]) {
      this.sent.facets.set(key, new Map(values.map((v) => [v.value, v])));
      facets[key] = this.pageValues(values, withQuery, key);
    }
    const filters = this.store.filters;
    const t = s.timeline;
    return {
      from: t.from,
      to: t.to,
      unit: t.unit,
      step: t.step,
      zone,
      total: t.total,
      families: t.families.map((f) => f.slice(0, MAX_PAGE_TEXT)),
      buckets: t.buckets.map((b) => ({ start: b.start, end: b.end, count: b.count, byFamily: { ...b.byFamily } })),
      facets,
      filtersText: describeFilters(filters, archiveFilterNames(this.store.archive)) || vscode.l10n.t('none'),
      ...(this.scope ? { scopeText: this.scope.label } : {}),
      hasTimeFilter: filters.time !== undefined,
      ...(withQuery
        ? {}
        : { filterNote: vscode.l10n.t('IP, country and user agent show counts only, and Alt+click cannot exclude: both need the search query, which this build does not have.') }),
      pending: ['userAgent'],
      generation,
      elapsedMs: Math.round(elapsedMs * 10) / 10,
    };
  }

  private postResources(): void {
    const insights = this.insightsOf();
    if (!insights || !this.panel) return;
    const resources = insights
      .resources()
      .filter((r) => r.id.length <= 512)
      .map((r) => ({ ...r, kind: r.kind.slice(0, MAX_PAGE_TEXT), name: r.name === null ? null : r.name.slice(0, MAX_PAGE_TEXT) }));
    this.panel.post({ type: 'resources', resources });
  }

  private resourceState(resourceId: string, time: number): StateAsOfDetail | undefined {
    return this.insightsOf()?.stateAsOf(resourceId, Math.floor(time));
  }

  private async onAction(message: Exclude<PageMessage, { type: 'ready' }>): Promise<void> {
    const filters = this.store.filters;
    switch (message.type) {
      case 'brush':
        if (message.end > message.start) await this.store.setFilters(filtersForRange(filters, message.start, message.end));
        return;
      case 'clearTime':
        await this.store.setFilters(filtersWithoutTime(filters));
        return;
      case 'filterFamily': {
        const insights = this.insightsOf();
        // "(other)" stands for many families: no single filter.
        if (!insights || !this.sent.families.has(message.family) || message.family === OTHER_FAMILIES) return;
        await this.store.setFilters(filtersForFamily(filters, insights.familyTypes(message.family)));
        return;
      }
      case 'filterFacet': {
        const value = this.sent.facets.get(message.facet)?.get(message.value);
        const next = value ? filtersForFacet(filters, message.facet, value, message.exclude) : undefined;
        if (next) await this.store.setFilters(next);
        return;
      }
      case 'clearScope':
        this.scope = undefined;
        this.update();
        return;
      case 'stateAsOf': {
        const before = this.resourceState(message.resourceId, message.time);
        if (!before) return;
        const after = message.compareTime !== undefined ? this.resourceState(message.resourceId, message.compareTime) : undefined;
        this.panel?.post({
          type: 'state',
          resourceId: message.resourceId,
          before: stateView(before, message.time),
          ...(after && message.compareTime !== undefined ? { after: stateView(after, message.compareTime) } : {}),
        });
        return;
      }
    }
  }
}

function groupArgument(arg: unknown): GroupArgument | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { path?: unknown; group?: { label?: unknown } };
  if (!Array.isArray(a.path) || typeof a.group?.label !== 'string') return undefined;
  const kinds = new Set(['type', 'project', 'actor', 'day']);
  const steps = a.path.filter((s): s is ScopeStep => typeof s === 'object' && s !== null && kinds.has((s as ScopeStep).kind) && typeof (s as ScopeStep).key === 'string');
  return steps.length === a.path.length ? { path: steps, group: { label: a.group.label } } : undefined;
}

function contractOf(s: InsightsSnapshot | undefined): ShowInsightsResult {
  const facets = {} as ShowInsightsResult['facets'];
  for (const key of CONTRACT_FACETS) facets[key] = (s?.facets[key] ?? []).map((v) => ({ value: v.value, count: v.count }));
  return { buckets: (s?.timeline.buckets ?? []).map((b) => ({ start: b.start, end: b.end, count: b.count })), facets };
}

function stateView(d: StateAsOfDetail, time: number): StateView {
  return { time: Math.floor(time), status: d.status, createdBy: d.createdBy, deletedBy: d.deletedBy, fields: { ...d.fields } };
}

/**
 * An actor facet's label: the directory's name for an actor known only by its id (an API key, a service
 * account: issue 15), marked "now" as everywhere; the page shows it with the id beside it. Else the label.
 */
function actorLabel(v: FacetValue): string {
  if (v.value === '' || v.value.includes('@')) return v.label;
  const n = shownName(v.value, currentDirectoryNames());
  return n === undefined ? v.label : n.now ? vscode.l10n.t('{0} (now)', n.text) : n.text;
}
