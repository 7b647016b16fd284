import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { GROUPINGS, type Grouping } from '../config/settings';
import { Commands, ContextKeys, EXTENSION_ID, ViewIds } from '../constants';
import { describeFilters, hasFilters, NO_FILTERS, withListValue, type ListFilterKey } from '../core/analysis/filters';
import { archiveFilterNames } from '../core/analysis/filterNames';
import { GroupNode, EventNode } from '../views/eventNodes';
import { EventsTreeProvider } from '../views/eventsTreeProvider';
import type { TreeNode } from '../views/eventNodes';
import { describeActor, prettyRawJson, projectOf, resourceId, type ParsedEvent } from '../core/model';
import type { ExtensionServices } from '../services';
import { errorText } from '../store/eventStore';
import { quickPickText as oneLine } from '../core/text/oneLine';
import { formatUtc } from '../views/format';
import { registerArchiveCommands } from './archiveCommands';
import { runLoadAll, type LoadAllNotice } from './loadAllCommand';
import { confirmKeyMatchesArchive } from './keyOverlap';
import { editFiltersInteractively } from './editFilters';
import { promptForAdminKey } from './setApiKey';

/** Set in the extension host by `npm start` / F5: open the sample organization when no key is stored. */
export const DEMO_ENV = 'OPENAI_AUDIT_LOGS_DEMO';

const GROUPING_LABELS: Record<Grouping, () => string> = {
  typeProject: () => vscode.l10n.t('Type, then project'),
  projectType: () => vscode.l10n.t('Project, then type'),
  actor: () => vscode.l10n.t('Actor'),
  day: () => vscode.l10n.t('Day'),
};

/** The Events view: tree, title, message, badge, context keys, auto refresh and every explorer command. */
export class Explorer extends Disposable {
  readonly provider: EventsTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  private autoRefresh: { readonly timer: ReturnType<typeof setInterval>; readonly seconds: number } | undefined;
  private demoChecked = false;
  private loadingProgress: { resolve: () => void } | undefined;
  private readonly contextState = new Map<string, unknown>();
  /** The Set Admin API Key input box while it is open (the integration tests drive it). */
  keyPrompt: vscode.InputBox | undefined;
  /** The Edit Filters step on screen, while one is (the integration tests drive it). */
  filterPrompt: vscode.QuickInput | undefined;
  /** What the last Load All said when it ended (the integration tests read it). */
  lastLoadAllNotice: LoadAllNotice | undefined;

