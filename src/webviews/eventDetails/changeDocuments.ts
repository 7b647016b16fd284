/**
 * The two documents of *Open Changes in Diff Editor*: before and after of an
 * update, as JSON with comments (JSONC). A value that is not known (it lies
 * before the retained history) is never written as a JSON value, where it
 * would read like a real string "unknown (before retained history)" (and an
 * API could even send that string): it is a comment line in its object,
 * `// "title": unknown (before retained history)`, and a header line says
 * what those comments mean. With everything known the text is plain JSON.
 * No VS Code here: the controller passes the localized words.
 */
import { fieldPath, type ChangeDiff } from '../../core/analysis/changes';
import { boundDepth } from '../../core/text/valueDepth';

/** A field whose value is not known; `known` carries what is (the elements added and removed since). */
class Unknown {
  constructor(readonly known?: { readonly added: readonly unknown[]; readonly removed: readonly unknown[] }) {}
}

type Tree = { [key: string]: unknown };

export interface ChangeDocumentWords {
  /** The comment after a field's name: "unknown (before retained history)". */
  readonly unknown: string;
  /** Before the elements known of a list whose whole value is not: "only these changes are known:". */
  readonly onlyTheseKnown: string;
  /** The header line of a document with such comments. */
  readonly header: string;
  /** A header line of the before document, e.g. why the earlier events are missing. */
  readonly note?: string;
}

function put(target: Tree, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

function putPath(target: Tree, path: readonly string[], value: unknown): void {
  let at = target;
  for (const seg of path.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(at, seg) ? at[seg] : undefined;
    if (isTree(next)) at = next;
    else {
      const made: Tree = {};
      put(at, seg, made);
      at = made;
    }
  }
  put(at, path[path.length - 1]!, value);
}

function trees(diff: ChangeDiff): { before: Tree; after: Tree } {
  const before: Tree = {};
  const after: Tree = {};
  for (const row of diff.rows) {
    const path = fieldPath(row.field);
    if (row.before.kind === 'known') putPath(before, path, boundDepth(row.before.value));
    else if (row.before.kind === 'unknown') putPath(before, path, new Unknown());
    if (row.after.kind === 'known') putPath(after, path, boundDepth(row.after.value));
    else {
      const of = (status: string) => (row.elements ?? []).filter((e) => e.status === status).map((e) => boundDepth(e.value));
      putPath(after, path, new Unknown({ added: of('added'), removed: of('removed') }));
    }
  }
  return { before, after };
}

/** An object's lines: its unknown fields first, as comments (so no comma is left dangling), then its JSON fields. */
function objectLines(tree: Tree, indent: string, words: ChangeDocumentWords): string[] {
  const inner = `${indent}  `;
  const entries = Object.entries(tree);
  const comments = entries
    .filter(([, v]) => v instanceof Unknown)
    .map(([k, v]) => {
      const known = (v as Unknown).known;
      const elements = known ? ` ${words.onlyTheseKnown} ${JSON.stringify(known)}` : '';
      return `${inner}// ${JSON.stringify(k)}: ${words.unknown}${elements}`;
    });
  const fields = entries.filter(([, v]) => !(v instanceof Unknown));
  const values = fields.map(([k, v], i) => {
    const text = isTree(v) ? objectText(v, inner, words) : JSON.stringify(v, null, 2).replace(/\n/g, `\n${inner}`);
    return `${inner}${JSON.stringify(k)}: ${text}${i < fields.length - 1 ? ',' : ''}`;
  });
  return [...comments, ...values];
}

function objectText(tree: Tree, indent: string, words: ChangeDocumentWords): string {
  const lines = objectLines(tree, indent, words);
  return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`;
}

function hasUnknown(tree: Tree): boolean {
  return Object.values(tree).some((v) => v instanceof Unknown || (isTree(v) && hasUnknown(v)));
}

function documentText(tree: Tree, words: ChangeDocumentWords, note?: string): string {
  const header = [...(note ? [note] : []), ...(hasUnknown(tree) ? [words.header] : [])].map((line) => `// ${line.replace(/[\r\n\u2028\u2029]+/g, ' ')}\n`);
  // U+2028/U+2029 appear only inside JSON strings (and keys in comments): escaped, so no editor can break a line there.
  const body = objectText(tree, '', words).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `${header.join('')}${body}\n`;
}

/** The before and after texts of a diff: JSON, with comments only where a value is not known. */
export function changeDocumentTexts(diff: ChangeDiff, words: ChangeDocumentWords): { before: string; after: string } {
  const { before, after } = trees(diff);
  return { before: documentText(before, words, words.note), after: documentText(after, words) };
}
