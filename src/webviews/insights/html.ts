import * as vscode from 'vscode';
import { createNonce, pageShellHtml } from '../common/webviewShell';
import { insightsStrings } from './pageStrings';
import { encodeStrings, type InsightsStrings } from './protocol';

/**
 * The Insights page shell: no data (everything arrives by message after `ready`, rendered as text), the
 * page's words on `#app`. The same CSP as the details panel: scripts by nonce only, styles, fonts and images
 * from the webview's resource origin (uPlot draws on a canvas: no inline style, no `data:`), no connections.
 */
export function insightsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = createNonce(), strings: InsightsStrings = insightsStrings()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview-insights.js'));
  // esbuild writes the page's CSS (uPlot's and ours, imported by main.ts) beside the bundle.
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview-insights.css'));
  return pageShellHtml({
    webview,
    nonce,
    title: vscode.l10n.t('Insights'),
    script,
    styles: [style],
    strings: encodeStrings(strings),
    loading: strings.loading,
  });
}
