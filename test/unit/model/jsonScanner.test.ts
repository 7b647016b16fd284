import { strict as assert } from 'node:assert';
import { JsonScanError, skipValue, topLevelArrayElementRanges } from '../../../src/core/model/jsonScanner';
import { randomJsonText, rng } from './fixtures';

describe('jsonScanner', () => {
  it('finds each element of a top-level array exactly (random JSON, 1,000 documents)', () => {
    const next = rng(3);
    for (let k = 0; k < 1000; k++) {
      const elements = Array.from({ length: Math.floor(next() * 6) }, () => randomJsonText(next));
      const text = `{ "a" : ${randomJsonText(next)}, "items":\n[${elements.map((e) => ` ${e}\n`).join(',')}] , "z":${randomJsonText(next)} }`;
      JSON.parse(text); // the fixture itself must be valid JSON
      const ranges = topLevelArrayElementRanges(text, 'items');
      assert.ok(ranges);
      assert.deepEqual(ranges.map(([s, e]) => text.slice(s, e)), elements);
    }
  });

  it('returns undefined when the key is absent, not an array, or the text is not an object', () => {
    assert.equal(topLevelArrayElementRanges('{"items":{"a":[1]}}', 'items'), undefined);
    assert.equal(topLevelArrayElementRanges('{"other":[1]}', 'items'), undefined);
    assert.equal(topLevelArrayElementRanges('[{"items":[1]}]', 'items'), undefined);
    assert.equal(topLevelArrayElementRanges('{}', 'items'), undefined);
    assert.deepEqual(topLevelArrayElementRanges('{"items":[]}', 'items'), []);
    // A duplicated key resolves to the last occurrence, as in JSON.parse.
    assert.equal(topLevelArrayElementRanges('{"items":[1],"items":5}', 'items'), undefined);
    assert.deepEqual(topLevelArrayElementRanges('{"items":5,"items":[1]}', 'items'), [[20, 21]]);
    // Nested keys of the same name are not the top-level one.
    const text = '{"x":{"items":[9]},"items":[1,22]}';
    assert.deepEqual(topLevelArrayElementRanges(text, 'items'), [
      [28, 29],
      [30, 32],
    ]);
  });

  it('skips strings that end in escaped backslashes', () => {
    const text = '"a\\\\" , "b"';
    assert.equal(skipValue(text, 0), 5);
    assert.equal(skipValue('"\\"\\\\\\""x', 0), 8);
  });

  it('throws JsonScanError on truncated text instead of looping', () => {
    assert.throws(() => topLevelArrayElementRanges('{"items":[{"a":"b', 'items'), JsonScanError);
    assert.throws(() => topLevelArrayElementRanges('{"items":[{"a":[1]', 'items'), JsonScanError);
    assert.throws(() => topLevelArrayElementRanges('{"items" [1]}', 'items'), JsonScanError);
  });
});
