/**
 * A validated rule made ready to run: its predicates compiled, its paths split, the type globs the archive
 * filters on, and its text filled from an event's values.
 */
import { clipDisplayText } from '../text/displayText';
import type { EventFacts } from './eventFacts';
import { compilePredicate, firstText, splitPath, typePatterns, type CompiledPredicate } from './predicate';
import type { Rule, Severity } from './ruleSchema';

type Paths = ReturnType<typeof splitPath>[];

export interface CompiledRule {
  readonly rule: Rule;
  readonly match: CompiledPredicate;
  readonly then: CompiledPredicate | undefined;
  readonly group: Paths;
  readonly distinctOf: Paths;
  readonly value: Paths;
  /** Type globs of `match` (and `then`): undefined when the rule can match any type. */
  readonly types: string[] | undefined;
  readonly cases: { when: CompiledPredicate; severity?: Severity; title?: string; explanation?: string }[];
}

const paths = (p: string | string[] | undefined): Paths => (p === undefined ? [] : (Array.isArray(p) ? p : [p]).map(splitPath));

export function compileRule(rule: Rule): CompiledRule {
  const matchTypes = typePatterns(rule.match);
  const thenTypes = rule.then ? typePatterns(rule.then) : [];
  return {
    rule,
    match: compilePredicate(rule.match),
    then: rule.then ? compilePredicate(rule.then) : undefined,
    group: paths(rule.group),
    distinctOf: paths(rule.distinctOf),
    value: paths(rule.value),
    types: matchTypes && thenTypes ? [...new Set([...matchTypes, ...thenTypes])] : undefined,
    cases: (rule.cases ?? []).map((c) => ({ ...c, when: compilePredicate(c.when) })),
  };
}

/** The severity, title and explanation for an event: the first case whose `when` holds, over the rule's own. */
export function describeFinding(r: CompiledRule, facts: EventFacts): { severity: Severity; title: string; explanation: string } {
  const c = r.cases.find((x) => x.when(facts));
  return {
    severity: c?.severity ?? r.rule.severity,
    title: fillTemplate(c?.title ?? r.rule.title, facts),
    explanation: fillTemplate(c?.explanation ?? r.rule.explanation, facts),
  };
}

/** `{path}` (or `{path|other}`: the first that has a value) replaced by the event's value there (one safe line, at most 80 characters), or "unknown". */
export function fillTemplate(template: string, facts: EventFacts): string {
  return template.replace(/\{([^{}]{1,100})\}/gu, (_, path: string) => {
    const value = firstText(facts, path.split('|').map((p) => splitPath(p.trim())));
    return value === undefined ? 'unknown' : clipDisplayText(value, 80);
  });
}

/** The group key of an event, or undefined when it has none (it then counts for no group). */
export function groupKey(r: CompiledRule, facts: EventFacts): string | undefined {
  return firstText(facts, r.group);
}
