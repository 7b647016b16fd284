import * as vscode from 'vscode';
import { Disposable } from '../../common/lifecycle';
import type { ParsedEvent } from '../../core/model';
import { clip } from '../../core/text/oneLine';
import type { EventView } from './protocol';
import { PageMailbox } from '../common/pageMailbox';
import { webviewOptions } from '../common/webviewShell';
import { eventDetailsHtml } from './html';
import { panelTitle } from './panelTitle';
import { panelStateOf, parsePageMessage, type HostMessage, type PageMessage, type PanelState } from './protocol';

/** Ends the title of the preview panel (and tells a restored panel it was one). */
export const PREVIEW_SUFFIX = ' (preview)';

/** What the panel asks its owner to do; the panel itself only talks to its page. */
export interface EventDetailsPanelHost {
  onPageAction(panel: EventDetailsPanel, action: PageMessage): void;
  onPanelDisposed(panel: EventDetailsPanel): void;
}

/**
 * One webview panel showing one event at a time. It queues every post until
 * the page says `ready` (and again after the page reloads, e.g. when it was
 * hidden), validates every inbound message against the protocol's allowlist,
 * and never sends anything but event data.
 */
export class EventDetailsPanel extends Disposable {
  /** Queues posts until the page is ready; replays the last message of each kind when a hidden page is rebuilt. */
  private readonly mailbox: PageMailbox<HostMessage>;
  private _event: ParsedEvent | undefined;
  private _locator: PanelState | undefined;
  private _pinned: boolean;
  /** Ids the page may ask to open (the current event's history). */
  private allowedIds = new Set<string>();

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly host: EventDetailsPanelHost,
    pinned = false,
  ) {
    super();
    this.mailbox = new PageMailbox<HostMessage>((m) => void panel.webview.postMessage(m));
    this._pinned = pinned;
    panel.webview.options = webviewOptions(extensionUri);
    this._register(panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)));
    this._register(
      panel.onDidDispose(() => {
        this.host.onPanelDisposed(this);
        this.dispose();
      }),
    );
    panel.webview.html = eventDetailsHtml(panel.webview, extensionUri);
    this.updateTitle();
  }

  get event(): ParsedEvent | undefined {
    return this._event;
  }
  get eventId(): string | undefined {
    return this._event?.event.id ?? this._locator?.eventId;
  }
  get pinned(): boolean {
    return this._pinned;
  }
  /** The last message of each type posted to the page (what the integration tests read). */
  get lastPosted(): ReadonlyMap<HostMessage['type'], HostMessage> {
    return this.mailbox.lastPosted;
  }

  /** True once the page has said `ready` (for tests and the restorer). */
  get isReady(): boolean {
    return this.mailbox.isReady;
  }

  setPinned(pinned: boolean): void {
    this._pinned = pinned;
    this.updateTitle();
    this.post({ type: 'pinned', pinned });
  }

  /** Shows "loading" for an event about to be fetched again (restored panel). */
  showLoading(locator: PanelState): void {
    this._locator = locator;
    this._event = undefined;
    this.mailbox.forget();
    this.updateTitle();
    this.post({ type: 'loading', state: locator });
  }

  /** What the page stores for the serializer (ids only), as last sent. */
  get persistedState(): PanelState | undefined {
    return this._locator;
  }

  showEvent(parsed: ParsedEvent, view: EventView): void {
    this._event = parsed;
    this._locator = panelStateOf(parsed.event);
    const message: HostMessage = { type: 'event', event: view, pinned: this._pinned, state: this._locator };
    this.allowedIds = new Set();
    this.mailbox.forget('changes', 'history', 'failed', 'pivots');
    this.updateTitle();
    this.post(message);
  }

  showFailure(message: string): void {
    this.post({ type: 'failed', message, ...(this._locator ? { state: this._locator } : {}) });
  }

  /** Posts a message for the current event only (late answers for an event no longer shown are dropped). */
  postFor(eventId: string, message: HostMessage): void {
    if (this.eventId !== eventId) return;
    if (message.type === 'history' && message.history.state === 'ready') {
      this.allowedIds = new Set(message.history.entries.map((e) => e.id));
    }
    this.post(message);
  }

  isAllowedEventId(id: string): boolean {
    return this.allowedIds.has(id);
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  private updateTitle(): void {
    // From the API: one safe line in the editor tab, saying which event it is.
    const title = (this._event ? panelTitle(this._event.event) : '') || clip(this._locator?.type ?? 'Audit log event', 60);
    this.panel.title = this._pinned ? title : `${title}${PREVIEW_SUFFIX}`;
  }

  private post(message: HostMessage): void {
    this.mailbox.post(message);
  }

  private receive(data: unknown): void {
    const message = parsePageMessage(data);
    if (!message) return; // off the allowlist: ignored
    if (message.type === 'ready') {
      this.mailbox.pageReady();
      return;
    }
    this.host.onPageAction(this, message);
  }
}
