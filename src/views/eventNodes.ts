import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Grouping } from '../core/analysis/grouping';
import type { ArchiveGroup, GroupStep } from '../core/archive';
import type { CoverageSummary } from '../core/archive/coverageSummary';
import { NO_PROJECT_KEY } from '../core/analysis/grouping';
import { hasChanges } from '../core/analysis/changes';
import { changeGist } from '../core/analysis/changeGist';
import { describeActor, projectOf, resourceId, summarizeEvent, type ParsedEvent } from '../core/model';
import type { TimeDisplay } from '../config/settings';
import { ContextValues, eventContextValue, eventFacets } from './contextValues';
import { familyIconId } from './familyIcons';
import { clip, endsLtr } from '../core/text/oneLine';
import { formatClock, formatLocal, formatRelative, formatTime, formatUtc, shortActorLabel } from './format';
import { currentDirectoryNames, joinEvent, shownName } from '../core/directory';

/** The details issue's command: opens the event in its panel (argument: event id). */
export const OPEN_EVENT_COMMAND = 'openaiAuditLogs.openEvent';

/** A node of the Events tree; `id` is stable across refreshes so expansion and selection survive. */
export abstract class TreeNode {
  abstract readonly id: string;
  constructor(readonly parent: TreeNode | undefined) {}
  abstract toTreeItem(): vscode.TreeItem;
}

export function familyIcon(type: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(familyIconId(type));
}

export class GroupNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: TreeNode | undefined,
    readonly group: ArchiveGroup,
    readonly grouping: Grouping,
  ) {
    super(parent);
    this.id = `${grouping}|${group.id}`;
  }

  /** The kinds and keys from the root to this group: what its events are queried by. */
  get path(): GroupStep[] {
    const above = this.parent instanceof GroupNode ? this.parent.path : [];
    return [...above, { kind: this.group.kind, key: this.group.key }];
  }

  toTreeItem(): vscode.TreeItem {
    const g = this.group;
    const item = new vscode.TreeItem(endsLtr(clip(g.label)), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const count = g.count;
    item.description = count === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', count.toLocaleString());
    switch (g.kind) {
      case 'type':
        item.iconPath = familyIcon(g.key);
        item.contextValue = ContextValues.groupType;
        break;
      case 'project':
        item.iconPath = new vscode.ThemeIcon(g.key === NO_PROJECT_KEY ? 'circle-slash' : 'project');
        item.contextValue = g.projectId ? ContextValues.groupProject : ContextValues.groupProjectless;
        // The count first: a narrow sidebar cuts the end of the line.
        if (g.projectId && g.label !== g.projectId) item.description = `${item.description} · ${clip(g.projectId, 40)}`;
        break;
      case 'actor': {
        item.iconPath = new vscode.ThemeIcon('person');
        item.contextValue = g.actorId || g.actorEmail ? ContextValues.groupActor : ContextValues.groupActorUnknown;
        // A narrow sidebar cuts the end of the line: a short label, so the count stays in sight.
        const { name, domain } = shortActorLabel(g.label === g.actorId ? named(g.actorId) : g.label);
        item.label = endsLtr(name);
        if (domain) item.description = `${item.description} · @${domain}`;
        const full = clip(g.label, 200);
        item.tooltip = [full, g.actorId && g.actorId !== g.label ? clip(g.actorId, 200) : undefined, item.description].filter(Boolean).join('\n');
        item.accessibilityInformation = { label: `${full}, ${String(item.description)}` };
        break;
      }
      case 'day':
        item.iconPath = new vscode.ThemeIcon('calendar');
        item.contextValue = ContextValues.groupDay;
        break;
    }
    return item;
  }
}

