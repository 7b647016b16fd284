/**
 * One set of characters that reorder or hide text, for the host and the
 * details page alike: the host's displayText removes exactly these, and the
 * page marks exactly these (it imports the same module and has no set of its own).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { neutralizeDisplayText } from '../../../src/core/text/displayText';
import { codePointLabel, invisibleCharacterName, invisibleCharacters } from '../../../src/core/text/invisibleCharacters';

const root = path.resolve(__dirname, '..', '..', '..');
const inSet = (ch: string): boolean => invisibleCharacters('').test(ch);

describe('text/invisibleCharacters: one definition for host and page', () => {
  it('holds the C0/C1 controls but tab and line breaks, the bidi controls and marks, zero-width space, joiners and the BOM', () => {
    for (let c = 0; c <= 0x9f; c++) {
      const control = c <= 0x1f || c >= 0x7f;
      const expected = control && c !== 0x09 && c !== 0x0a && c !== 0x0d;
      assert.equal(inSet(String.fromCharCode(c)), expected, codePointLabel(String.fromCharCode(c)));
    }
    for (const c of [0x061c, 0x200b, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff]) {
      assert.ok(inSet(String.fromCharCode(c)), codePointLabel(String.fromCharCode(c)));
    }
    // Scripts and emoji need the joiners; ordinary letters and spaces are not invisible.
    for (const ch of ['\u200c', '\u200d', 'a', ' ', '\u00a0', 'é', 'ش', '😀']) assert.equal(inSet(ch), false, codePointLabel(ch));
    assert.equal(invisibleCharacterName('\u202e'), 'RIGHT-TO-LEFT OVERRIDE');
    assert.equal(invisibleCharacterName('\u0085'), 'CONTROL CHARACTER');
    assert.equal(codePointLabel('\u0007'), 'U+0007');
  });

  it('is what the host removes from display text, for every character of the BMP', () => {
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const isBreak = ch === '\t' || ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';
      if (isBreak) continue;
      assert.equal(neutralizeDisplayText(`a${ch}b`, '') === 'ab', inSet(ch), codePointLabel(ch));
    }
  });

  it('is what the details page marks: the page imports it and defines no set of its own', () => {
    const dir = path.join(root, 'webview-ui', 'eventDetails');
    const page = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    assert.match(page, /from '\.\.\/\.\.\/src\/core\/text\/invisibleCharacters'/);
    assert.doesNotMatch(page, /\\u202[aAeE]|\\u200[bBfF]|\\uFEFF/i, 'no character list of its own');
  });
});
