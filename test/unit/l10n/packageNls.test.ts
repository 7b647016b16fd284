/**
 * package.json shows users no literal text of its own: command titles,
 * setting descriptions, view names and the welcome come from package.nls.json
 * through %key% placeholders, and every placeholder has its text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const raw = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
const pkg = JSON.parse(raw);
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, unknown>;
const placeholder = /^%([^%]+)%$/;

describe('l10n: package.nls.json', () => {
  it('resolves every %key% of package.json to a non-empty string, and holds no unused key', () => {
    const used = [...raw.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
    assert.ok(used.length > 30);
    for (const key of used) assert.ok(typeof nls[key] === 'string' && (nls[key] as string).trim() !== '', `package.nls.json has no text for ${key}`);
    assert.deepEqual(Object.keys(nls).filter((k) => !used.includes(k)), []);
  });

  it('every command title, setting description, view name and welcome goes through it', () => {
    for (const c of pkg.contributes.commands) assert.match(c.title, placeholder, c.command);
    for (const [name, prop] of Object.entries(pkg.contributes.configuration.properties) as [string, Record<string, unknown>][]) {
      const text = (prop.markdownDescription ?? prop.description) as string;
      assert.match(text, placeholder, name);
      for (const d of (prop.enumDescriptions as string[] | undefined) ?? []) assert.match(d, placeholder, name);
    }
    for (const views of Object.values(pkg.contributes.views) as { name: string }[][]) for (const v of views) assert.match(v.name, placeholder);
    for (const w of pkg.contributes.viewsWelcome) assert.match(w.contents, placeholder);
  });
});