export class EventNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: TreeNode | undefined,
    readonly parsed: ParsedEvent,
    private readonly grouping: Grouping,
    private readonly timeDisplay: TimeDisplay,
  ) {
    super(parent);
    this.id = `${parent?.id ?? grouping}|event:${parsed.event.id}`;
  }

  get eventId(): string {
    return this.parsed.event.id;
  }

  /**
   * What changed, when and who at a glance in a narrow sidebar. Under a type
   * group the type is known, so the label is the event's gist ("role →
   * owner", "scopes: …"; the time when it has none); elsewhere the label is
   * the type and the description starts with the gist. The description adds
   * the rest (time, actor, resource), and the tooltip and the screen reader
   * the one-line summary. Summaries lead with long resource ids, which a
   * sidebar cuts off before the verb, so they are not the label.
   */
  toTreeItem(): vscode.TreeItem {
    if (this.parsed.unreadable !== undefined) return this.unreadableItem(this.parsed.unreadable);
    const e = this.parsed.event;
    const actor = describeActor(e);
    const resource = resourceId(e);
    const type = clip(String(e.type), 80);
    // Under a day group the date is known: the time of day is enough.
    const when = this.grouping === 'day' ? formatClock(e.effective_at, this.timeDisplay) : formatTime(e.effective_at, this.timeDisplay);
    const typeKnown = this.grouping === 'typeProject' || this.grouping === 'projectType';
    // What the event changed ("role → owner"), first: it is what tells the rows of a group apart.
    const gist = changeGist(e);
    const shownGist = gist === undefined ? undefined : endsLtr(gist);
    const item = new vscode.TreeItem(typeKnown ? (shownGist ?? when) : type, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const parts: string[] = [];
    if (!typeKnown && shownGist) parts.push(shownGist);
    if (!typeKnown || shownGist) parts.push(when);
    if (this.grouping !== 'actor') parts.push(endsLtr(clip(actor.label === actor.email ? actor.label : named(actor.label, e), 60)));
    if (resource) parts.push(endsLtr(clip(named(resource, e), 60)));
    item.description = parts.join(' · ');
    item.iconPath = familyIcon(e.type);
    item.contextValue = eventContextValue(eventFacets(e));
    item.accessibilityInformation = {
      label: vscode.l10n.t('{0}, {1}, by {2}', clip(summarizeEvent(e), 160), when, clip(actor.label, 60)),
    };
    item.command = { command: OPEN_EVENT_COMMAND, title: vscode.l10n.t('Open Event'), arguments: [e.id] };
    return item;
  }

  /**
   * An event the API sent without a string id or type or a usable time: a
   * warning row that says so. It opens and copies like any event (its exact
   * wire text), and its menu offers what its stand-in fields allow.
   */
  private unreadableItem(reason: string): vscode.TreeItem {
    const e = this.parsed.event;
    const item = new vscode.TreeItem(vscode.l10n.t('Unreadable event'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = clip(reason, 120);
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.contextValue = eventContextValue(eventFacets(e));
    item.accessibilityInformation = { label: vscode.l10n.t('Unreadable event: {0}', clip(reason, 160)) };
    item.command = { command: OPEN_EVENT_COMMAND, title: vscode.l10n.t('Open Event'), arguments: [e.id] };
    return item;
  }

  /** The rich tooltip, built only when hovered (resolveTreeItem). Every API value goes in as text, never markup. */
  tooltip(): vscode.MarkdownString {
    const e = this.parsed.event;
    if (this.parsed.unreadable !== undefined) {
      const md = new vscode.MarkdownString(undefined, true);
      md.isTrusted = false;
      md.supportHtml = false;
      md.appendMarkdown('$(warning) ');
      md.appendText(vscode.l10n.t('Unreadable event: {0}', clip(this.parsed.unreadable, 300)));
      md.appendMarkdown('\n\n');
      md.appendText(vscode.l10n.t('The API sent this event without what every event has (a string id and type, a time). It is kept exactly as sent: Copy Event JSON copies it.'));
      md.appendMarkdown('\n\n');
      md.appendText(`${vscode.l10n.t('Event id')}: ${clip(e.id, 200)}`);
      return md;
    }
    const actor = describeActor(e);
    const project = projectOf(e);
    const resource = resourceId(e);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.supportHtml = false;
    const line = (label: string, value: string | undefined, code = false): void => {
      if (value === undefined || value === '') return;
      md.appendMarkdown(`**${label}:** `);
      if (code) md.appendMarkdown('`' + clip(value, 200).replace(/`/g, "'") + '`');
      else md.appendText(clip(value, 200));
      md.appendMarkdown('  \n');
    };
    md.appendMarkdown(`$(${familyIcon(String(e.type)).id}) `);
    md.appendText(clip(e.type, 120));
    md.appendMarkdown('\n\n');
    md.appendText(clip(summarizeEvent(e), 300));
    md.appendMarkdown('\n\n---\n\n');
    line(vscode.l10n.t('UTC'), formatUtc(e.effective_at));
    line(vscode.l10n.t('Local'), formatLocal(e.effective_at));
    line(vscode.l10n.t('Relative'), formatRelative(e.effective_at));
    line('effective_at', String(e.effective_at), true);
    line(vscode.l10n.t('Actor'), actor.label);
    if (actor.apiKeyId && actor.apiKeyId !== actor.label) line(vscode.l10n.t('API key'), actor.apiKeyId, true);
    if (actor.serviceAccountId && actor.serviceAccountId !== actor.label) line(vscode.l10n.t('Service account'), actor.serviceAccountId, true);
    line(vscode.l10n.t('IP address'), actor.ipAddress);
    line(vscode.l10n.t('Location'), actor.location);
    line(vscode.l10n.t('Project'), project ? (project.name && project.id ? `${project.name} (${project.id})` : project.id ?? project.name) : vscode.l10n.t('No project'));
    line(vscode.l10n.t('Resource'), resource, true);
    line(vscode.l10n.t('Event id'), e.id, true);
    // The directory's names (issue 15): our label, the name as text, the id as code (verbatim, copyable).
    for (const n of joinEvent(e, currentDirectoryNames())) {
      md.appendMarkdown(`**${vscode.l10n.t('Name')}:** `);
      md.appendText(clip(n.now ? vscode.l10n.t('{0} (now)', n.name) : n.name, 200));
      md.appendMarkdown(' `' + clip(n.id, 200).replace(/`/g, "'") + '`  \n');
    }
    if (hasChanges(e)) md.appendMarkdown(`\n_${vscode.l10n.t('Has changes: right-click → Show Changes.')}_`);
    return md;
  }
}

/**
 * The directory's name in place of an id in a short row ("ci-deployer (now)"), or the id when the directory
 * does not know it; "(now)" unless the event itself carries that name. The tooltip keeps the id.
 */
function named(id: string, e?: ParsedEvent['event']): string {
  const n = shownName(id, currentDirectoryNames(), e);
  return n === undefined ? id : n.now ? vscode.l10n.t('{0} (now)', n.text) : n.text;
}

/** Ends a huge group's page of children: shows the next chunk. */
export class ShowMoreNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: GroupNode,
    readonly shown: number,
    readonly total: number,
  ) {
    super(parent);
    this.id = `${parent.id}|showMore`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Show more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vscode.l10n.t('{0} of {1} shown', this.shown.toLocaleString(), this.total.toLocaleString());
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = ContextValues.showMore;
    item.command = { command: Commands.showMoreInGroup, title: vscode.l10n.t('Show More'), arguments: [this.parent?.id] };
    return item;
  }
}

/** Ends the list while the server has more: loads the next page. */
export class LoadMoreNode extends TreeNode {
  readonly id = 'loadMore';
  constructor(
    private readonly loading: boolean,
    private readonly loaded = 0,
  ) {
    super(undefined);
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.loading ? vscode.l10n.t('Loading…') : vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.loading ? 'loading~spin' : 'fold-down');
    item.description = vscode.l10n.t('{0} loaded', this.loaded.toLocaleString());
    item.tooltip = vscode.l10n.t('Fetch the next page of older events (Load All Events in Range in the title bar fetches every one)');
    item.contextValue = ContextValues.loadMore;
    if (!this.loading) item.command = { command: Commands.loadMore, title: vscode.l10n.t('Load More') };
    return item;
  }
}

export interface ErrorAction {
  readonly label: string;
  readonly icon: string;
  readonly command: vscode.Command;
}

/** A failed load, with what the user can do about it as children. */
export class ErrorNode extends TreeNode {
  readonly id = 'error';
  constructor(
    private readonly message: string,
    private readonly actions: readonly ErrorAction[],
  ) {
    super(undefined);
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Could not load events'), vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = clip(this.message, 120);
    item.tooltip = this.message;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.contextValue = ContextValues.error;
    return item;
  }
  children(): ActionNode[] {
    return this.actions.map((a, i) => new ActionNode(this, a, i));
  }
}

export class ActionNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: TreeNode,
    readonly action: ErrorAction,
    index: number,
  ) {
    super(parent);
    this.id = `${parent.id}|action:${index}`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.action.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.action.icon);
    item.command = this.action.command;
    item.contextValue = ContextValues.action;
    return item;
  }
}