  constructor(private readonly services: ExtensionServices) {
    super();
    const { store, settings } = services;
    this.provider = this._register(new EventsTreeProvider(store, settings));
    this.view = this._register(
      vscode.window.createTreeView(ViewIds.events, { treeDataProvider: this.provider, showCollapseAll: true }),
    );
    this._register(store.onDidChange(() => this.updateChrome()));
    this._register(services.organizations.onDidChangeCurrent(() => this.updateChrome()));
    this._register(services.organizations.onDidChange(() => this.updateChrome()));
    this._register(settings.onDidChange((keys) => {
      if (keys.has('autoRefreshSeconds')) this.scheduleAutoRefresh();
    }));
    this._register(
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) {
          store.clearNewEvents();
          void this.onViewShown();
        }
      }),
    );
    this._register({ dispose: () => this.stopAutoRefresh() });
    this.updateChrome();
    void store.ready().then(() => {
      if (this.view.visible) void this.onViewShown();
    });
  }

  /** First sight of the view: start loading (or open the sample organization in demo mode). */
  private async onViewShown(): Promise<void> {
    const { store } = this.services;
    await store.ready();
    if (!this.demoChecked) {
      this.demoChecked = true;
      if (store.source === 'none' && process.env[DEMO_ENV] === 'sample') {
        await store.openSample();
        return;
      }
    }
    await store.ensureLoaded();
  }

  /** Context keys, description, message and badge from the store's state. */
  updateChrome(): void {
    const { store } = this.services;
    this.setContext(ContextKeys.keySource, store.keySource);
    this.setContext(ContextKeys.sampleMode, store.isSample);
    this.setContext(ContextKeys.hasFilters, hasFilters(store.filters));
    this.setContext(ContextKeys.loading, store.status === 'loading');

    const filterText = describeFilters(store.filters, archiveFilterNames(store.archive));
    const organization = this.services.organizations.current;
    this.view.title = store.isSample ? vscode.l10n.t('Events') : vscode.l10n.t('Events · {0}', oneLine(organization.label, 60));
    // A narrow sidebar cuts the title: with several organizations the description names the current one first.
    const several = this.services.organizations.all.length > 1 && !store.isSample;
    this.view.description =
      [several ? oneLine(organization.label, 40) : undefined, store.isSample ? vscode.l10n.t('Sample') : undefined, filterText || undefined].filter(Boolean).join(' · ') || undefined;

    let message: string | undefined;
    const progress = store.loadAllProgress;
    const syncing = store.syncProgress;
    // While loading, what the tree showed last (no grouping query per commit); after, the current groups
    // (cached per archive version, shared with the tree).
    const shown = store.source === 'none' ? 0 : store.status === 'loading' ? this.provider.lastTotal : this.provider.groups().reduce((n, g) => n + g.count, 0);
    if (store.status === 'error' && store.error) {
      const newest = store.archive?.newestSecond();
      message =
        shown > 0 && newest != null
          ? vscode.l10n.t('⚠ {0} · Archived through {1} · offline: the archive is still browsable', store.error.message, formatUtc(newest))
          : vscode.l10n.t('⚠ {0}', store.error.message);
    } else if (progress) {
      message = vscode.l10n.t('Loading all events… {0} loaded', progress.loaded.toLocaleString());
    } else if (syncing) {
      message = vscode.l10n.t('Syncing the archive… {0} new, {1} archived', syncing.added.toLocaleString(), syncing.total.toLocaleString());
    } else if (store.status === 'loading' && shown === 0) {
      message = vscode.l10n.t('Loading events…');
    } else if (store.archiveProblem) {
      message = vscode.l10n.t('⚠ The archive is unavailable, so this window works from memory: {0}', store.archiveProblem);
    } else if (store.source !== 'none' && store.status === 'loaded' && shown === 0) {
      message = hasFilters(store.filters)
        ? vscode.l10n.t('No events match the filters ({0}).', filterText)
        : vscode.l10n.t('The audit log has no events.');
    } else if (store.isSample) {
      message = vscode.l10n.t('Sample organization: made-up data, not your organization.');
    }
    this.view.message = message;

    const n = store.newEvents;
    this.view.badge = n > 0 ? { value: n, tooltip: n === 1 ? vscode.l10n.t('1 new event since you last looked') : vscode.l10n.t('{0} new events since you last looked', n.toLocaleString()) } : undefined;

    // The view's own progress bar while anything loads.
    if (store.status === 'loading' && !this.loadingProgress) {
      void vscode.window.withProgress({ location: { viewId: ViewIds.events } }, () =>
        new Promise<void>((resolve) => {
          this.loadingProgress = { resolve };
        }),
      );
    } else if (store.status !== 'loading' && this.loadingProgress) {
      this.loadingProgress.resolve();
      this.loadingProgress = undefined;
    }
    this.scheduleAutoRefresh();
  }

  /** The value this window last gave a context key (VS Code offers no getter; the tests read this mirror). */
  contextValue(key: string): unknown {
    return this.contextState.get(key);
  }

  private setContext(key: string, value: unknown): void {
    if (this.contextState.has(key) && this.contextState.get(key) === value) return;
    this.contextState.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private scheduleAutoRefresh(): void {
    const seconds = this.services.settings.autoRefreshSeconds;
    const wanted = seconds > 0 && this.services.store.source !== 'none';
    if (!wanted) {
      this.stopAutoRefresh();
      return;
    }
    if (this.autoRefresh?.seconds === seconds) return;
    this.stopAutoRefresh();
    const timer = setInterval(() => {
      void this.services.store.pollNewer().then((added) => {
        if (added > 0) this.services.log.info(`Auto refresh: ${added} new event(s).`);
      });
    }, seconds * 1000);
    this.autoRefresh = { timer, seconds };
  }

  private stopAutoRefresh(): void {
    if (this.autoRefresh) clearInterval(this.autoRefresh.timer);
    this.autoRefresh = undefined;
  }

  /** Reveals and selects an event in the tree (used after "filter to" and by other features). */
  async reveal(eventId: string): Promise<void> {
    const node = this.provider.eventNode(eventId);
    if (node) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }
}

/** The event a command was invoked on: a tree node, an event id, or the selection. */
function eventArg(services: ExtensionServices, explorer: Explorer, arg: unknown): ParsedEvent | undefined {
  if (arg instanceof EventNode) return arg.parsed;
  if (typeof arg === 'string') return services.store.getEvent(arg);
  if (arg && typeof arg === 'object' && typeof (arg as { id?: unknown }).id === 'string') {
    return services.store.getEvent((arg as { id: string }).id);
  }
  const selected = explorer.view.selection[0];
  return selected instanceof EventNode ? selected.parsed : undefined;
}

async function checkKey(services: ExtensionServices): Promise<void> {
  const { store } = services;
  try {
    const client = await store.client();
    const page = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the Admin API key…') },
      () => client.listPage({ limit: 1 }),
    );
    const newest = page.data[0];
    void vscode.window.showInformationMessage(
      newest ? vscode.l10n.t('The Admin API key works: the audit log is readable.') : vscode.l10n.t('The Admin API key works; the audit log has no events yet.'),
    );
  } catch (e) {
    const setKey = vscode.l10n.t('Set Admin API Key');
    const openSettings = vscode.l10n.t('Open Settings');
    void vscode.window.showErrorMessage(vscode.l10n.t('The Admin API key was stored, but it does not work: {0}', errorText(e)), setKey, openSettings).then((choice) => {
      if (choice === setKey) void vscode.commands.executeCommand(Commands.setApiKey);
      else if (choice === openSettings) void vscode.commands.executeCommand(Commands.openSettings);
    });
  }
}

