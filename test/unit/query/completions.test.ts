import * as assert from 'node:assert/strict';
import type { AuditArchive } from '../../../src/core/archive';
import { applyCompletion, completionsFor } from '../../../src/core/query';
import { craftedArchive } from './fixtures';

describe('search box completions', () => {
  let archive: AuditArchive;
  before(async () => (archive = await craftedArchive()));
  after(() => archive.close());
  const labels = (text: string) => archive.readSql((sql) => completionsFor(text, sql)).map((c) => c.label);

  it('completes field names', () => {
    assert.deepEqual(labels('type:x ac'), ['actor:', 'actor.type:']);
    assert.deepEqual(labels('-la'), ['last:']);
    assert.deepEqual(labels(''), []);
  });

  it('completes values the archive knows: types, projects, actors, IPs', () => {
    assert.deepEqual(labels('type:api_key'), ['type:api_key.created', 'type:api_key.deleted']);
    assert.deepEqual(labels('project:atl'), ['project:proj_atlas']);
    assert.deepEqual(labels('actor:ada'), ['actor:ada@acme.example']);
    assert.deepEqual(labels('ip:198.51'), ['ip:198.51.100.23', 'ip:198.51.100.24']);
    assert.deepEqual(labels('ip:%'), [], 'a % typed is a literal character');
  });

  it('applying a completion replaces the last word', () => {
    const [c] = archive.readSql((sql) => completionsFor('last:7d (typ', sql));
    assert.equal(applyCompletion('last:7d (typ', c!), 'last:7d (type:');
    const [v] = archive.readSql((sql) => completionsFor('-actor:bo', sql));
    assert.equal(applyCompletion('-actor:bo', v!), '-actor:bob@acme.example ');
  });
});
