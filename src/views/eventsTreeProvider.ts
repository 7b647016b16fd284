import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { ExtensionSettings } from '../config/settings';
import { Commands } from '../constants';
import { describeFilterParts, hasFilters } from '../core/analysis/filters';
import { groupEvents, type EventGroup, type Grouping } from '../core/analysis/grouping';
import type { AuditLogApiError } from '../core/api';
import type { EventStore } from '../store/eventStore';
import { dayFunction } from './format';
import {
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
  readonly groups: readonly EventGroup[];
  /** Event id → the path of groups from the root to its leaf group. */
  readonly leafOf: Map<string, EventGroup[]>;
  readonly byId: Map<string, EventGroup>;
}

/**
 * Maps the store's events onto tree nodes. It keeps no data of its own except
 * a cache of the grouping (rebuilt when the store's version, the grouping or
 * the day boundaries change) and how many children each huge group shows.
 */
export class EventsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  private cache: GroupingCache | undefined;
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly settings: ExtensionSettings,
  ) {
    super();
    this._register(
      store.onDidChange((change) => {
        if (change === 'events' || change === 'status' || change === 'source' || change === 'filters') this.refresh();
      }),
    );
    this._register(
      settings.onDidChange((keys) => {
        if (keys.has('groupBy') || keys.has('timeDisplay')) {
          this.shown.clear();
          this.refresh();
        }
      }),
    );
  }

  refresh(): void {
    this._onDidChangeTreeData.fire(undefined);
  }

  get grouping(): Grouping {
    return this.settings.groupBy;
  }

  /** The current groups (for tests and reveal). */
  groups(): readonly EventGroup[] {
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
    const cache = this.current();
    const groupId = groupNodeId.slice(groupNodeId.indexOf('|') + 1);
    const group = cache.byId.get(groupId);
    if (!group) return;
    this.shown.set(group.id, (this.shown.get(group.id) ?? GROUP_CHUNK) + GROUP_CHUNK);
    this._onDidChangeTreeData.fire(this.groupNodeFor(cache.leafOf.get(group.events[0]?.event.id ?? '') ?? [], group));
  }

  /** The node of an event in the current grouping (for `TreeView.reveal`), widening its group's chunk if needed. */
  eventNode(eventId: string): EventNode | undefined {
    const cache = this.current();
    const path = cache.leafOf.get(eventId);
    const parsed = this.store.getEvent(eventId);
    if (!path || !parsed) return undefined;
    const leaf = path[path.length - 1]!;
    const index = leaf.events.indexOf(parsed);
    const limit = this.shown.get(leaf.id) ?? GROUP_CHUNK;
    if (index >= limit) this.shown.set(leaf.id, Math.ceil((index + 1) / GROUP_CHUNK) * GROUP_CHUNK);
    const parent = this.groupNodeFor(path, leaf);
    return new EventNode(parent, parsed, this.grouping, this.settings.timeDisplay);
  }

  private groupNodeFor(path: readonly EventGroup[], target: EventGroup): GroupNode | undefined {
    let parent: GroupNode | undefined;
    for (const g of path) {
      parent = new GroupNode(parent, g, this.grouping);
      if (g === target) return parent;
    }
    return target && !path.includes(target) ? new GroupNode(undefined, target, this.grouping) : parent;
  }

  private current(): GroupingCache {
    const grouping = this.grouping;
    const display = this.settings.timeDisplay;
    const key = `${this.store.version}|${grouping}|${display === 'utc' ? 'utc' : 'local'}`;
    if (this.cache?.key === key) return this.cache;
    const groups = groupEvents(this.store.events, grouping, { dayOf: dayFunction(display) });
    const leafOf = new Map<string, EventGroup[]>();
    const byId = new Map<string, EventGroup>();
    const walk = (list: readonly EventGroup[], path: EventGroup[]): void => {
      for (const g of list) {
        byId.set(g.id, g);
        const here = [...path, g];
        if (g.children) walk(g.children, here);
        else for (const e of g.events) leafOf.set(e.event.id, here);
      }
    };
    walk(groups, []);
    this.cache = { key, groups, leafOf, byId };
    return this.cache;
  }

  private rootChildren(): TreeNode[] {
    const store = this.store;
    if (store.source === 'none') return [];
    const nodes: TreeNode[] = [];
    if (store.source === 'sample') nodes.push(new SampleBannerNode());
    if (hasFilters(store.filters)) nodes.push(new FiltersNode(describeFilterParts(store.filters)));
    for (const g of this.current().groups) nodes.push(new GroupNode(undefined, g, this.grouping));
    const error = store.status === 'error' ? store.error : undefined;
    if (error) nodes.push(new ErrorNode(error.message, errorActions(error, store.events.length > 0)));
    else if (store.hasMore) nodes.push(new LoadMoreNode(store.status === 'loading', store.events.length));
    return nodes;
  }

  private groupChildren(node: GroupNode): TreeNode[] {
    const g = node.group;
    if (g.children) return g.children.map((c) => new GroupNode(node, c, this.grouping));
    const limit = this.shown.get(g.id) ?? GROUP_CHUNK;
    const display = this.settings.timeDisplay;
    const nodes: TreeNode[] = [];
    const end = Math.min(limit, g.events.length);
    for (let i = 0; i < end; i++) nodes.push(new EventNode(node, g.events[i]!, this.grouping, display));
    if (end < g.events.length) nodes.push(new ShowMoreNode(node, end, g.events.length));
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
