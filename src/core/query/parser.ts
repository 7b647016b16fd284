/**
 * A small recursive-descent parser for the query language (see ast.ts).
 *
 * Why not `liqe`: it parses Lucene-like text well, but it rejects unquoted
 * values our users type all day (`ip:198.51.100.23`, `ip:2001:db8::1`,
 * emails with `+`), its errors carry no "did you mean", and wrapping it would
 * mean a pre-tokenizer as large as this file. Here a term's value runs to the
 * next space or parenthesis, so an IP or an email needs no quotes.
 *
 * Grammar (AND binds tighter than OR; juxtaposition is AND):
 *   query   := or?
 *   or      := and ( "OR" and )*
 *   and     := unary ( "AND"? unary )*
 *   unary   := ( "NOT" | "-" ) unary | primary
 *   primary := "(" or ")" | term
 *   term    := field ":" value | word | "phrase"
 */
import { queryError, type QueryError, type QueryNode, type Result, type Span } from './ast';

export const MAX_QUERY_LENGTH = 2_000;
const MAX_TERMS = 64;
const MAX_DEPTH = 32;

type Token =
  | (Span & { readonly t: '(' | ')' | '-' | 'OR' | 'AND' | 'NOT' })
  | (Span & { readonly t: 'word'; readonly text: string })
  | (Span & { readonly t: 'phrase'; readonly text: string })
  | (Span & { readonly t: 'field'; readonly field: string; readonly value: string; readonly quoted: boolean; readonly valueOffset: number });

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const STOP = /[\s()"]/;

/** Parses `text`; an empty (or all-space) query is `undefined`: everything matches. */
export function parseQuery(text: string): Result<QueryNode | undefined> {
  if (text.length > MAX_QUERY_LENGTH) return queryError(text, MAX_QUERY_LENGTH, `query longer than ${MAX_QUERY_LENGTH} characters`);
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return tokens;
  if (tokens.filter((t) => t.t === 'word' || t.t === 'phrase' || t.t === 'field').length > MAX_TERMS) {
    return queryError(text, 0, `more than ${MAX_TERMS} terms`);
  }
  return new Parser(text, tokens).parse();
}

// ---- tokens ---------------------------------------------------------------

type Tokens = Token[] | { ok: false; error: QueryError };

function tokenize(text: string): Tokens {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ t: ch, offset: i, length: 1 });
      i++;
    } else if (ch === '-' && i + 1 < text.length && !/\s/.test(text[i + 1]!) && text[i + 1] !== ')') {
      out.push({ t: '-', offset: i, length: 1 });
      i++;
    } else if (ch === '"') {
      const q = quoted(text, i);
      if (!q.ok) return q;
      out.push({ t: 'phrase', text: q.value, offset: i, length: q.end - i });
      i = q.end;
    } else {
      const start = i;
      while (i < text.length && !STOP.test(text[i]!)) i++;
      const word = text.slice(start, i);
      const colon = word.indexOf(':');
      if (colon > 0 && FIELD_NAME.test(word.slice(0, colon))) {
        const field = word.slice(0, colon);
        let value = word.slice(colon + 1);
        let isQuoted = false;
        const valueOffset = start + colon + 1;
        if (value === '' && text[i] === '"') {
          const q = quoted(text, i);
          if (!q.ok) return q;
          value = q.value;
          isQuoted = true;
          i = q.end;
        }
        if (value === '' && !isQuoted) return queryError(text, valueOffset, `missing value for "${field}"`);
        out.push({ t: 'field', field, value, quoted: isQuoted, valueOffset, offset: start, length: i - start });
      } else if (word === 'OR' || word === 'AND' || word === 'NOT') {
        out.push({ t: word, offset: start, length: word.length });
      } else if (word === '||' || word === '&&') {
        out.push({ t: word === '||' ? 'OR' : 'AND', offset: start, length: 2 });
      } else {
        out.push({ t: 'word', text: word, offset: start, length: word.length });
      }
    }
  }
  return out;
}

/** A double-quoted string from `start`: `\"` and `\\` are escapes; other backslashes stay as typed. */
function quoted(text: string, start: number): { ok: true; value: string; end: number } | { ok: false; error: QueryError } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i++;
    } else if (ch === '"') {
      return { ok: true, value, end: i + 1 };
    } else {
      value += ch;
    }
  }
  return queryError(text, start, 'unterminated quote');
}

