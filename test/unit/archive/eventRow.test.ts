/**
 * `toEventRow` is part of the stored format: the search text is what the
 * contentless FTS5 index was given (retention recomputes it to delete an
 * entry), and the project and actor signatures are UNIQUE keys of the
 * dictionary tables in files already written. A faster implementation must
 * give the same strings as the first one, kept here as the reference.
 */
import * as assert from 'node:assert/strict';
import { toEventRow } from '../../../src/core/archive/eventRow';
import { describeActor, projectOf } from '../../../src/core/model';
import { parsed, sampleEvents } from './helpers';

/** The search text as schema version 1 defined it. */
function referenceText(value: unknown): string {
  const parts: string[] = [];
  let length = 0;
  const walk = (v: unknown, depth: number): void => {
    if (length >= 32_768 || depth > 32) return;
    if (typeof v === 'string') {
      parts.push(v);
      length += v.length + 1;
    } else if (Array.isArray(v)) {
      for (const item of v) walk(item, depth + 1);
    } else if (typeof v === 'object' && v !== null) {
      for (const item of Object.values(v)) walk(item, depth + 1);
    }
  };
  walk(value, 0);
  return parts.join(' ').slice(0, 32_768);
}

function nested(depth: number): object {
  let v: object = { leaf: `deep${depth}` };
  for (let i = 0; i < depth; i++) v = { [`k${i}`]: v, s: `level${i}` };
  return v;
}

describe('archive: event rows', () => {
  it('gives the search text of schema version 1 for every sample event and for odd shapes', () => {
    const odd = parsed([
      { id: 'o1', type: 'x.y', effective_at: 1, note: '', more: ['', 'a', ['', ['b']], { c: '' }], n: 5, t: true, z: null },
      { id: 'o2', type: 'x.y', effective_at: 1, '10': 'ten', '2': 'two', b: 'bee', a: 'ay', ['__proto__']: { p: 'proto' } },
      { id: 'o3', type: 'x.y', effective_at: 1, big: Array.from({ length: 400 }, (_, i) => `word${i}-${'x'.repeat(90)}`) },
      { id: 'o4', type: 'x.y', effective_at: 1, one: 'y'.repeat(40_000), after: 'never' },
      { id: 'o5', type: 'x.y', effective_at: 1, deep: nested(40) },
      { id: 'o6', type: 'x.y', effective_at: 1, uni: 'Zoë 🚀 \ud800 日本語', list: [] },
    ]);
    for (const e of [...sampleEvents(3000), ...odd]) assert.equal(toEventRow(e).text, referenceText(e.event), e.event.id);
    assert.equal(toEventRow(odd[3]!).text.length, 32_768);
  });

  it('gives the dictionary signatures of schema version 1', () => {
    for (const e of sampleEvents(2000)) {
      const row = toEventRow(e);
      const { sig, ...actor } = row.actor;
      assert.equal(sig, JSON.stringify(Object.values(actor)), 'the actor signature: every field, in declaration order');
      assert.deepEqual(Object.keys(actor), ['key', 'label', 'kind', 'actorType', 'actorId', 'email', 'userId', 'apiKeyId', 'serviceAccountId']);
      assert.equal(actor.label, describeActor(e.event).label);
      const p = projectOf(e.event);
      assert.equal(row.project?.sig, p ? JSON.stringify([p.id ?? null, p.name ?? null]) : undefined);
    }
  });
});
