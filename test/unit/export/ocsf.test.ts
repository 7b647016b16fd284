/**
 * The OCSF export: every one of the 145 event types maps to a class and
 * activity of OCSF 1.8.0, and every exported line is valid against the
 * schema's own files (spec/ocsf, see ocsfSchema.ts); the fields carry the
 * event (metadata.uid, time in ms, actor, IP and place, user agent, status)
 * and raw_data its exact wire text. A type this build does not know becomes
 * a Base Event with the raw kept.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ocsfMappingOf, toOcsf, writeEventsFile } from '../../../src/core/export';
import { AUDIT_LOG_EVENT_TYPES } from '../../../src/core/model/generated';
import { parseAuditLogPage, type ParsedEvent } from '../../../src/core/model';
import { generateSampleOrganization } from '../../../src/core/sample/sampleOrganization';
import { OCSF_TABLE_END, OCSF_TABLE_START, ocsfMappingTable } from '../../../src/core/export/ocsf/ocsfMappingTable';
import { CLASSES, validateOcsfEvent } from './ocsfSchema';

function parsed(events: readonly unknown[]): ParsedEvent[] {
  return parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data;
}

/** The value at a dotted path of a JSON value ('a.b.c'). */
function at(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), value);
}

async function* batchesOf(events: readonly ParsedEvent[], size = 400): AsyncGenerator<ParsedEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

