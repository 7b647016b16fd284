import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { ExtensionSettings } from '../config/settings';
import { Commands } from '../constants';
import { describeFilterParts, hasFilters } from '../core/analysis/filters';
import { archiveFilterNames } from '../core/analysis/filterNames';
import { NO_PROJECT_KEY, type Grouping } from '../core/analysis/grouping';
import type { AuditLogApiError } from '../core/api';
import type { ArchiveGroup } from '../core/archive';
import { toEventRow } from '../core/archive/eventRow';
import type { ParsedEvent } from '../core/model';
import type { EventStore } from '../store/eventStore';
import { dayFunction } from './format';
import {
  CoverageNode,
  ErrorNode,
  EventNode,
  FiltersNode,
  GroupNode,
  LoadMoreNode,
  SampleBannerNode,
  ShowMoreNode,
  TreeNode,
  type ErrorAction,
} from './eventNodes';

/** Children of one group are shown this many at a time, so a group of 50,000 events stays instant. */
export const GROUP_CHUNK = 500;

interface GroupingCache {
  readonly key: string;
  readonly groups: readonly ArchiveGroup[];
  /** Group id → the path of groups from the root down to it. */
  readonly pathOf: Map<string, ArchiveGroup[]>;
}

/**
 * Maps the store's archive queries onto tree nodes. Groups and counts are one SQL query per change of the
 * archive, the filters or the grouping (cached by the store's version); a group's children are a page
 * of the archive, `GROUP_CHUNK` at a time. No list of all events is ever held here.
 */