export function registerExplorer(context: vscode.ExtensionContext, services: ExtensionServices): Explorer {
  const { store, keyStore, settings } = services;
  const explorer = new Explorer(services);
  context.subscriptions.push(explorer);
  const register = (id: string, fn: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };

  register(Commands.setApiKey, async () => {
    const key = await promptForAdminKey((input) => (explorer.keyPrompt = input));
    if (key === undefined) return;
    if (!(await confirmKeyMatchesArchive(services, key))) return;
    await keyStore.set(key);
    if (store.isSample) await store.exitSample();
    await checkKey(services);
    await store.ensureLoaded();
  });

  register(Commands.clearApiKey, async () => {
    await keyStore.delete();
    await store.ready();
    const source = await keyStore.source();
    const deleteArchive = vscode.l10n.t('Delete Archive…');
    const hasArchive = store.archive !== undefined && !store.archive.isEmpty() && store.archiveMode === 'file';
    void vscode.window
      .showInformationMessage(
        source === 'environment'
          ? vscode.l10n.t('The stored Admin API key was forgotten. The OPENAI_ADMIN_KEY environment variable still provides one.')
          : hasArchive
            ? vscode.l10n.t('The Admin API key was forgotten. This organization\'s archive is still on this machine.')
            : vscode.l10n.t('The Admin API key was forgotten.'),
        ...(hasArchive ? [deleteArchive] : []),
      )
      .then((choice) => (choice === deleteArchive ? vscode.commands.executeCommand(Commands.deleteArchive) : undefined));
  });

  register(Commands.refresh, () => store.refresh());
  register(Commands.loadMore, () => store.loadMore());
  register(Commands.loadAll, () => runLoadAll(services, (notice) => (explorer.lastLoadAllNotice = notice)));

  register(Commands.editFilters, async () => {
    // Suggestions come from the archive's counts (all it holds, not the filtered result).
    const zone = settings.timeDisplay === 'utc' ? 'utc' : 'local';
    const next = await editFiltersInteractively(store.filters, { archive: store.archive, zone, track: (input) => (explorer.filterPrompt = input) });
    if (next) await store.setFilters(next);
  });
  register(Commands.clearFilters, () => store.setFilters(NO_FILTERS));

  register(Commands.changeGrouping, async (arg) => {
    let grouping: Grouping | undefined = typeof arg === 'string' && (GROUPINGS as readonly string[]).includes(arg) ? (arg as Grouping) : undefined;
    if (!grouping) {
      const current = settings.groupBy;
      const picked = await vscode.window.showQuickPick(
        GROUPINGS.map((g) => ({ label: GROUPING_LABELS[g](), description: g === current ? vscode.l10n.t('(current)') : undefined, grouping: g })),
        { title: vscode.l10n.t('Group Events By') },
      );
      grouping = picked?.grouping;
    }
    if (grouping) await settings.setGroupBy(grouping);
  });

  register(Commands.openSampleOrganization, () => store.openSample());
  register(Commands.exitSampleOrganization, () => store.exitSample());

  register(Commands.copyEventJson, async (arg) => {
    const e = eventArg(services, explorer, arg);
    if (!e) return;
    await vscode.env.clipboard.writeText(prettyRawJson(e.raw));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Event JSON copied'), 3000);
  });
  register(Commands.copyEventId, async (arg) => {
    const e = eventArg(services, explorer, arg);
    if (!e) return;
    await vscode.env.clipboard.writeText(e.event.id);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Event id copied'), 3000);
  });

  const filterTo = (key: ListFilterKey, value: string | undefined): Promise<void> | undefined =>
    value ? store.setFilters(withListValue(store.filters, key, value)) : undefined;
  register(Commands.filterToType, (arg) => {
    if (arg instanceof GroupNode) return filterTo('eventTypes', arg.group.kind === 'type' ? arg.group.key : undefined);
    return filterTo('eventTypes', eventArg(services, explorer, arg)?.event.type);
  });
  register(Commands.filterToProject, (arg) => {
    if (arg instanceof GroupNode) return filterTo('projectIds', arg.group.projectId);
    const e = eventArg(services, explorer, arg);
    return filterTo('projectIds', e ? projectOf(e.event)?.id : undefined);
  });
  register(Commands.filterToActor, (arg) => {
    if (arg instanceof GroupNode) {
      return arg.group.actorEmail ? filterTo('actorEmails', arg.group.actorEmail) : filterTo('actorIds', arg.group.actorId);
    }
    const e = eventArg(services, explorer, arg);
    if (!e) return;
    const actor = describeActor(e.event);
    return actor.email ? filterTo('actorEmails', actor.email) : filterTo('actorIds', actor.actorId);
  });
  register(Commands.filterToResource, (arg) => {
    const e = eventArg(services, explorer, arg);
    return filterTo('resourceIds', e ? resourceId(e.event) : undefined);
  });

  register(Commands.showMoreInGroup, (arg) => {
    if (typeof arg === 'string') explorer.provider.showMore(arg);
  });
  registerArchiveCommands(register, services);
  register(Commands.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`));

  return explorer;
}
