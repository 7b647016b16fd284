/**
 * The diff editor's documents: a value before the retained history is a
 * comment line (said so in a header line), never a JSON string that reads
 * like a real value; with every value known the text is plain JSON.
 */
import * as assert from 'node:assert/strict';
import { diffChanges, UNKNOWN_BEFORE_TEXT } from '../../../src/core/analysis/changes';
import type { AuditEvent } from '../../../src/core/model';
import { changeDocumentTexts } from '../../../src/webviews/eventDetails/changeDocuments';

const WORDS = { unknown: 'unknown (before retained history)', onlyTheseKnown: 'only these changes are known:', header: 'Fields written as comments lie before the retained history.' };
const actor = { type: 'session', session: { user: { id: 'u', email: 'a@example.com' } } };
const T0 = 1_750_000_000;

/** The JSON left when the comment lines are dropped (the documents' comments are whole lines). */
function withoutComments(text: string): unknown {
  return JSON.parse(text.split('\n').filter((l) => !l.trim().startsWith('//')).join('\n'));
}

describe('event details: diff editor documents', () => {
  it('writes plain JSON when every value is known', () => {
    const created: AuditEvent = { id: 'c', type: 'role.created', effective_at: T0, actor, 'role.created': { id: 'r', role_name: 'Ops', permissions: ['a'] } };
    const updated: AuditEvent = { id: 'u', type: 'role.updated', effective_at: T0 + 1, actor, 'role.updated': { id: 'r', changes_requested: { role_name: 'Dev', permissions_added: ['b'] } } };
    const texts = changeDocumentTexts(diffChanges(updated, [updated, created])!, WORDS);
    assert.equal(texts.before, `${JSON.stringify({ role_name: 'Ops', permissions: ['a'] }, null, 2)}\n`);
    assert.deepEqual(JSON.parse(texts.after), { role_name: 'Dev', permissions: ['a', 'b'] });
  });

  it('writes an unknown before as a comment line with a header, distinct from an API value that spells the same words', () => {
    // No creation in the history: title and settings.b are unknown; settings.a was set by an earlier update
    // to the very text of the placeholder, which stays a JSON string.
    const earlier: AuditEvent = { id: 'p1', type: 'project.updated', effective_at: T0, actor, 'project.updated': { id: 'p', changes_requested: { settings: { a: UNKNOWN_BEFORE_TEXT } } } };
    const target: AuditEvent = { id: 'p2', type: 'project.updated', effective_at: T0 + 1, actor, 'project.updated': { id: 'p', changes_requested: { title: 'New', settings: { a: 'x', b: 'y' } } } };
    const { before, after } = changeDocumentTexts(diffChanges(target, [target, earlier])!, WORDS);
    const lines = before.split('\n');
    assert.equal(lines[0], `// ${WORDS.header}`);
    assert.ok(lines.includes(`  // "title": ${WORDS.unknown}`), before);
    assert.ok(lines.includes(`    // "b": ${WORDS.unknown}`), before);
    assert.deepEqual(withoutComments(before), { settings: { a: UNKNOWN_BEFORE_TEXT } });
    assert.doesNotMatch(after, /\/\//);
    assert.deepEqual(JSON.parse(after), { title: 'New', settings: { a: 'x', b: 'y' } });
  });

  it('writes a list known only by its changes as a comment in the after document too, and a note as a header line', () => {
    const target: AuditEvent = { id: 'r2', type: 'role.updated', effective_at: T0, actor, 'role.updated': { id: 'r', changes_requested: { role_name: 'X', permissions_added: ['b'], permissions_removed: ['a'] } } };
    const { before, after } = changeDocumentTexts(diffChanges(target, [])!, { ...WORDS, note: 'The earlier events could not be fetched\n(offline).' });
    assert.equal(before.split('\n')[0], '// The earlier events could not be fetched (offline).');
    assert.deepEqual(withoutComments(before), {});
    assert.ok(after.split('\n').includes(`  // "permissions": ${WORDS.unknown} ${WORDS.onlyTheseKnown} {"added":["b"],"removed":["a"]}`), after);
    assert.deepEqual(withoutComments(after), { role_name: 'X' });
  });

  it('keeps a hostile key inside its comment line (line breaks escaped)', () => {
    const key = 'a\n"b": 1,\u2028c';
    const target: AuditEvent = { id: 'h', type: 'project.updated', effective_at: T0, actor, 'project.updated': { id: 'p', changes_requested: { [key]: 'v' } } };
    const { before, after } = changeDocumentTexts(diffChanges(target, [])!, WORDS);
    const comments = before.split('\n').filter((l) => l.trim().startsWith('//'));
    assert.equal(comments.length, 2, before);
    assert.deepEqual(withoutComments(before), {});
    assert.doesNotMatch(before + after, /\u2028/);
    assert.deepEqual(JSON.parse(after), { [key]: 'v' });
  });
});