export class EventsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  private cache: GroupingCache | undefined;
  private readonly shown = new Map<string, number>();
  /** How long the last grouping query took, and when the tree was last told to refresh. */
  private lastGroupingMs = 0;
  private lastRefresh = 0;
  private pendingRefresh: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly settings: ExtensionSettings,
  ) {
    super();
    this._register(
      store.onDidChange((change) => {
        if (change === 'events' || change === 'status' || change === 'source' || change === 'filters' || change === 'archive') this.refresh();
      }),
    );
    this._register({ dispose: () => clearTimeout(this.pendingRefresh) });
    this._register(
      settings.onDidChange((keys) => {
        if (keys.has('groupBy') || keys.has('timeDisplay')) {
          this.shown.clear();
          this.refresh();
        }
      }),
    );
  }

  /**
   * Tells the view to ask again. While a sync commits every few hundred milliseconds, the tree is not
   * regrouped more often than four times what grouping last cost (a million events take a few hundred
   * milliseconds to group), so the host stays responsive; the last change is always shown.
   */
  refresh(): void {
    if (this.pendingRefresh) return;
    const wait = this.lastRefresh + Math.min(5_000, this.lastGroupingMs * 4) - Date.now();
    const fire = () => {
      this.pendingRefresh = undefined;
      this.lastRefresh = Date.now();
      this._onDidChangeTreeData.fire(undefined);
    };
    if (wait <= 0) fire();
    else this.pendingRefresh = setTimeout(fire, wait);
  }

  /** Events in the groups computed last (no query: may lag the archive by one refresh). */
  get lastTotal(): number {
    return this.cache?.groups.reduce((n, g) => n + g.count, 0) ?? 0;
  }

  get grouping(): Grouping {
    return this.settings.groupBy;
  }

  private get dayOf(): (seconds: number) => string {
    return dayFunction(this.settings.timeDisplay);
  }

  /** The current groups (for tests and reveal). */
  groups(): readonly ArchiveGroup[] {
    return this.current().groups;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node instanceof EventNode) item.tooltip = node.tooltip();
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.rootChildren();
    if (node instanceof GroupNode) return this.groupChildren(node);
    if (node instanceof ErrorNode) return node.children();
    return [];
  }

  /** Shows the next chunk of a huge group's events. */
  showMore(groupNodeId: string): void {
    const groupId = groupNodeId.slice(groupNodeId.indexOf('|') + 1);
    const path = this.current().pathOf.get(groupId);
    if (!path) return;
    this.shown.set(groupId, (this.shown.get(groupId) ?? GROUP_CHUNK) + GROUP_CHUNK);
    this._onDidChangeTreeData.fire(this.nodeFor(path));
  }

  /** The node of an event in the current grouping (for `TreeView.reveal`), widening its group's chunk if needed. */
  eventNode(eventId: string): EventNode | undefined {
    const parsed = this.store.getEvent(eventId);
    if (!parsed) return undefined;
    const path = this.current().pathOf.get(this.leafGroupId(parsed));
    if (!path) return undefined;
    const leaf = this.nodeFor(path)!;
    const query = this.store.query();
    const newer = this.store.archive?.count({ ...query, effectiveAt: { ...query.effectiveAt, gt: parsed.event.effective_at } }, { group: leaf.path, dayOf: this.dayOf }) ?? 0;
    const sameSecond = this.store.archive?.count({ ...query, effectiveAt: { gte: Math.floor(parsed.event.effective_at), lte: Math.floor(parsed.event.effective_at) } }, { group: leaf.path, dayOf: this.dayOf }) ?? 1;
    const needed = Math.ceil((newer + sameSecond) / GROUP_CHUNK) * GROUP_CHUNK;
    if (needed > (this.shown.get(leaf.group.id) ?? GROUP_CHUNK)) this.shown.set(leaf.group.id, needed);
    return new EventNode(leaf, parsed, this.grouping, this.settings.timeDisplay);
  }

  /** The id of the leaf group an event falls in, built from its indexed keys as the archive groups them. */
  private leafGroupId(parsed: ParsedEvent): string {
    const row = toEventRow(parsed);
    const type = `type:${row.type}`;
    const project = `project:${row.project?.key ?? NO_PROJECT_KEY}`;
    switch (this.grouping) {
      case 'typeProject':
        return `${type}/${project}`;
      case 'projectType':
        return `${project}/${type}`;
      case 'actor':
        return `actor:${row.actor.key}`;
      case 'day':
        return `day:${this.dayOf(parsed.event.effective_at)}`;
    }
  }

  private nodeFor(path: readonly ArchiveGroup[]): GroupNode | undefined {
    let parent: GroupNode | undefined;
    for (const g of path) parent = new GroupNode(parent, g, this.grouping);
    return parent;
  }

  private current(): GroupingCache {
    const grouping = this.grouping;
    const display = this.settings.timeDisplay;
    const key = `${this.store.version}|${grouping}|${display === 'utc' ? 'utc' : 'local'}`;
    if (this.cache?.key === key) return this.cache;
    const started = Date.now();
    const groups = this.store.groups(grouping, this.dayOf);
    this.lastGroupingMs = Date.now() - started;
    const pathOf = new Map<string, ArchiveGroup[]>();
    const walk = (list: readonly ArchiveGroup[], path: ArchiveGroup[]): void => {
      for (const g of list) {
        const here = [...path, g];
        pathOf.set(g.id, here);
        if (g.children) walk(g.children, here);
      }
    };
    walk(groups, []);
    this.cache = { key, groups, pathOf };
    return this.cache;
  }

  private rootChildren(): TreeNode[] {
    const store = this.store;
    // Without a key the welcome shows, and VS Code shows it only over an empty tree.
    if (store.source === 'none') return [];
    const nodes: TreeNode[] = [];
    if (store.source === 'sample') nodes.push(new SampleBannerNode());
    if (hasFilters(store.filters)) nodes.push(new FiltersNode(describeFilterParts(store.filters, archiveFilterNames(store.archive))));
    const groups = this.current().groups;
    const total = groups.reduce((n, g) => n + g.count, 0);
    if (total > 0) nodes.push(new CoverageNode(total, store.coverage(), store.archiveMode, store.status === 'loading'));
    for (const g of groups) nodes.push(new GroupNode(undefined, g, this.grouping));
    const error = store.status === 'error' ? store.error : undefined;
    if (error) nodes.push(new ErrorNode(error.message, errorActions(error, total > 0)));
    else if (store.hasMore) nodes.push(new LoadMoreNode(store.status === 'loading', total));
    return nodes;
  }

  private groupChildren(node: GroupNode): TreeNode[] {
    const g = node.group;
    if (g.children) return g.children.map((c) => new GroupNode(node, c, this.grouping));
    const limit = this.shown.get(g.id) ?? GROUP_CHUNK;
    const display = this.settings.timeDisplay;
    const events = this.store.page(node.path, 0, Math.min(limit, g.count), this.dayOf);
    const nodes: TreeNode[] = events.map((e) => new EventNode(node, e, this.grouping, display));
    if (events.length < g.count) nodes.push(new ShowMoreNode(node, events.length, g.count));
    return nodes;
  }
}

function isKeyProblem(error: Error): boolean {
  const kind = (error as Partial<AuditLogApiError>).kind;
  return kind === 'invalidKey' || kind === 'notAdminKey' || kind === 'missingKey';
}

/** What the user can do about an error, most useful first. */
export function errorActions(error: Error, partial: boolean): ErrorAction[] {
  const retry: ErrorAction = {
    label: partial ? vscode.l10n.t('Retry (keep what is loaded)') : vscode.l10n.t('Retry'),
    icon: 'refresh',
    command: { command: partial ? Commands.loadMore : Commands.refresh, title: vscode.l10n.t('Retry') },
  };
  const setKey: ErrorAction = { label: vscode.l10n.t('Set Admin API Key'), icon: 'key', command: { command: Commands.setApiKey, title: vscode.l10n.t('Set Admin API Key') } };
  const settings: ErrorAction = { label: vscode.l10n.t('Open Settings'), icon: 'gear', command: { command: Commands.openSettings, title: vscode.l10n.t('Open Settings') } };
  return isKeyProblem(error) ? [setKey, retry, settings] : [retry, setKey, settings];
}
