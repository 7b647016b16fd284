import * as vscode from 'vscode';
import { Disposable } from '../../common/lifecycle';
import { Commands } from '../../constants';
import { diffChanges, hasChanges } from '../../core/analysis/changes';
import { resourceHistory } from '../../core/analysis/resourceHistory';
import { prettyRawJson, resourceId, type ParsedEvent } from '../../core/model';
import { changeSideUri, eventJsonUri, type AuditLogDocumentProvider } from '../../documents';
import { clip } from '../../core/text/oneLine';
import { EventDetailsPanel, PREVIEW_SUFFIX, type EventDetailsPanelHost } from './eventDetailsPanel';
import type { EventLocator, EventSource } from './eventSource';
import { changeDocumentTexts } from './changeDocuments';
import { errorText } from './errorText';
import { pickEvent } from './eventPicker';
import { withHistorySteps } from './historySteps';
import type { PivotRunner } from './pivotActions';
import { EVENT_DETAILS_VIEW_TYPE, parsePanelState, type ChangesView, type PageMessage, type PanelState } from './protocol';
import { computeChanges, historyView, toEventView } from './viewModel';

/** What the commands accept: an event id, a tree node (`eventId` or `event`), a parsed event, or a locator. */
export type EventArgument = string | { eventId?: unknown; event?: unknown; effectiveAt?: unknown; type?: unknown } | ParsedEvent | undefined;

function isParsedEvent(v: unknown): v is ParsedEvent {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as { event?: unknown; raw?: unknown };
  const e = p.event as { id?: unknown; type?: unknown; effective_at?: unknown } | undefined;
  return typeof p.raw === 'string' && typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.type === 'string' && typeof e.effective_at === 'number';
}

/**
 * Owns the event details panels (one preview, reused until pinned, plus the
 * pinned ones), restores them after a reload from stored ids, and carries out
 * what their pages ask for. Every action is one of the protocol's allowlist.
 */
