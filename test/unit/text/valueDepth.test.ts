import * as assert from 'node:assert/strict';
import { boundDepth, boundedJson, isDeeperThan, MAX_DISPLAY_DEPTH, TOO_DEEP_TEXT } from '../../../src/core/text/valueDepth';

function nested(levels: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { a: v } : [v];
  return v;
}

describe('text/valueDepth', () => {
  it('measures depth with containers only: a value itself is level 1, scalars add none', () => {
    assert.equal(isDeeperThan(1, 0), false);
    assert.equal(isDeeperThan({}, 0), true);
    assert.equal(isDeeperThan({}, 1), false);
    assert.equal(isDeeperThan(nested(3), 3), false);
    assert.equal(isDeeperThan(nested(4), 3), true);
    assert.equal(isDeeperThan({ a: 1, b: [1, 2, { c: 'x' }] }, 3), false);
    assert.equal(isDeeperThan({ a: 1, b: [1, 2, { c: [] }] }, 3), true);
  });

  it('returns a shallow value itself, not a copy', () => {
    const v = { a: [1, { b: 2 }] };
    assert.equal(boundDepth(v), v);
    assert.equal(boundDepth('s'), 's');
  });

  for (const levels of [3_000, 10_000, 100_000]) {
    it(`bounds a value nested ${levels.toLocaleString('en-US')} levels to MAX_DISPLAY_DEPTH, the rest spelled out`, () => {
      const text = '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
      const value: unknown = JSON.parse(text);
      const bounded = boundDepth(value);
      assert.equal(isDeeperThan(bounded, MAX_DISPLAY_DEPTH), false);
      assert.equal(isDeeperThan(bounded, MAX_DISPLAY_DEPTH - 1), true);
      const json = boundedJson(value)!;
      assert.equal(json, '{"a":'.repeat(MAX_DISPLAY_DEPTH) + JSON.stringify(TOO_DEEP_TEXT) + '}'.repeat(MAX_DISPLAY_DEPTH));
      assert.doesNotThrow(() => boundedJson([value, { b: value }], 2));
    });
  }

  it('copies a key named __proto__ as data', () => {
    const value = JSON.parse(`{"__proto__":${'['.repeat(100)}${']'.repeat(100)},"k":1}`) as Record<string, unknown>;
    const bounded = boundDepth(value) as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(bounded, '__proto__'));
    assert.equal(Object.getPrototypeOf(bounded), Object.prototype);
    assert.equal(bounded['k'], 1);
  });
});
