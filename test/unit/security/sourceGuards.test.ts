/**
 * Regression guards over the source and the manifest for security properties
 * that a behavioural test cannot reach from plain Node (the browser side of
 * the webviews, VS Code options). The behaviour itself is tested in
 * test/integration/security.test.ts and the e2e tier.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js|mjs)$/.test(e.name)) out.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(ROOT, dir));
  return out;
}

/** Source without comments, so a comment that names a forbidden API does not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('security: source guards', () => {
  it('the webview pages never parse strings as HTML or code', () => {
    const pages = sources('webview-ui');
    assert.ok(pages.length > 0);
    for (const { file, text } of pages) {
      assert.doesNotMatch(
        code(text),
        /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\s*\(|createContextualFragment|DOMParser|srcdoc|setAttribute\(\s*['"]on|\.href\s*=|javascript:/,
        file,
      );
    }
  });

  it('no webview enables command URIs or forms, and no markdown is trusted or renders HTML', () => {
    for (const { file, text } of sources('src')) {
      const c = code(text);
      assert.doesNotMatch(c, /enableCommandUris\s*:\s*true|enableForms\s*:\s*true/, file);
      assert.doesNotMatch(c, /isTrusted\s*[=:]\s*(true|\{)|supportHtml\s*[=:]\s*true/, file);
      assert.doesNotMatch(c, /new vscode\.MarkdownString\([^)]*,\s*[^)]*,/, `${file}: no MarkdownString with extra trust options`);
    }
  });

  it('nonces come from the CSPRNG, never Math.random', () => {
    for (const { file, text } of sources('src/webviews')) {
      if (/nonce/i.test(text)) assert.doesNotMatch(code(text), /Math\.random/, file);
    }
    const html = fs.readFileSync(path.join(ROOT, 'src/webviews/common/webviewShell.ts'), 'utf8');
    assert.match(html, /randomBytes\(\s*(1[6-9]|[2-9]\d)\s*\)/, 'at least 128 bits from crypto.randomBytes');
  });

  it('the Admin key is kept only in SecretStorage: no globalState (but the list of organizations), no setting written with it', () => {
    for (const { file, text } of sources('src')) {
      const c = code(text);
      // The organization registry keeps { id, label, apiBaseUrl? } entries there (never a key; see test/integration/organizations.test.ts).
      if (file !== path.join('src', 'organizations', 'organizationRegistry.ts')) {
        assert.doesNotMatch(c, /globalState/, `${file}: the extension keeps nothing in globalState`);
      }
      // One gateway: only src/secrets/ (the Admin keys, the evidence signing key) uses SecretStorage, whatever
      // its handle is called; services.ts hands context.secrets to those classes and nothing else does.
      if (!file.startsWith(path.join('src', 'secrets') + path.sep)) {
        assert.doesNotMatch(c, /\.secrets\.(get|store|delete|onDidChange)\b/, `${file}: only src/secrets/ touches SecretStorage`);
        assert.doesNotMatch(c, /\bvscode\.SecretStorage\b|:\s*SecretStorage\b/, `${file}: only src/secrets/ holds a SecretStorage`);
        if (file !== 'src/services.ts'.split('/').join(path.sep)) assert.doesNotMatch(c, /context\.secrets\b/, `${file}: only services.ts hands out context.secrets`);
      }
    }
  });

  it('the API base URL is application scope, so a workspace cannot redirect the key', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.equal(pkg.contributes.configuration.properties['openaiAuditLogs.apiBaseUrl']?.scope, 'application');
  });

  it('nothing opens external URLs or runs commands chosen by data', () => {
    for (const { file, text } of sources('src')) {
      const c = code(text);
      assert.doesNotMatch(c, /env\.openExternal/, `${file}: no openExternal`);
      for (const m of c.matchAll(/executeCommand\(\s*([^,)]+)/g)) {
        const first = m[1]!.trim();
        assert.match(first, /^(Commands\.\w+|'[\w.]+')$/, `${file}: executeCommand(${first}) must name a fixed command`);
      }
    }
  });
});
