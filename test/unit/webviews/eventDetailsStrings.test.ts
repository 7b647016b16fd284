/**
 * The details page shows no English of its own: every word it writes is a
 * page string the host localized with vscode.l10n.t and put in the HTML.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodePageStrings, PAGE_STRING_KEYS, PageStringsSchema, type PageStrings } from '../../../src/webviews/eventDetails/protocol';

const root = path.resolve(__dirname, '..', '..', '..');
const read = (...p: string[]): string => fs.readFileSync(path.join(root, ...p), 'utf8');

describe('event details page strings', () => {
  // Every file of the page (main.ts and the renderers it imports): code, not comments.
  const pageDir = path.join(root, 'webview-ui', 'eventDetails');
  const page = fs
    .readdirSync(pageDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => read('webview-ui', 'eventDetails', f))
    .join('\n')
    .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const host = read('src', 'webviews', 'eventDetails', 'pageStrings.ts');

  it('the host localizes every key with a literal vscode.l10n.t call, and no other', () => {
    const defined = [...host.matchAll(/^\s+(\w+): vscode\.l10n\.t\('(?:[^'\\]|\\.)+'\),$/gm)].map((m) => m[1]);
    assert.deepEqual([...defined].sort(), [...PAGE_STRING_KEYS].sort());
  });

  it('the page uses only known keys, and writes no user-facing literal of its own', () => {
    const used = new Set([...page.matchAll(/\bS\.(\w+)/g)].map((m) => m[1]!));
    for (const key of used) assert.ok((PAGE_STRING_KEYS as readonly string[]).includes(key), `unknown page string ${key}`);
    assert.ok(used.size > 60, `${used.size} keys used`);
    for (const english of ['Copy JSON', 'Open in Diff Editor', 'History of this resource', 'Other fields', 'not set (absent', 'earlier event', 'oldest first', 'Unpin', 'kept open', "'Actor'"]) {
      assert.ok(!page.includes(english), `the page writes "${english}" itself`);
    }
  });

  it('travels in an HTML attribute: JSON with every character that could end the attribute or open a tag escaped', () => {
    const strings = Object.fromEntries(PAGE_STRING_KEYS.map((k) => [k, `"><script>alert('${k}')</script>&amp;`])) as PageStrings;
    const encoded = encodePageStrings(strings);
    assert.doesNotMatch(encoded, /["'<>]|&(?!#\d+;)/);
    const decoded = encoded.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
    assert.deepEqual(JSON.parse(decoded), strings);
    assert.throws(() => encodePageStrings({ ...strings, extra: 'x' } as PageStrings));
    assert.equal(PageStringsSchema.safeParse({ copyJson: 'x' }).success, false, 'every key is required');
  });
});