/** A row above the events while filters are active: what they are, click to edit, inline button to clear. */
export class FiltersNode extends TreeNode {
  readonly id = 'filters';
  constructor(private readonly parts: readonly string[]) {
    super(undefined);
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Filtered'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = clip(this.parts.join(' · '), 200);
    item.tooltip = [vscode.l10n.t('Only events matching these filters are loaded:'), ...this.parts.map((p) => `• ${clip(p, 200)}`), '', vscode.l10n.t('Click to edit them.')].join('\n');
    item.iconPath = new vscode.ThemeIcon('filter-filled');
    item.contextValue = ContextValues.filters;
    item.command = { command: Commands.editFilters, title: vscode.l10n.t('Edit Filters') };
    return item;
  }
}

/** First row in sample mode, so nobody mistakes the data for their organization. */
export class SampleBannerNode extends TreeNode {
  readonly id = 'sampleBanner';
  constructor() {
    super(undefined);
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Sample organization'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vscode.l10n.t('made-up data');
    item.tooltip = vscode.l10n.t('These events come from a generated sample organization served on this machine. Use "Leave Sample Organization" or set an Admin API key to see your own.');
    item.iconPath = new vscode.ThemeIcon('beaker', new vscode.ThemeColor('charts.yellow'));
    item.contextValue = ContextValues.sampleBanner;
    return item;
  }
}

