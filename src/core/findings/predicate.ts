/**
 * A rule's JSON predicate, compiled once to a function of one event's facts. Paths are dotted; a segment with
 * `*` matches keys by glob (case-insensitive), so `detail.changes_requested.*mfa*` reads every key naming
 * MFA. A path that reaches an array tests its elements (any of them may satisfy the test). Type patterns are
 * globs too (`api_key.*`), and {@link typePatterns} extracts them so the archive reads only the events whose
 * type a rule can match.
 */
import type { EventFacts } from './eventFacts';
import type { Literal, Predicate } from './ruleSchema';

export type CompiledPredicate = (facts: EventFacts) => boolean;

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`, 'iu');
}

export function compilePredicate(p: Predicate): CompiledPredicate {
  if ('type' in p) {
    const patterns = (Array.isArray(p.type) ? p.type : [p.type]).map(globToRegExp);
    const known = new Map<string, boolean>();
    return (f) => {
      const type = f.event.type;
      let hit = known.get(type);
      if (hit === undefined) known.set(type, (hit = patterns.some((r) => r.test(type))));
      return hit;
    };
  }
  if ('all' in p) {
    const parts = p.all.map(compilePredicate);
    return (f) => parts.every((c) => c(f));
  }
  if ('any' in p) {
    const parts = p.any.map(compilePredicate);
    return (f) => parts.some((c) => c(f));
  }
  if ('not' in p) {
    const inner = compilePredicate(p.not);
    return (f) => !inner(f);
  }
  const paths = (Array.isArray(p.path) ? p.path : [p.path]).map(splitPath);
  const test = valueTest(p);
  if (p.exists !== undefined) {
    const want = p.exists;
    const present = (v: unknown) => v !== null && v !== undefined;
    return (f) => paths.some((path) => anyAt(f, path, present)) === want;
  }
  return (f) => paths.some((path) => anyAt(f, path, test));
}

/** Whether any value at `path` passes `test`, walking without collecting (the hot path of every rule). */
export function anyAt(facts: EventFacts, path: readonly Segment[], test: (v: unknown) => boolean): boolean {
  const head = path[0];
  return typeof head === 'string' && walk(facts.root(head), path, 1, test);
}

function walk(value: unknown, path: readonly Segment[], i: number, test: (v: unknown) => boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => walk(v, path, i, test));
  if (i === path.length) return test(value);
  if (typeof value !== 'object' || value === null) return false;
  const seg = path[i]!;
  if (typeof seg === 'string') return Object.prototype.hasOwnProperty.call(value, seg) && walk((value as Record<string, unknown>)[seg], path, i + 1, test);
  for (const [k, child] of Object.entries(value)) if (seg.test(k) && walk(child, path, i + 1, test)) return true;
  return false;
}

function valueTest(p: { equals?: Literal; in?: Literal[]; contains?: string; matches?: string }): (v: unknown) => boolean {
  if (p.equals !== undefined) {
    const want = p.equals;
    return (v) => sameLiteral(v, want);
  }
  if (p.in !== undefined) {
    const options = p.in;
    return (v) => options.some((o) => sameLiteral(v, o));
  }
  if (p.contains !== undefined) {
    const needle = p.contains.toLowerCase();
    return (v) => typeof v === 'string' && v.toLowerCase().includes(needle);
  }
  const re = new RegExp(p.matches ?? '', 'iu');
  return (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && re.test(String(v));
}

/** Strings compare case-insensitively (`OWNER` is `owner`); other literals strictly. */
function sameLiteral(v: unknown, want: Literal): boolean {
  if (typeof v === 'string' && typeof want === 'string') return v.toLowerCase() === want.toLowerCase();
  return v === want;
}

type Segment = string | RegExp;

export function splitPath(path: string): Segment[] {
  return path.split('.').map((s) => (s.includes('*') ? globToRegExp(s) : s));
}

/** Every value at `path` (arrays along the way are walked element by element). */
export function readPath(facts: EventFacts, path: readonly Segment[]): unknown[] {
  const [head, ...rest] = path;
  if (typeof head !== 'string') return [];
  let values: unknown[] = flatten([facts.root(head)]);
  for (const seg of rest) {
    const next: unknown[] = [];
    for (const v of values) {
      if (typeof v !== 'object' || v === null) continue;
      if (typeof seg === 'string') {
        if (Object.prototype.hasOwnProperty.call(v, seg)) next.push((v as Record<string, unknown>)[seg]);
      } else {
        for (const [k, child] of Object.entries(v)) if (seg.test(k)) next.push(child);
      }
    }
    values = flatten(next);
  }
  return values;
}

function flatten(values: unknown[]): unknown[] {
  return values.some(Array.isArray) ? values.flatMap((v) => (Array.isArray(v) ? v : [v])) : values;
}

/** The first value at any of `paths` as text (for grouping keys and titles), or undefined. */
export function firstText(facts: EventFacts, paths: readonly (readonly Segment[])[]): string | undefined {
  let found: string | undefined;
  const take = (v: unknown): boolean => {
    if (typeof v === 'string' && v !== '') found = v;
    else if (typeof v === 'number' || typeof v === 'boolean') found = String(v);
    return found !== undefined;
  };
  for (const path of paths) if (anyAt(facts, path, take)) return found;
  return undefined;
}

/**
 * The type globs an event must match for `p` to hold, or undefined when any type could (a rule without a
 * type test then reads every event). `all` narrows to its most specific part; `any` unions its parts.
 */
export function typePatterns(p: Predicate): string[] | undefined {
  if ('type' in p) return Array.isArray(p.type) ? [...p.type] : [p.type];
  if ('all' in p) {
    const known = p.all.map(typePatterns).filter((x): x is string[] => x !== undefined);
    return known.length === 0 ? undefined : known.reduce((a, b) => (b.length < a.length ? b : a));
  }
  if ('any' in p) {
    const parts = p.any.map(typePatterns);
    return parts.some((x) => x === undefined) ? undefined : [...new Set(parts.flat() as string[])];
  }
  return undefined;
}
