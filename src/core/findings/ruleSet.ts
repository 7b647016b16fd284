/**
 * The rules that run: the built-in ones with the user's overrides (on/off, thresholds, windows) applied,
 * then the user's own rules. A user rule whose id is a built-in one is reported, not run (ids never change
 * meaning). Every problem names its rule; the others still run.
 */
import { z } from 'zod';
import { BUILTIN_RULES } from './builtinRules';
import { parseRules, RuleSchema, type Rule, type RuleProblem } from './ruleSchema';

const Override = z
  .object({
    enabled: z.boolean().optional(),
    count: z.number().int().min(1).optional(),
    distinct: z.number().int().min(2).optional(),
    windowSeconds: z.number().int().min(1).optional(),
  })
  .strict();
export type RuleOverrides = Record<string, z.infer<typeof Override>>;

/** The built-in rules with `overrides` (by rule id) applied. */
export function applyOverrides(overrides: unknown): { rules: Rule[]; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const table = typeof overrides === 'object' && overrides !== null && !Array.isArray(overrides) ? (overrides as Record<string, unknown>) : {};
  const known = new Set(BUILTIN_RULES.map((r) => r.id));
  for (const id of Object.keys(table)) if (!known.has(id)) problems.push({ rule: id, problem: 'no built-in rule has this id' });
  const rules = BUILTIN_RULES.map((base) => {
    const o = table[base.id];
    const parsed = o === undefined ? undefined : Override.safeParse(o);
    if (parsed && !parsed.success) problems.push({ rule: base.id, problem: `override ignored: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'value'}: ${x.message}`).join('; ')}` });
    const merged = RuleSchema.safeParse({ ...base, ...(parsed?.success ? parsed.data : {}) });
    if (merged.success) return merged.data;
    problems.push({ rule: base.id, problem: `override ignored: ${merged.error.issues.map((x) => x.message).join('; ')}` });
    return RuleSchema.parse(base);
  });
  return { rules, problems };
}

/** Built-in rules (with overrides) and then the user's rules. */
export function effectiveRules(overrides: unknown, userRules: unknown): { rules: Rule[]; problems: RuleProblem[] } {
  const builtIn = applyOverrides(overrides);
  const user = parseRules(userRules, 'openaiAuditLogs.findings.rules');
  const taken = new Set(builtIn.rules.map((r) => r.id));
  const problems = [...builtIn.problems, ...user.problems];
  const rules = [...builtIn.rules];
  for (const r of user.rules) {
    if (taken.has(r.id)) problems.push({ rule: r.id, problem: 'this id is already taken (by a built-in rule or an earlier rule); give the rule its own id' });
    else {
      taken.add(r.id);
      rules.push(r);
    }
  }
  return { rules, problems };
}
