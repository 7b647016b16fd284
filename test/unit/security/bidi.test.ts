/**
 * Bidi controls in API strings (Trojan-Source-style spoofing: a group named
 * "Research Team \u202Etxt.exe" displays as "Research Team exe.txt") must be
 * neutralized in every tree label, description and tooltip, as
 * summarizeEvent already does for summaries.
 */
import * as assert from 'node:assert/strict';
import { clip } from '../../../src/core/text/oneLine';

const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

describe('security: tree labels neutralize bidi and control characters', () => {
  for (const [name, value] of [
    ['RLO', 'Research Team \u202Etxt.exe'],
    ['LRE/PDF', 'a\u202Ab\u202C'],
    ['RLI/PDI', 'admin@\u2067moc.live\u2069example.com'],
    ['LRO', '\u202Dproj_1'],
  ] as const) {
    it(`clip removes ${name}`, () => {
      const out = clip(value);
      assert.doesNotMatch(out, BIDI, JSON.stringify(out));
    });
  }

  it('clip removes other control characters and line separators', () => {
    const out = clip('a\u0000b\u001bc\u2028d\u2029e\u0085f');
    assert.doesNotMatch(out, CONTROLS, JSON.stringify(out));
  });
});
