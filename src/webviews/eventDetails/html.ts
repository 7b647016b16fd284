import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { pageStrings } from './pageStrings';
import { encodePageStrings, type PageStrings } from './protocol';

/** A fresh nonce for one page load, from the OS's CSPRNG. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Where a webview may load from: the bundles and the media folder, nothing else. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: webviewResourceRoots(extensionUri),
    retainContextWhenHidden: false,
  };
}

/**
 * The page shell. It holds no event data: everything arrives by message after
 * the page says `ready` and is rendered with textContent. The page's own
 * words, localized, are on `#app` (`data-strings`). The CSP allows
 * scripts only by nonce, styles/fonts/images only from the webview's own
 * resource origin, and no connections at all.
 */
export function eventDetailsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = createNonce(), strings: PageStrings = pageStrings()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview-eventDetails.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'eventDetails.css'));
  // Copied into dist/ by esbuild.js from @vscode/codicons (its font is loaded relative to it).
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'codicon.css'));
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
<link rel="stylesheet" href="${codicons.toString()}">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeAttribute(vscode.l10n.t('Audit log event'))}</title>
</head>
<body>
<main id="app" aria-live="polite" data-strings="${encodePageStrings(strings)}"><p class="muted">${escapeAttribute(strings.loadingEvent)}</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
