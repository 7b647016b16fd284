/**
 * The query language's tree and its errors. A query is one line in the
 * syntax of Kibana, Datadog or GitHub's audit log: `field:value` terms, bare
 * words and "quoted phrases", `-`/`NOT`, `OR`, parentheses, a `*` suffix.
 * Errors are values (with where they are), never exceptions.
 */

/** Where a piece of the query starts: a 0-based offset into the text. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** `field:value` (the field as typed; `prefix` when the value ended with an unquoted `*`). */
export interface FieldTerm extends Span {
  readonly kind: 'field';
  readonly field: string;
  readonly value: string;
  readonly prefix: boolean;
  readonly quoted: boolean;
  /** Where the value starts (for a message about the value). */
  readonly valueOffset: number;
}

/** A bare word (`prefix` for `word*`) or a "quoted phrase": free text, matched by the full-text index. */
export interface TextTerm extends Span {
  readonly kind: 'text';
  readonly value: string;
  readonly prefix: boolean;
  readonly phrase: boolean;
}

export interface NotNode extends Span {
  readonly kind: 'not';
  readonly child: QueryNode;
}

export interface BoolNode extends Span {
  readonly kind: 'and' | 'or';
  readonly children: readonly QueryNode[];
}

export type QueryNode = FieldTerm | TextTerm | NotNode | BoolNode;

export interface QueryError {
  /** The whole message, position included: `unknown field "acter" at 1:1, did you mean actor?` */
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: QueryError };

/** Line and column (1-based) of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** An error value: `what` then ` at line:column`, then `hint` (", did you mean actor?"). */
export function queryError(text: string, offset: number, what: string, hint = ''): { ok: false; error: QueryError } {
  const { line, column } = positionOf(text, offset);
  return { ok: false, error: { message: `${what} at ${line}:${column}${hint}`, offset, line, column } };
}
