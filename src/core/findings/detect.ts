/**
 * The detection itself, over events in memory: what each kind of rule finds among candidate events. The
 * engine (engine.ts) chooses the candidates (the new events, and for windowed rules their window around
 * them) and merges the drafts into the archive; these functions neither read nor write anything.
 */
import type { AuditEvent } from '../model';
import { describeFinding, groupKey, type CompiledRule } from './compiledRule';
import { factsOf, type RoleDirectory } from './eventFacts';
import { firstText } from './predicate';
import type { Severity } from './ruleSchema';

/** An event as the engine hands it over: its archive sequence number and whether it is new in this run. */
export interface Candidate {
  readonly seq: number;
  readonly event: AuditEvent;
  readonly isNew: boolean;
}

export interface FindingDraft {
  readonly id: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly explanation: string;
  readonly groupKey: string | null;
  /** The events, oldest first. */
  readonly events: readonly { id: string; at: number }[];
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export function byTime(a: Candidate, b: Candidate): number {
  return a.event.effective_at - b.event.effective_at || a.seq - b.seq;
}

function draft(r: CompiledRule, id: string, key: string | null, events: readonly Candidate[], roles: RoleDirectory): FindingDraft {
  const text = describeFinding(r, factsOf(events[0]!.event, roles));
  const at = events.map((c) => ({ id: c.event.id, at: Math.floor(c.event.effective_at) }));
  return { id, rule: r.rule.id, ...text, groupKey: key, events: at, firstSeen: at[0]!.at, lastSeen: at[at.length - 1]!.at };
}

/** `each`: every new matching event is a finding. */
export function detectEach(r: CompiledRule, candidates: readonly Candidate[], roles: RoleDirectory): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const c of candidates) {
    if (c.isNew && r.match(factsOf(c.event, roles))) out.push(draft(r, `${r.rule.id}:${c.event.id}`, null, [c], roles));
  }
  return out;
}

/** Matching candidates by group key, each group oldest first. */
function grouped(r: CompiledRule, candidates: readonly Candidate[], roles: RoleDirectory, test = r.match): Map<string, Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const facts = factsOf(c.event, roles);
    if (!test(facts)) continue;
    const key = groupKey(r, facts);
    if (key === undefined) continue;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(c);
  }
  for (const list of groups.values()) list.sort(byTime);
  return groups;
}

/**
 * `threshold`: within any `windowSeconds`, at least `count` events (and/or `distinct` values of
 * `distinctOf`) of one group. Every event inside a window that meets it belongs to the finding; windows
 * that touch make one finding. Only clusters with a new event are reported.
 */
export function detectThreshold(r: CompiledRule, candidates: readonly Candidate[], roles: RoleDirectory): FindingDraft[] {
  const { windowSeconds = 0, count, distinct } = r.rule;
  const out: FindingDraft[] = [];
  for (const [key, list] of grouped(r, candidates, roles)) {
    const values = list.map((c) => (distinct ? (firstText(factsOf(c.event, roles), r.distinctOf) ?? '') : ''));
    const marked = new Uint8Array(list.length);
    const seen = new Map<string, number>();
    let start = 0;
    for (let end = 0; end < list.length; end++) {
      seen.set(values[end]!, (seen.get(values[end]!) ?? 0) + 1);
      while (list[end]!.event.effective_at - list[start]!.event.effective_at > windowSeconds) {
        const v = values[start++]!;
        const n = (seen.get(v) ?? 1) - 1;
        if (n === 0) seen.delete(v);
        else seen.set(v, n);
      }
      const enough = (count === undefined || end - start + 1 >= count) && (distinct === undefined || [...seen.keys()].filter((v) => v !== '').length >= distinct);
      if (enough) marked.fill(1, start, end + 1);
    }
    out.push(...clusters(list, marked, windowSeconds).filter((c) => c.some((x) => x.isNew)).map((c) => draft(r, `${r.rule.id}:${c[0]!.event.id}`, key, c, roles)));
  }
  return out;
}

/** Runs of marked events, split where two marked events are more than `gap` apart. */
function clusters(list: readonly Candidate[], marked: Uint8Array, gap: number): Candidate[][] {
  const out: Candidate[][] = [];
  let current: Candidate[] = [];
  list.forEach((c, i) => {
    if (!marked[i]) return;
    const last = current[current.length - 1];
    if (last && c.event.effective_at - last.event.effective_at > gap) {
      out.push(current);
      current = [];
    }
    current.push(c);
  });
  if (current.length) out.push(current);
  return out;
}

/**
 * `sequence`: a `then` event preceded, within `windowSeconds`, by at least `count` events matching `match`
 * of the same group (each earlier event serves one sequence). Reported when any of them is new.
 */
export function detectSequence(r: CompiledRule, candidates: readonly Candidate[], roles: RoleDirectory): FindingDraft[] {
  const { windowSeconds = 0, count = 1 } = r.rule;
  const firsts = grouped(r, candidates, roles);
  const thens = grouped(r, candidates, roles, r.then);
  const out: FindingDraft[] = [];
  for (const [key, successes] of thens) {
    const before = firsts.get(key);
    if (!before) continue;
    let used = 0;
    for (const t of successes) {
      const at = t.event.effective_at;
      while (used < before.length && before[used]!.event.effective_at < at - windowSeconds) used++;
      let end = used;
      while (end < before.length && before[end]!.event.effective_at <= at && before[end] !== t) end++;
      const run = before.slice(used, end);
      if (run.length >= count) {
        used = end;
        const events = [...run, t];
        if (events.some((c) => c.isNew)) out.push(draft(r, `${r.rule.id}:${t.event.id}`, key, events, roles));
      }
    }
  }
  return out;
}

/** One (group, value) pair of a `firstSeen` rule with its earliest event. */
export interface SeenPair {
  readonly value: string;
  readonly firstAt: number;
  readonly firstEvent: string;
}

/** The matching events' (group, value) pairs, each with its earliest event. */
export function seenPairs(r: CompiledRule, candidates: readonly Candidate[], roles: RoleDirectory): Map<string, Map<string, SeenPair>> {
  const out = new Map<string, Map<string, SeenPair>>();
  for (const c of candidates) {
    const facts = factsOf(c.event, roles);
    if (!r.match(facts)) continue;
    const key = groupKey(r, facts);
    const value = firstText(facts, r.value);
    if (key === undefined || value === undefined) continue;
    let values = out.get(key);
    if (!values) out.set(key, (values = new Map()));
    const at = Math.floor(c.event.effective_at);
    const known = values.get(value);
    if (!known || at < known.firstAt || (at === known.firstAt && c.event.id < known.firstEvent)) values.set(value, { value, firstAt: at, firstEvent: c.event.id });
  }
  return out;
}

/** The values that are new for a group: every value but the earliest one, in time order. */
export function newValues(pairs: readonly SeenPair[]): SeenPair[] {
  const sorted = [...pairs].sort((a, b) => a.firstAt - b.firstAt || (a.firstEvent < b.firstEvent ? -1 : 1));
  return sorted.slice(1);
}
