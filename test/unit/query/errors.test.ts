import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { compileQuery, withSearch } from '../../../src/core/query';
import { parsed } from '../archive/helpers';
import { craftedArchive, errorOf, find, NOW } from './fixtures';

describe('query errors (values, never exceptions)', () => {
  const cases: [string, string][] = [
    ['acter:a@b.com', 'unknown field "acter" at 1:1, did you mean actor?'],
    ['type:x projct:atlas', 'unknown field "projct" at 1:8, did you mean project?'],
    ['zzzzzz:1', 'unknown field "zzzzzz" at 1:1'],
    ['type:', 'missing value for "type" at 1:6'],
    ['"open', 'unterminated quote at 1:1'],
    ['(type:a', 'missing ")" for this "(" at 1:1'],
    ['type:a)', 'unexpected ")" with no "(" before it at 1:7'],
    ['OR type:a', 'OR needs a term before it at 1:1'],
    ['type:a OR', 'OR needs a term after it at 1:8'],
    ['()', 'empty parentheses at 1:1'],
    ['NOT', 'nothing to negate after NOT at 1:1'],
    ['type:a NOT', 'nothing to negate after NOT at 1:8'],
    ['last:7x', 'last: takes a duration like 30m, 24h, 7d or 2w, not "7x" at 1:6'],
    ['after:2026-02-30', 'after: takes a date (2026-11-01), a UTC date-time (2026-11-01T09:30) or Unix seconds, not "2026-02-30" at 1:7'],
    ['before:yesterday', 'before: takes a date (2026-11-01), a UTC date-time (2026-11-01T09:30) or Unix seconds, not "yesterday" at 1:8'],
    ['%', 'nothing to search for in "%" (no letters or digits) at 1:1'],
  ];
  for (const [q, message] of cases) it(JSON.stringify(q), () => assert.equal(errorOf(q), message));

  it('reports line and column of a multi-line query', () => {
    const c = compileQuery('type:a\n  acter:b', { nowSeconds: NOW });
    assert.equal(c.ok, false);
    if (!c.ok) assert.deepEqual([c.error.line, c.error.column, c.error.offset], [2, 3, 9]);
  });

  it('refuses an over-long or over-deep query without throwing', () => {
    assert.match(errorOf('a'.repeat(3000)), /longer than 2000/);
    assert.match(errorOf('('.repeat(40) + 'a' + ')'.repeat(40)), /nested deeper than 32/);
    assert.match(errorOf(Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ')), /more than 64 terms/);
  });
});

describe('hostile input stays data', () => {
  let archive: AuditArchive;
  before(async () => (archive = await craftedArchive()));
  after(() => archive.close());

  it('SQL-looking text is a bound value, not SQL', () => {
    assert.deepEqual(find(archive, `"DROP TABLE events; --"`), ['evt_project_updated']);
    assert.deepEqual(find(archive, `type:"x' OR 1=1 --"`), []);
    assert.deepEqual(find(archive, `actor:"' OR ''='"`), []);
    assert.deepEqual(find(archive, `resource:"1) OR (1=1"`), []);
    assert.equal(archive.count(), 6, 'the table is still there');
  });

  it('quotes inside values and phrases', () => {
    assert.deepEqual(find(archive, `"O'Brien"`), ['evt_project_updated']);
    assert.deepEqual(find(archive, `"\\"quoted\\" name"`), ['evt_project_updated']);
    assert.deepEqual(find(archive, `changes_requested.title:"O'Brien \\"quoted\\" name; DROP TABLE events; --"`), ['evt_project_updated']);
  });

  it('% and _ in LIKE patterns match themselves, not any text', () => {
    assert.deepEqual(find(archive, 'ip:%'), []);
    assert.deepEqual(find(archive, 'ip:%*'), []);
    assert.deepEqual(find(archive, 'ip:198_51*'), []);
    assert.deepEqual(find(archive, 'project:%'), []);
    assert.deepEqual(find(archive, 'project:_tlas*'), []);
    assert.deepEqual(find(archive, 'payload.error_message:*'), ['evt_login_failed']);
    assert.deepEqual(find(archive, 'payload.error_message:"bad password 100% _wrong_*"'), [], 'a quoted * is literal');
    assert.deepEqual(find(archive, 'payload.error_message:bad*'), ['evt_login_failed']);
    assert.deepEqual(find(archive, '"100% _wrong_"'), ['evt_login_failed']);
    assert.deepEqual(find(archive, '"100_ %wrong%"'), []);
  });

  it('backslashes match themselves in LIKE patterns and phrases', () => {
    assert.deepEqual(find(archive, '"C:\\\\path\\\\x"'), ['evt_login_failed']);
    assert.deepEqual(find(archive, 'payload.error_message:*'), ['evt_login_failed']);
    assert.deepEqual(find(archive, 'resource:\\*'), []);
    assert.deepEqual(find(archive, 'ua:\\'), []);
  });

  it('FTS5 operators in words are only words', () => {
    assert.deepEqual(find(archive, 'password NEAR bad'), []);
    assert.deepEqual(find(archive, '"password" OR "ada"'), ['evt_key_created', 'evt_login_failed', 'evt_project_updated']);
  });

  it('a hostile event type (quotes, brackets, $, newlines) never makes a payload path throw', async () => {
    const hostile = await AuditArchive.open(MEMORY);
    try {
      const types = ['a"b.c', 'x\\y', 'p]q[0]', '$.z', 'new\nline', 'ü.ß', "it's"];
      hostile.commitWindow(parsed(types.map((t, i) => ({ id: `e${i}`, type: t, effective_at: 1000 + i, actor: { type: 'session' }, [t]: { k: 'v' } }))));
      const n = hostile.count(withSearch({}, 'payload.k:v', NOW));
      assert.ok(n >= 5, `most hostile types still match (${n})`);
      assert.equal(hostile.count(withSearch({}, 'some.path:v', NOW)), 0);
    } finally {
      hostile.close();
    }
  });
});