export class EventDetailsController extends Disposable implements EventDetailsPanelHost, vscode.WebviewPanelSerializer<unknown> {
  private preview: EventDetailsPanel | undefined;
  private readonly panels = new Set<EventDetailsPanel>();
  /** Restored panels whose event is being fetched. */
  private readonly restoring = new Set<EventDetailsPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: EventSource,
    private readonly documents: AuditLogDocumentProvider,
    private readonly pivots: PivotRunner,
  ) {
    super();
    this._register({ dispose: () => [...this.panels].forEach((p) => p.panel.dispose()) });
  }

  /** The panel the user looks at (or last looked at). */
  get activePanel(): EventDetailsPanel | undefined {
    return [...this.panels].find((p) => p.panel.active) ?? this.preview;
  }

  // ---- resolving arguments -------------------------------------------------

  /** Turns a command argument into an event: loaded, given, or fetched again from a locator. */
  async resolve(arg: EventArgument): Promise<ParsedEvent | undefined> {
    if (arg === undefined) return this.activePanel?.event;
    if (typeof arg === 'string') return this.source.get(arg);
    if (isParsedEvent(arg)) return arg;
    if (typeof arg !== 'object' || arg === null) return undefined;
    if (isParsedEvent(arg.event)) return arg.event;
    if (typeof arg.eventId === 'string') {
      const known = this.source.get(arg.eventId);
      if (known) return known;
      if (typeof arg.effectiveAt === 'number' && typeof arg.type === 'string') {
        return this.source.refetch({ eventId: arg.eventId, effectiveAt: arg.effectiveAt, type: arg.type });
      }
    }
    return undefined;
  }

  // ---- commands ------------------------------------------------------------

  async openEvent(arg: EventArgument, options: { preserveFocus?: boolean; showHistory?: boolean } = {}): Promise<EventDetailsPanel | undefined> {
    const parsed = arg === undefined ? await pickEvent(this.source) : await this.resolve(arg);
    if (!parsed) {
      if (arg !== undefined) void vscode.window.showWarningMessage(vscode.l10n.t('That event is not loaded. Refresh the Events view and open it from there.'));
      return undefined;
    }
    return this.show(parsed, options);
  }

  async showResourceHistory(arg: EventArgument): Promise<EventDetailsPanel | undefined> {
    const parsed = await this.resolve(arg);
    if (!parsed) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open an event first: its resource history is shown in the event panel.'));
      return undefined;
    }
    return this.show(parsed, { showHistory: true });
  }

  async openEventJson(arg: EventArgument): Promise<vscode.TextEditor | undefined> {
    const parsed = await this.resolve(arg);
    if (!parsed) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open an event first, then open it as JSON.'));
      return undefined;
    }
    const uri = eventJsonUri(parsed.event.id);
    this.documents.set(uri, prettyRawJson(parsed.raw, 2));
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  /** VS Code's diff editor between the reconstructed before and the after of an update. */
  async showChanges(arg: EventArgument): Promise<void> {
    const parsed = await this.resolve(arg);
    if (!parsed) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open an update event first, then open its changes in the diff editor.'));
      return;
    }
    const e = parsed.event;
    if (!hasChanges(e)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} changes no fields, so there is nothing to compare.', clip(e.type, 80)));
      return;
    }
    const { earlier, failure } = await this.earlierEvents(parsed);
    const diff = diffChanges(e, earlier ?? []);
    if (!diff) return;
    // JSON with comments: a value before the retained history is a comment line, never a JSON string.
    const texts = changeDocumentTexts(diff, {
      unknown: vscode.l10n.t('unknown (before retained history)'),
      onlyTheseKnown: vscode.l10n.t('only these changes are known:'),
      header: vscode.l10n.t('Fields written as comments lie before the retained history: their value is not known, and nothing is guessed.'),
      ...(failure ? { note: vscode.l10n.t('The earlier events could not be fetched ({0}), so no before value is known.', failure) } : {}),
    });
    const before = changeSideUri(e.id, 'before');
    const after = changeSideUri(e.id, 'after');
    this.documents.set(before, texts.before);
    this.documents.set(after, texts.after);
    const rid = resourceId(e);
    const title = vscode.l10n.t('{0}: before ↔ after', `${clip(e.type, 60)}${rid ? ` ${clip(rid, 60)}` : ''}`);
    await vscode.commands.executeCommand('vscode.diff', before, after, title, { preview: true });
  }

  pinActivePanel(): void {
    const panel = this.activePanel;
    if (panel && !panel.pinned) this.setPinned(panel, true);
  }

  // ---- panels ----------------------------------------------------------------

  private async show(parsed: ParsedEvent, options: { preserveFocus?: boolean; showHistory?: boolean }): Promise<EventDetailsPanel> {
    const id = parsed.event.id;
    let panel = [...this.panels].find((p) => p.pinned && p.eventId === id);
    if (!panel) {
      panel = this.preview ?? this.createPanel(false);
      this.preview = panel;
    }
    panel.reveal(options.preserveFocus ?? false);
    if (panel.eventId !== id || !panel.event) this.present(panel, parsed);
    if (options.showHistory) void this.loadHistory(panel, parsed);
    return panel;
  }

  private createPanel(pinned: boolean): EventDetailsPanel {
    const webviewPanel = vscode.window.createWebviewPanel(
      EVENT_DETAILS_VIEW_TYPE,
      vscode.l10n.t('Audit log event'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      // options are set by the panel itself (scripts, local roots)
      {},
    );
    return this.adopt(webviewPanel, pinned);
  }

  private adopt(webviewPanel: vscode.WebviewPanel, pinned: boolean): EventDetailsPanel {
    webviewPanel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity-bar.svg');
    const panel = new EventDetailsPanel(webviewPanel, this.extensionUri, this, pinned);
    this.panels.add(panel);
    return panel;
  }

  private present(panel: EventDetailsPanel, parsed: ParsedEvent): void {
    // The header's values that are actions, with what this host offers for each (search once registered).
    panel.showEvent(parsed, { ...toEventView(parsed), pivots: this.pivots.viewsNow(parsed) });
    void this.pivots.changedViews(parsed).then((pivots) => pivots && panel.postFor(parsed.event.id, { type: 'pivots', eventId: parsed.event.id, pivots }));
    void this.loadChanges(panel, parsed);
  }

  private async earlierEvents(parsed: ParsedEvent): Promise<{ earlier?: ParsedEvent['event'][]; failure?: string }> {
    const e = parsed.event;
    const rid = resourceId(e);
    if (!rid) return { earlier: [] };
    try {
      // Up to and including its second, in the API's order: diffChanges keeps
      // only what precedes the event, same-second predecessors included.
      const fetched = await this.source.resourceEvents(rid, { upTo: e.effective_at });
      return { earlier: fetched.events.map((p) => p.event) };
    } catch (err) {
      return { failure: errorText(err) };
    }
  }

  private async loadChanges(panel: EventDetailsPanel, parsed: ParsedEvent): Promise<void> {
    const e = parsed.event;
    if (!hasChanges(e)) {
      panel.postFor(e.id, { type: 'changes', eventId: e.id, changes: { state: 'none' } });
      return;
    }
    panel.postFor(e.id, { type: 'changes', eventId: e.id, changes: { state: 'loading' } });
    const { earlier, failure } = await this.earlierEvents(parsed);
    let changes: ChangesView;
    try {
      const note =
        failure !== undefined || earlier === undefined
          ? vscode.l10n.t('The earlier events of this resource could not be fetched ({0}), so no before value is known.', failure ?? vscode.l10n.t('no source'))
          : undefined;
      changes = computeChanges(e, earlier, note);
    } catch (err) {
      changes = { state: 'error', message: errorText(err) };
    }
    panel.postFor(e.id, { type: 'changes', eventId: e.id, changes });
  }

  private async loadHistory(panel: EventDetailsPanel, parsed: ParsedEvent): Promise<void> {
    const e = parsed.event;
    const rid = resourceId(e);
    if (!rid) {
      panel.postFor(e.id, { type: 'history', eventId: e.id, history: { state: 'error', message: vscode.l10n.t('This event names no resource (its detail has no id).') } });
      return;
    }
    panel.postFor(e.id, { type: 'history', eventId: e.id, history: { state: 'loading' } });
    try {
      const fetched = await this.source.resourceEvents(rid);
      const byId = new Map<string, ParsedEvent>();
      for (const p of [...fetched.events, ...this.source.loadedOfResource(rid), parsed]) if (!byId.has(p.event.id)) byId.set(p.event.id, p);
      const all = [...byId.values()].map((p) => p.event);
      // Stable sort keeps the API's newest-first order among equal times.
      all.sort((a, b) => b.effective_at - a.effective_at);
      panel.postFor(e.id, { type: 'history', eventId: e.id, history: withHistorySteps(historyView(resourceHistory(rid, all), e.id, fetched.truncated), all) });
    } catch (err) {
      panel.postFor(e.id, { type: 'history', eventId: e.id, history: { state: 'error', message: errorText(err) } });
    }
  }

  private setPinned(panel: EventDetailsPanel, pinned: boolean): void {
    if (pinned) {
      if (this.preview === panel) this.preview = undefined;
    } else {
      const old = this.preview;
      this.preview = panel;
      if (old && old !== panel) old.panel.dispose();
    }
    panel.setPinned(pinned);
  }

  // ---- EventDetailsPanelHost -------------------------------------------------

  onPageAction(panel: EventDetailsPanel, action: PageMessage): void {
    const parsed = panel.event;
    switch (action.type) {
      case 'togglePin':
        this.setPinned(panel, !panel.pinned);
        return;
      case 'copyJson':
        if (parsed) void this.copyJson(parsed);
        return;
      case 'copyId':
        if (parsed) void this.copyId(parsed);
        return;
      case 'openJson':
        if (parsed) void this.openEventJson(parsed);
        return;
      case 'openDiff':
        if (parsed) void this.showChanges(parsed);
        return;
      case 'showHistory':
        if (parsed) void this.loadHistory(panel, parsed);
        return;
      case 'openEvent': {
        if (!panel.isAllowedEventId(action.eventId)) return;
        const target = this.source.get(action.eventId);
        if (target) void this.show(target, {});
        return;
      }
      case 'pivot':
        if (parsed) void this.pivots.run(parsed, action);
        return;
      case 'ready':
        return;
    }
  }

  onPanelDisposed(panel: EventDetailsPanel): void {
    this.panels.delete(panel);
    if (this.preview === panel) this.preview = undefined;
  }

  private async hasCommand(id: string): Promise<boolean> {
    return (await vscode.commands.getCommands(true)).includes(id);
  }

  /** The explorer's copy commands when they know the event; otherwise the same text, copied here. */
  private async copyJson(parsed: ParsedEvent): Promise<void> {
    if (this.source.isInStore(parsed.event.id) && (await this.hasCommand(Commands.copyEventJson))) {
      await vscode.commands.executeCommand(Commands.copyEventJson, parsed.event.id);
      return;
    }
    await vscode.env.clipboard.writeText(prettyRawJson(parsed.raw, 2));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Event JSON copied'), 3000);
  }

  private async copyId(parsed: ParsedEvent): Promise<void> {
    if (this.source.isInStore(parsed.event.id) && (await this.hasCommand(Commands.copyEventId))) {
      await vscode.commands.executeCommand(Commands.copyEventId, parsed.event.id);
      return;
    }
    await vscode.env.clipboard.writeText(parsed.event.id);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Event ID copied'), 3000);
  }

  // ---- WebviewPanelSerializer ------------------------------------------------

  /** Restores a panel after a reload from the ids its page stored, fetching the event again. */
  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const locator = parsePanelState(state);
    // The state holds ids only; whether the panel was a preview is in its restored title.
    const wasPreview = webviewPanel.title.endsWith(PREVIEW_SUFFIX);
    const panel = this.adopt(webviewPanel, !wasPreview || this.preview !== undefined);
    if (!panel.pinned) this.preview = panel;
    if (!locator) {
      panel.showFailure(vscode.l10n.t('This panel cannot be restored: it stored no event. Open the event again from the Events view.'));
      return;
    }
    await this.restore(panel, locator);
  }

  /**
   * Tries again the restored panels that could not fetch their event (no key
   * yet, the sample organization not open yet, offline): called when the
   * store's source changes.
   */
  retryFailedRestores(): void {
    for (const panel of this.panels) {
      const locator = panel.persistedState;
      if (!panel.event && locator && !this.restoring.has(panel)) void this.restore(panel, locator);
    }
  }

  private async restore(panel: EventDetailsPanel, locator: PanelState): Promise<void> {
    this.restoring.add(panel);
    try {
      await this.fetchAndPresent(panel, locator);
    } finally {
      this.restoring.delete(panel);
    }
  }

  private async fetchAndPresent(panel: EventDetailsPanel, locator: PanelState): Promise<void> {
    panel.showLoading(locator);
    let parsed: ParsedEvent | undefined;
    try {
      parsed = await this.source.refetch(locator satisfies EventLocator, { fresh: true });
    } catch (err) {
      panel.showFailure(
        vscode.l10n.t('Could not fetch the event again: {0} It is fetched again when the source changes (a key is set or the sample organization opens).', errorText(err)),
      );
      return;
    }
    if (!parsed) {
      panel.showFailure(vscode.l10n.t('The event was not found any more (it may be older than the retained log).'));
      return;
    }
    this.present(panel, parsed);
  }
}
