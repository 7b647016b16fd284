import * as assert from 'node:assert/strict';
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { effectiveRules, FindingsEngine, listFindings, setReviewed } from '../../../src/core/findings';
import { HOSTILE_STRINGS } from '../../../src/core/sample/sampleOrganization';
import { invisibleCharacters } from '../../../src/core/text/invisibleCharacters';
import { builtInRules, byRule, ev, findingsOf, parsed, session, T } from './helpers';

const admin = session('admin@acme.example');
const deletions = (n: number, at: number, who = admin) => Array.from({ length: n }, (_, i) => ev('project.deleted', at + i * 10, { id: `proj_${at}_${i}` }, who));

describe('findings: rules as data, settings and the incremental engine', () => {
  it('runs a user rule in the same format, and reports a bad rule by name while the others still run', () => {
    const { rules, problems } = effectiveRules({}, [
      { id: 'no-window', kind: 'threshold', severity: 'low', title: 't', explanation: 'e', match: { type: 'x.*' }, group: '$actor', count: 2 },
      { id: 'bad-regex', severity: 'low', title: 't', explanation: 'e', match: { path: 'type', matches: '(' } },
      { severity: 'low', title: 't', explanation: 'e', match: { type: 'x' } },
      { id: 'scim-disabled', severity: 'low', title: 't', explanation: 'e', match: { type: 'x' } },
      { id: 'project-archived', severity: 'low', title: 'Project {detail.id} archived', explanation: 'e', match: { type: 'project.archived' } },
    ]);
    assert.deepEqual(problems.map((p) => p.rule), ['no-window', 'bad-regex', 'openaiAuditLogs.findings.rules[2]', 'scim-disabled']);
    assert.match(problems[0]!.problem, /windowSeconds/);
    assert.match(problems[1]!.problem, /regular expression/);
    assert.match(problems[3]!.problem, /already taken/);
    assert.equal(rules.length, 12, 'eleven built-in rules and the good user rule');
  });

  it('user rule finds its events; turning a built-in rule off and changing its threshold are settings', async () => {
    const user = [{ id: 'project-archived', severity: 'low', title: 'Project {detail.id} archived', explanation: 'e', match: { type: 'project.archived' } }];
    const events = [...deletions(3, T), ev('project.archived', T, { id: 'proj_x' }, admin), ev('scim.disabled', T, { id: 'org' }, admin)];
    const found = await findingsOf([events], builtInRules({ 'mass-deletion': { count: 3 }, 'scim-disabled': { enabled: false } }, user));
    assert.deepEqual(found.map((f) => f.rule).sort(), ['mass-deletion', 'project-archived']);
    assert.equal(byRule(found, 'project-archived')[0]!.title, 'Project proj_x archived');
    assert.deepEqual(effectiveRules({ 'no-such-rule': {}, 'mass-deletion': { count: 'ten' } }, []).problems.map((p) => p.rule), ['no-such-rule', 'mass-deletion']);
  });

  it('finds the same incrementally, in any arrival order, as from scratch, and a windowed incident that spans two syncs is one finding', async () => {
    const first = deletions(6, T);
    const second = deletions(6, T + 60);
    const scratch = await findingsOf([[...first, ...second]]);
    const incremental = await findingsOf([second, first]);
    assert.deepEqual(incremental, scratch);
    assert.equal(byRule(scratch, 'mass-deletion').length, 1);
    assert.equal(byRule(scratch, 'mass-deletion')[0]!.eventIds.length, 12);
  });

  it('evaluates only the events after the last evaluated seq; reviews (who, when) survive a change of rules', async () => {
    const archive = await AuditArchive.open(MEMORY);
    try {
      archive.commitWindow(parsed([ev('scim.disabled', T, { id: 'org' }, admin)]));
      const engine = new FindingsEngine(builtInRules());
      assert.equal(engine.evaluate(archive).evaluated, 1);
      assert.equal(engine.evaluate(archive).evaluated, 0, 'nothing new: nothing read');
      archive.commitWindow(parsed([ev('scim.enabled', T + 5, { id: 'org' }, admin), ev('login.succeeded', T + 5, {}, admin)]));
      const r = engine.evaluate(archive);
      assert.equal(r.evaluated, 2);
      assert.deepEqual(r.created.map((c) => c.severity), ['low']);
      const [disabled] = archive.readSql((sql) => listFindings(sql)).filter((f) => f.rule === 'scim-disabled');
      archive.writeSql((sql) => setReviewed(sql, [disabled!.id], 'alice (OS user)', T + 100));
      const changed = new FindingsEngine(builtInRules({ 'mass-deletion': { count: 2 } }));
      assert.equal(changed.evaluate(archive).recomputed, true);
      const again = archive.readSql((sql) => listFindings(sql)).find((f) => f.id === disabled!.id)!;
      assert.deepEqual([again.reviewed, again.reviewedBy, again.reviewedAt], [true, 'alice (OS user)', T + 100]);
    } finally {
      archive.close();
    }
  });

  it('the asynchronous run (yielding between slices) stores what the synchronous one does', async () => {
    const events = [...deletions(12, T), ...deletions(3, T + 100_000), ev('scim.disabled', T + 5, { id: 'org' }, admin)];
    const a = await AuditArchive.open(MEMORY);
    const b = await AuditArchive.open(MEMORY);
    try {
      a.commitWindow(parsed(events));
      b.commitWindow(parsed(events));
      const sync = new FindingsEngine(builtInRules()).evaluate(a);
      const viaAsync = await new FindingsEngine(builtInRules()).evaluateAsync(b);
      assert.deepEqual(viaAsync, sync);
      assert.deepEqual(b.readSql((sql) => listFindings(sql)), a.readSql((sql) => listFindings(sql)));
    } finally {
      a.close();
      b.close();
    }
  });

  it('a first run over 10,000 dense events yields to the event loop at least once per 2,500 new events', async () => {
    // 10,000 scim.disabled events a minute apart: no gap of twice a window, so only the slice size cuts them.
    const events = Array.from({ length: 10_000 }, (_, i) => ev('scim.disabled', T + 60 * i, { id: `org-${i}` }, admin));
    const archive = await AuditArchive.open(MEMORY);
    try {
      archive.commitWindow(parsed(events));
      let ticks = 0;
      let running = true;
      const tick = (): void => {
        ticks++;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      const result = await new FindingsEngine(builtInRules()).evaluateAsync(archive);
      running = false;
      assert.equal(result.evaluated, 10_000);
      // One tick per yield (each slice is followed by one); without slicing by count the run would be one step.
      assert.ok(ticks >= 4, `the run yielded ${ticks} times`);
    } finally {
      archive.close();
    }
  });

  it('fills titles with hostile strings as one inert line (no bidi overrides, no line breaks, no link syntax, bounded)', async () => {
    const hostile = [HOSTILE_STRINGS.scriptUserEmail, HOSTILE_STRINGS.rtlOverrideGroupName, 'a\nb](command:evil)', 'x'.repeat(5000)];
    const events = hostile.flatMap((s, i) => [
      ev('scim.disabled', T + i, { id: 'org' }, session(s)),
      ...Array.from({ length: 5 }, (_, j) => ev('login.failed', T + i * 1000 + j, {}, session(s, `203.0.113.${j}`))),
      ev('role.assignment.created', T + i, { id: `ra${i}`, principal_id: s, principal_type: s }, admin),
    ]);
    const found = await findingsOf([events]);
    assert.ok(found.length >= hostile.length * 3);
    for (const f of found) {
      for (const text of [f.title, f.explanation]) {
        assert.doesNotMatch(text, invisibleCharacters(''), text);
        assert.doesNotMatch(text, /[\r\n]|\]\(/u, text);
        assert.ok(text.length < 700, 'bounded');
      }
    }
    assert.ok(found.some((f) => f.title.includes('<script>')), 'markup stays as text for the view to show as text');
  });
});
