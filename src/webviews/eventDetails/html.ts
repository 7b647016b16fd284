import * as vscode from 'vscode';
import { createNonce, pageShellHtml } from '../common/webviewShell';
import { pageStrings } from './pageStrings';
import { encodePageStrings, type PageStrings } from './protocol';

/**
 * The page shell. It holds no event data: everything arrives by message after
 * the page says `ready` and is rendered with textContent. The page's own
 * words, localized, are on `#app` (`data-strings`). The CSP is the shared
 * one (common/webviewShell.ts): scripts by nonce only, no connections.
 */
export function eventDetailsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = createNonce(), strings: PageStrings = pageStrings()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview-eventDetails.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'eventDetails.css'));
  // Copied into dist/ by esbuild.js from @vscode/codicons (its font is loaded relative to it).
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'codicon.css'));
  return pageShellHtml({
    webview,
    nonce,
    title: vscode.l10n.t('Audit log event'),
    script,
    styles: [codicons, style],
    strings: encodePageStrings(strings),
    loading: strings.loadingEvent,
    appAttributes: 'aria-live="polite"',
  });
}
