import * as vscode from 'vscode';
import { Disposable } from '../../common/lifecycle';
import { PageMailbox } from '../common/pageMailbox';
import { webviewOptions } from '../common/webviewShell';
import { insightsHtml } from './html';
import { HostMessageSchema, parsePageMessage, type HostMessage, type PageMessage } from './protocol';

/**
 * The Insights webview panel: queues posts until the page says `ready` (and replays the latest of each kind
 * when a hidden page is rebuilt), validates every inbound message against the protocol's allowlist, and
 * hands the valid ones to its owner.
 */
export class InsightsPanel extends Disposable {
  private readonly mailbox: PageMailbox<HostMessage>;
  private readonly _onDidDispose = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this._onDidDispose.event;
  private readonly _onDidBecomeVisible = this._register(new vscode.EventEmitter<void>());
  readonly onDidBecomeVisible = this._onDidBecomeVisible.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onAction: (action: Exclude<PageMessage, { type: 'ready' }>) => void,
  ) {
    super();
    this.mailbox = new PageMailbox<HostMessage>((m) => void panel.webview.postMessage(m));
    panel.webview.options = webviewOptions(extensionUri);
    panel.title = vscode.l10n.t('Insights');
    this._register(panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)));
    this._register(panel.onDidChangeViewState((e) => e.webviewPanel.visible && this._onDidBecomeVisible.fire()));
    this._register(
      panel.onDidDispose(() => {
        this._onDidDispose.fire();
        this.dispose();
      }),
    );
    this._register({ dispose: () => panel.dispose() });
    panel.webview.html = insightsHtml(panel.webview, extensionUri);
  }

  get isReady(): boolean {
    return this.mailbox.isReady;
  }
  /** The last message of each type posted to the page (what the integration tests read). */
  get lastPosted(): ReadonlyMap<HostMessage['type'], HostMessage> {
    return this.mailbox.lastPosted;
  }
  get visible(): boolean {
    return this.panel.visible;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  post(message: HostMessage): void {
    // The host's own messages go through the protocol too: a shape the page does not expect never leaves.
    HostMessageSchema.parse(message);
    this.mailbox.post(message);
  }

  private receive(data: unknown): void {
    const message = parsePageMessage(data);
    if (!message) return; // off the allowlist: ignored
    if (message.type === 'ready') {
      this.mailbox.pageReady();
      return;
    }
    this.onAction(message);
  }
}
