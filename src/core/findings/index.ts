/**
 * Findings (issue 13): detection rules with a severity over the archive. Rules are data (ruleSchema.ts; the
 * built-in ones in builtinRules.ts, a user's from the settings), compiled to predicates over one event's facts
 * (predicate.ts, eventFacts.ts), run incrementally by the engine (engine.ts, detect.ts) and stored in the
 * archive's findings tables (findingsStore.ts). No VS Code here.
 */
export { applyOverrides, effectiveRules, type RuleOverrides } from './ruleSet';
export { BUILTIN_RULES, BUILTIN_RULE_IDS } from './builtinRules';
export { FindingsEngine, type EvaluationResult } from './engine';
export { listFindings, setReviewed, severityRank, unreviewedCounts, type Finding } from './findingsStore';
export { parseRules, RuleSchema, SEVERITIES, type Rule, type RuleInput, type RuleProblem, type Severity } from './ruleSchema';
