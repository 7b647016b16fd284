/**
 * What every webview of the extension shares (the details panel, Insights): the nonce, the resource roots and
 * options, the CSP, and the page shell. One definition, so a panel added later cannot get a weaker policy.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

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
 * The policy: scripts only by nonce; styles, fonts and images only from the webview's own resource origin
 * (no inline style, no `data:`); no connections, frames, forms or base URL.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
}

export interface PageShell {
  readonly webview: vscode.Webview;
  readonly nonce: string;
  readonly title: string;
  /** The page's bundle (dist/webview-<name>.js). */
  readonly script: vscode.Uri;
  readonly styles: readonly vscode.Uri[];
  /** The page's words, already encoded for an attribute (each protocol encodes its own). */
  readonly strings: string;
  /** Shown until the page's script has rendered (plain text). */
  readonly loading: string;
  /** Extra attributes of `#app` (constant text, never data). */
  readonly appAttributes?: string;
}

/**
 * The page shell. It holds no data: everything arrives by message after the page says `ready` and is rendered
 * as text; the page's own words are on `#app` (`data-strings`).
 */
export function pageShellHtml(p: PageShell): string {
  const links = p.styles.map((s) => `<link rel="stylesheet" href="${s.toString()}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp(p.webview.cspSource, p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${escapeAttribute(p.title)}</title>
</head>
<body>
<main id="app"${p.appAttributes ? ` ${p.appAttributes}` : ''} data-strings="${p.strings}"><p class="muted">${escapeAttribute(p.loading)}</p></main>
<script nonce="${p.nonce}" src="${p.script.toString()}"></script>
</body>
</html>`;
}

export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