describe('export: OCSF', function () {
  this.timeout(60_000);
  const sample = parsed(generateSampleOrganization({ seed: 16, eventCount: 3000 }).events);

  it('maps every known event type to a vendored IAM class and one of its activities (no type falls to Base Event)', () => {
    const byClass = new Map<string, number>();
    for (const type of AUDIT_LOG_EVENT_TYPES) {
      const m = ocsfMappingOf(type);
      assert.notEqual(m.ocsfClass.classUid, 0, `${type} is known`);
      const definition = CLASSES.get(m.ocsfClass.classUid);
      assert.ok(definition, `${type}: class ${m.ocsfClass.classUid} vendored`);
      const activities = { ...(definition.attributes.activity_id?.enum ?? {}), 99: {} };
      assert.ok(String(m.activity[0]) in activities, `${type}: activity ${m.activity[0]}`);
      byClass.set(m.ocsfClass.className, (byClass.get(m.ocsfClass.className) ?? 0) + 1);
    }
    assert.equal(AUDIT_LOG_EVENT_TYPES.length, 145);
    for (const c of ['Authentication', 'Account Change', 'User Access Management', 'Group Management', 'Entity Management']) assert.ok(byClass.get(c), c);
    assert.deepEqual([ocsfMappingOf('login.succeeded').activity, ocsfMappingOf('logout.failed').activity], [[1, 'Logon'], [2, 'Logoff']]);
    assert.equal(ocsfMappingOf('user.added').ocsfClass.className, 'Account Change');
    assert.equal(ocsfMappingOf('role.assignment.created').ocsfClass.className, 'User Access Management');
    assert.deepEqual(ocsfMappingOf('tenant.group.member.added').activity, [3, 'Add User']);
    assert.deepEqual(ocsfMappingOf('api_key.deleted').activity, [4, 'Delete']);
  });

  it('writes one valid OCSF event per line for every type of the sample organization', async () => {
    assert.equal(new Set(sample.map((e) => e.event.type)).size, 145, 'the sample has every type');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oal-ocsf-'));
    try {
      const file = path.join(dir, 'out.ocsf.jsonl');
      const result = await writeEventsFile(batchesOf(sample), file, 'ocsf');
      assert.equal(result.count, sample.length);
      const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n');
      assert.equal(lines.length, sample.length);
      lines.forEach((line, i) => {
        const o = JSON.parse(line) as Record<string, unknown>;
        assert.deepEqual(validateOcsfEvent(o), [], `${sample[i]!.event.type}: ${line.slice(0, 300)}`);
        assert.equal((o.metadata as { uid: string }).uid, sample[i]!.event.id);
        assert.equal(o.time, sample[i]!.event.effective_at * 1000);
        assert.equal(o.raw_data, sample[i]!.raw);
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('carries the actor, the source IP and place, the user agent, status and severity', () => {
    const login = sample.find((e) => e.event.type === 'login.failed')!;
    const o = toOcsf(login);
    const session = (e: string) => at(login.event.actor, `session.${e}`);
    assert.equal(o.class_uid, 3002);
    assert.deepEqual([o.status_id, o.status, o.severity_id], [2, 'Failure', 3]);
    assert.equal(at(o, 'actor.user.email_addr'), session('user.email'));
    assert.equal(at(o, 'actor.user.uid'), session('user.id'));
    assert.equal(at(o, 'user.uid'), session('user.id'));
    assert.equal(at(o, 'src_endpoint.ip'), session('ip_address'));
    assert.equal(at(o, 'src_endpoint.location.country'), session('ip_address_details.country'));
    assert.equal(at(o, 'src_endpoint.location.lat'), Number(session('ip_address_details.latitude')));
    assert.equal(at(o, 'http_request.user_agent'), session('user_agent'));
    const ok = toOcsf(sample.find((e) => e.event.type === 'project.created')!);
    assert.deepEqual([ok.class_uid, ok.activity_id, ok.status_id, at(ok, 'entity.type')], [3004, 1, 1, 'project']);
  });

  it('maps a type this build does not know to a valid Base Event, keeping the raw event', () => {
    const [future] = parsed([{ id: 'audit_log-future', type: 'quantum_key.entangled', effective_at: 1_800_000_000, actor: { type: 'session', session: { user: { id: 'user_1', email: 'ada@example.com' }, ip_address: '192.0.2.1' } }, 'quantum_key.entangled': { id: 'qk_1' } }]);
    const o = toOcsf(future!);
    assert.deepEqual([o.class_uid, o.category_uid, o.activity_id, o.activity_name, o.type_uid], [0, 0, 99, 'Entangled', 99]);
    assert.deepEqual(validateOcsfEvent(o), []);
    assert.equal(o.raw_data, future!.raw);
    assert.equal(at(o, 'unmapped.actor.user.email_addr'), 'ada@example.com');
  });

  it('writes an unreadable event as a valid Base Event with its wire text', () => {
    const [odd] = parsed([{ type: null, effective_at: 'yesterday' }]);
    assert.ok(odd!.unreadable);
    const o = toOcsf(odd!);
    assert.deepEqual(validateOcsfEvent(o), []);
    assert.equal(o.class_uid, 0);
    assert.equal(o.raw_data, odd!.raw);
  });

  it('the validator itself rejects what the schema forbids (so the tests above can fail)', () => {
    const good = toOcsf(sample.find((e) => e.event.type === 'user.added')!);
    assert.deepEqual(validateOcsfEvent(good), []);
    const { user: _user, ...noUser } = good;
    assert.match(validateOcsfEvent(noUser).join('\n'), /user: required/);
    assert.match(validateOcsfEvent({ ...good, activity_id: 42, type_uid: 300142 }).join('\n'), /not in its enum/);
    assert.match(validateOcsfEvent({ ...good, time: '2026-01-01' }).join('\n'), /timestamp_t/);
    assert.match(validateOcsfEvent({ ...good, colour: 'red' }).join('\n'), /not an attribute/);
    assert.match(validateOcsfEvent({ ...good, actor: { user: { email_addr: 'not an email', uid: 'u' } } }).join('\n'), /email_t/);
  });
  it("the README's mapping table is the one generated from the mapping data", () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf(OCSF_TABLE_START);
    const end = readme.indexOf(OCSF_TABLE_END);
    assert.ok(start >= 0 && end > start, 'the README has the generated table');
    const expected = ocsfMappingTable();
    assert.equal(readme.slice(start, end + OCSF_TABLE_END.length), expected, `replace the README's table with:\n${expected}`);
    for (const type of AUDIT_LOG_EVENT_TYPES) assert.ok(expected.includes(`\`${type}\``), type);
  });
});
