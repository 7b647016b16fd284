import * as vscode from 'vscode';
import { createNonce } from '../eventDetails/html';
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
  const src = webview.cspSource;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${src}`,
    `font-src ${src}`,
    `img-src ${src}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeAttribute(vscode.l10n.t('Insights'))}</title>
</head>
<body>
<main id="app" data-strings="${encodeStrings(strings)}"><p class="muted">${escapeAttribute(strings.loading)}</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