/**
 * The first row above the groups: how many events the counts below hold, and whether that is all of the
 * filters' range ("complete since …") or only what was loaded. Click: Sync Archive.
 */
export class CoverageNode extends TreeNode {
  readonly id = 'coverage';
  constructor(
    private readonly total: number,
    private readonly coverage: CoverageSummary,
    private readonly mode: 'file' | 'memory' | 'fallback',
    private readonly loading: boolean,
  ) {
    super(undefined);
  }
  toTreeItem(): vscode.TreeItem {
    const c = this.coverage;
    const count = this.total === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', this.total.toLocaleString());
    const label = c.complete ? vscode.l10n.t('{0} · complete', count) : vscode.l10n.t('{0} loaded · not complete', count);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const since = c.since !== null ? vscode.l10n.t('since {0}', formatUtc(c.since)) : undefined;
    const through = c.through !== null ? vscode.l10n.t('through {0}', formatUtc(Math.max(0, c.through - 1))) : undefined;
    const where = this.mode === 'file' ? vscode.l10n.t('archive') : this.mode === 'fallback' ? vscode.l10n.t('memory (archive unavailable)') : vscode.l10n.t('memory');
    item.description = [since, c.complete ? through : undefined, where].filter(Boolean).join(' · ');
    item.tooltip = [
      c.complete
        ? vscode.l10n.t('Every event of this range is archived: the counts are complete.')
        : vscode.l10n.t('Only the events loaded so far are counted: there may be more in this range. Sync Archive (or Load All) fetches all of them.'),
      since,
      through,
      vscode.l10n.t('Held in: {0}', where),
    ].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon(this.loading ? 'sync~spin' : c.complete ? 'database' : 'warning');
    item.contextValue = ContextValues.coverage;
    item.accessibilityInformation = { label: [label, item.description].join(', ') };
    if (!this.loading) item.command = { command: Commands.syncArchive, title: vscode.l10n.t('Sync Archive') };
    return item;
  }
}
