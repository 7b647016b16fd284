/**
 * Every stage after the parser survives the nesting the parser accepts
 * (100,000 levels): change reconstruction, diffs, the diff documents and a
 * resource's history neither throw RangeError nor stop.
 */
import * as assert from 'node:assert/strict';
import { canonicalJson, diffChanges, diffDocuments, fieldKey, hasChanges, MAX_FIELD_DEPTH } from '../../../src/core/analysis/changes';
import { resourceHistory } from '../../../src/core/analysis/resourceHistory';
import { parseAuditLogPage, type AuditEvent } from '../../../src/core/model';
import { MAX_DISPLAY_DEPTH, TOO_DEEP_TEXT } from '../../../src/core/text/valueDepth';

/** `{"a":{"a":…leaf…}}`, `levels` objects deep, as wire text. */
function deepText(levels: number, leaf = '1'): string {
  return '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
}

/** A project created with a deep `x`, then updated: `x` to another deep value, `tags` by element with deep elements. */
function deepHistory(levels: number): AuditEvent[] {
  const created = `{"id":"e0","type":"project.created","effective_at":1,"project.created":{"id":"p","data":{"x":${deepText(levels)},"tags":[${deepText(levels, '"keep"')}]}}}`;
  const updated =
    `{"id":"e1","type":"project.updated","effective_at":2,"project.updated":{"id":"p","changes_requested":` +
    `{"x":${deepText(levels, '2')},"tags_added":[${deepText(levels, '"new"')}],"tags_removed":[${deepText(levels, '"keep"')}]}}}`;
  const page = parseAuditLogPage(`{"object":"list","data":[${updated},${created}],"has_more":false}`);
  return page.data.map((p) => p.event);
}

/** Nested objects are diffed field by field down to MAX_FIELD_DEPTH: `x.a.a.a.a.a.a.a`. */
const X = fieldKey(['x', ...Array<string>(MAX_FIELD_DEPTH - 1).fill('a')]);

/** How many levels of `{"a": …}` a value nests before something else. */
function nesting(value: unknown): number {
  let n = 0;
  let at = value;
  while (typeof at === 'object' && at !== null && 'a' in at) {
    at = (at as { a: unknown }).a;
    n++;
  }
  return n;
}

describe('deep nesting after the parser', function () {
  this.timeout(60_000);
  for (const levels of [3_000, 10_000, 100_000]) {
    describe(`${levels.toLocaleString('en-US')} levels`, () => {
      const [updated, created] = deepHistory(levels) as [AuditEvent, AuditEvent];

      it('reconstructs the change: the before is the created value, compared exactly', () => {
        assert.equal(hasChanges(updated), true);
        const diff = diffChanges(updated, [updated, created]);
        assert.ok(diff);
        const x = diff.rows.find((r) => r.field === X)!;
        assert.equal(x.status, 'changed', 'values that differ only at the bottom differ');
        assert.equal(x.before.kind, 'known');
        const tags = diff.rows.find((r) => r.field === 'tags')!;
        assert.equal(tags.status, 'changed');
        assert.deepEqual(
          tags.elements!.map((e) => e.status),
          ['removed', 'added'],
        );
      });

      it('writes the diff documents as JSON text, deep parts spelled out', () => {
        const docs = diffDocuments(diffChanges(updated, [updated, created])!);
        const text = JSON.stringify(docs, null, 2);
        assert.ok(text.includes(TOO_DEEP_TEXT));
        const before = JSON.parse(JSON.stringify(docs.before)) as { x: unknown };
        assert.equal(nesting(before.x), MAX_DISPLAY_DEPTH - 1, 'x sits one level into the document');
      });

      it("builds the resource's history with the element operations applied", () => {
        const history = resourceHistory('p', [updated, created]);
        assert.deepEqual(
          history.entries.map((h) => [h.event.id, h.role, h.changedFields]),
          [
            ['e0', 'created', [X, 'tags']],
            ['e1', 'updated', [X, 'tags']],
          ],
        );
        const tags = history.entries[1]!.stateAfter['tags'] as unknown[];
        assert.equal(tags.length, 1);
        assert.equal(canonicalJson(tags[0]), deepText(levels, '"new"'));
      });
    });
  }

  it('writes canonical JSON exactly as JSON.stringify of the key-sorted value', () => {
    const sorted = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sorted) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
    const samples: unknown[] = [1, 'a"\u2028', null, true, [], {}, [1, [2, {}]], { b: 1, a: [undefined, null, 'x'], c: { z: undefined, y: Number.NaN } }, { '': 1, 'a.b': [{ d: 4, c: 3 }] }];
    for (const v of samples) assert.equal(canonicalJson(v), JSON.stringify(sorted(v)), JSON.stringify(v));
    assert.equal(canonicalJson(undefined), 'undefined');
    assert.equal(canonicalJson(JSON.parse('{"__proto__":{"b":1,"a":2}}')), '{"__proto__":{"a":2,"b":1}}');
  });
});
