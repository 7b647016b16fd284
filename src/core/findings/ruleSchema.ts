/**
 * The rule format of findings, as data: the built-in rules and a user's own (`openaiAuditLogs.findings.rules`)
 * are the same JSON, validated here with zod. A rule has a `match` (a small JSON predicate over one event),
 * a severity and text, and one of four shapes:
 *
 * - `each` (default): every matching event is a finding of its own;
 * - `threshold`: events grouped by `group` raise one finding when, within `windowSeconds`, there are at least
 *   `count` of them, or at least `distinct` different values of `distinctOf`;
 * - `sequence`: at least `count` events matching `match`, followed within `windowSeconds` by one matching
 *   `then`, with the same `group` value;
 * - `firstSeen`: the first event of a group (`group`, e.g. the actor) with a `value` (e.g. the country) not
 *   seen for that group before, once the group has been seen with another value.
 *
 * `cases` refine one event's severity and title (the first whose `when` matches wins). Titles and
 * explanations may name an event's values as `{path}`; they are displayed as plain text.
 */
import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A literal a predicate compares with. */
const Literal = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Literal = z.infer<typeof Literal>;

/** One or several field paths (any of them may satisfy the test). */
const Paths = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A field test: exactly one operator. */
const FieldTest = z
  .object({
    path: Paths,
    equals: Literal.optional(),
    in: z.array(Literal).min(1).optional(),
    contains: z.string().optional(),
    matches: z.string().optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ops = (['equals', 'in', 'contains', 'matches', 'exists'] as const).filter((k) => t[k] !== undefined);
    if (ops.length !== 1) ctx.addIssue({ code: 'custom', message: `a field test needs exactly one of equals, in, contains, matches, exists (has ${ops.length})` });
    if (t.matches !== undefined) {
      try {
        new RegExp(t.matches, 'iu');
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `"matches" is not a regular expression: ${(e as Error).message}` });
      }
    }
  });

export type Predicate =
  | { type: string | string[] }
  | { all: Predicate[] }
  | { any: Predicate[] }
  | { not: Predicate }
  | z.infer<typeof FieldTest>;

export const PredicateSchema: z.ZodType<Predicate> = z.lazy(() =>
  z.union([
    z.object({ type: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]) }).strict(),
    z.object({ all: z.array(PredicateSchema).min(1) }).strict(),
    z.object({ any: z.array(PredicateSchema).min(1) }).strict(),
    z.object({ not: PredicateSchema }).strict(),
    FieldTest,
  ]),
);

const Text = z.string().min(1).max(500);
const Case = z.object({ when: PredicateSchema, severity: z.enum(SEVERITIES).optional(), title: Text.optional(), explanation: Text.optional() }).strict();

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/u, 'lowercase letters, digits, ".", "_" or "-", at most 64'),
    severity: z.enum(SEVERITIES),
    title: Text,
    explanation: Text,
    match: PredicateSchema,
    kind: z.enum(['each', 'threshold', 'sequence', 'firstSeen']).default('each'),
    cases: z.array(Case).optional(),
    group: Paths.optional(),
    count: z.number().int().min(1).max(100_000).optional(),
    distinct: z.number().int().min(2).max(100_000).optional(),
    distinctOf: Paths.optional(),
    windowSeconds: z.number().int().min(1).max(366 * 86_400).optional(),
    then: PredicateSchema.optional(),
    value: Paths.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((r, ctx) => {
    const need = (field: keyof typeof r, why: string) => {
      if (r[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${r.kind} rules need "${field}" (${why})` });
    };
    if (r.kind === 'threshold') {
      need('group', 'what the events are counted by');
      need('windowSeconds', 'the time window');
      if (r.count === undefined && r.distinct === undefined) ctx.addIssue({ code: 'custom', message: 'threshold rules need "count" or "distinct"' });
      if (r.distinct !== undefined) need('distinctOf', 'what is counted distinct');
    }
    if (r.kind === 'sequence') {
      need('group', 'what ties the events together');
      need('windowSeconds', 'the time window');
      need('then', 'the event that completes the sequence');
    }
    if (r.kind === 'firstSeen') {
      need('group', 'whose values are remembered');
      need('value', 'the value that is new');
    }
  });

/** A validated rule (defaults applied). */
export type Rule = z.infer<typeof RuleSchema>;
/** A rule as written (before defaults). */
export type RuleInput = z.input<typeof RuleSchema>;

/** A rule that did not validate: its name (its id, or its position) and what is wrong. */
export interface RuleProblem {
  readonly rule: string;
  readonly problem: string;
}

/** Validates each rule on its own: a bad one is reported and the others still run. */
export function parseRules(input: unknown, origin: string): { rules: Rule[]; problems: RuleProblem[] } {
  const rules: Rule[] = [];
  const problems: RuleProblem[] = [];
  if (input === undefined || input === null) return { rules, problems };
  if (!Array.isArray(input)) return { rules, problems: [{ rule: origin, problem: 'must be a list of rules' }] };
  input.forEach((raw, i) => {
    const name = nameOf(raw, `${origin}[${i}]`);
    const parsed = RuleSchema.safeParse(raw);
    if (parsed.success) rules.push(parsed.data);
    else problems.push({ rule: name, problem: parsed.error.issues.map((x) => (x.path.length ? `${x.path.join('.')}: ${x.message}` : x.message)).join('; ') });
  });
  return { rules, problems };
}

function nameOf(raw: unknown, fallback: string): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id.slice(0, 64) : fallback;
}