// ---- tree -----------------------------------------------------------------

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): Result<QueryNode | undefined> {
    if (this.tokens.length === 0) return { ok: true, value: undefined };
    const node = this.or();
    if (!node.ok) return node;
    const rest = this.tokens[this.i];
    if (rest) return this.fail(rest.offset, rest.t === ')' ? 'unexpected ")" with no "(" before it' : `unexpected ${describe(rest)}`);
    return node;
  }

  private or(): Result<QueryNode> {
    const first = this.peek();
    if (first?.t === 'OR' || first?.t === 'AND') return this.fail(first.offset, `${first.t} needs a term before it`);
    const left = this.and();
    if (!left.ok) return left;
    const children: QueryNode[] = [left.value];
    while (this.peek()?.t === 'OR') {
      const op = this.next()!;
      if (!this.startsUnary()) return this.fail(op.offset, 'OR needs a term after it');
      const right = this.and();
      if (!right.ok) return right;
      children.push(right.value);
    }
    return { ok: true, value: children.length === 1 ? children[0]! : bool('or', children) };
  }

  private and(): Result<QueryNode> {
    const children: QueryNode[] = [];
    for (;;) {
      const p = this.peek();
      if (p?.t === 'AND') {
        this.next();
        if (children.length === 0) return this.fail(p.offset, 'AND needs a term before it');
        if (!this.startsUnary()) return this.fail(p.offset, 'AND needs a term after it');
      } else if (!this.startsUnary()) {
        break;
      }
      const node = this.unary();
      if (!node.ok) return node;
      children.push(node.value);
    }
    if (children.length === 0) {
      const p = this.peek();
      return this.fail(p?.offset ?? this.text.length, p ? `unexpected ${describe(p)}` : 'the query ends where a term was expected');
    }
    return { ok: true, value: children.length === 1 ? children[0]! : bool('and', children) };
  }

  private unary(): Result<QueryNode> {
    const p = this.peek()!;
    if (p.t === 'NOT' || p.t === '-') {
      this.next();
      if (!this.startsUnary()) return this.fail(p.offset, `nothing to negate after ${p.t === '-' ? '"-"' : 'NOT'}`);
      const child = this.nested(() => this.unary());
      if (!child.ok) return child;
      return { ok: true, value: { kind: 'not', child: child.value, offset: p.offset, length: end(child.value) - p.offset } };
    }
    return this.primary();
  }

  private primary(): Result<QueryNode> {
    const p = this.next()!;
    switch (p.t) {
      case '(': {
        if (this.peek()?.t === ')') return this.fail(p.offset, 'empty parentheses');
        const inner = this.nested(() => this.or());
        if (!inner.ok) return inner;
        const close = this.next();
        if (close?.t !== ')') return this.fail(p.offset, close ? `missing ")" for this "(" (found ${describe(close)})` : 'missing ")" for this "("');
        return inner;
      }
      case 'word': {
        const prefix = p.text.length > 1 && p.text.endsWith('*');
        return { ok: true, value: { kind: 'text', value: prefix ? p.text.slice(0, -1) : p.text, prefix, phrase: false, offset: p.offset, length: p.length } };
      }
      case 'phrase':
        return { ok: true, value: { kind: 'text', value: p.text, prefix: false, phrase: true, offset: p.offset, length: p.length } };
      case 'field': {
        const prefix = !p.quoted && p.value.endsWith('*');
        return {
          ok: true,
          value: {
            kind: 'field',
            field: p.field,
            value: prefix ? p.value.slice(0, -1) : p.value,
            prefix,
            quoted: p.quoted,
            valueOffset: p.valueOffset,
            offset: p.offset,
            length: p.length,
          },
        };
      }
      default:
        return this.fail(p.offset, `unexpected ${describe(p)}`);
    }
  }

  private nested<T>(body: () => Result<T>): Result<T> {
    if (++this.depth > MAX_DEPTH) return this.fail(this.peek()?.offset ?? 0, `nested deeper than ${MAX_DEPTH}`);
    try {
      return body();
    } finally {
      this.depth--;
    }
  }

  private startsUnary(): boolean {
    const t = this.peek()?.t;
    return t === '(' || t === '-' || t === 'NOT' || t === 'word' || t === 'phrase' || t === 'field';
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token | undefined {
    return this.tokens[this.i++];
  }

  private fail(offset: number, what: string): { ok: false; error: QueryError } {
    return queryError(this.text, offset, what);
  }
}

function bool(kind: 'and' | 'or', children: QueryNode[]): QueryNode {
  const offset = children[0]!.offset;
  return { kind, children, offset, length: end(children[children.length - 1]!) - offset };
}

function end(node: Span): number {
  return node.offset + node.length;
}

function describe(t: Token): string {
  switch (t.t) {
    case 'word':
    case 'phrase':
      return `"${t.text.slice(0, 40)}"`;
    case 'field':
      return `"${t.field}:"`;
    default:
      return `"${t.t}"`;
  }
}
