import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AUDIT_LOG_EVENT_TYPES, AuditLogSchema } from '../../../src/core/model/generated';
import {
  HOSTILE_STRINGS,
  SAMPLE_DEFAULT_END_TIME,
  SAMPLE_DEMO_EVENT_COUNT,
  SAMPLE_FULL_COVERAGE_EVENT_COUNT,
  compareEventsNewestFirst,
  generateSampleOrganization,
  indexSampleEventsById,
  type SampleEvent,
  type SampleOrganization,
} from '../../../src/core/sample/sampleOrganization';

const SPEC = JSON.parse(readFileSync(path.join(__dirname, '../../../spec/openai-audit-logs.openapi.json'), 'utf8')) as {
  schemas: { AuditLog: { properties: Record<string, JsonSchema> }; AuditLogEventType: { enum: string[] } };
};
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

const detail = (e: SampleEvent) => e[e.type] as Record<string, unknown> | undefined;
const detailId = (e: SampleEvent) => detail(e)?.id as string | undefined;

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

describe('sample organization', () => {
  let demo: SampleOrganization;
  let big: SampleOrganization;

  before(() => {
    demo = generateSampleOrganization({ eventCount: SAMPLE_DEMO_EVENT_COUNT });
    big = generateSampleOrganization({ eventCount: 20_000 });
  });

  it('is deterministic: the same options give identical JSON, another seed does not', () => {
    const a = JSON.stringify(generateSampleOrganization({ eventCount: 3000, seed: 7 }));
    const b = JSON.stringify(generateSampleOrganization({ eventCount: 3000, seed: 7 }));
    const c = JSON.stringify(generateSampleOrganization({ eventCount: 3000, seed: 8 }));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(JSON.stringify(generateSampleOrganization({ eventCount: SAMPLE_DEMO_EVENT_COUNT })), JSON.stringify(demo));
  });

  it('returns exactly eventCount events, newest first, unique ids, inside the window', () => {
    for (const n of [0, 1, 57, SAMPLE_DEMO_EVENT_COUNT, 5000]) {
      const org = generateSampleOrganization({ eventCount: n, spanDays: 10 });
      assert.equal(org.events.length, n);
      assert.equal(org.endTime, SAMPLE_DEFAULT_END_TIME);
      assert.equal(org.startTime, SAMPLE_DEFAULT_END_TIME - 10 * 86_400);
      assert.equal(new Set(org.events.map((e) => e.id)).size, n);
      for (let i = 0; i < org.events.length; i++) {
        const e = org.events[i]!;
        assert.ok(Number.isInteger(e.effective_at) && e.effective_at >= org.startTime && e.effective_at <= org.endTime, `${e.id} at ${e.effective_at}`);
        if (i > 0) assert.ok(compareEventsNewestFirst(org.events[i - 1]!, e) < 0, `order at ${i}`);
      }
    }
    assert.equal(indexSampleEventsById(demo.events).size, demo.events.length);
  });

  it('keeps the story independent of the size: a smaller sample keeps the newest story events', () => {
    const small = generateSampleOrganization({ eventCount: 50 });
    const full = generateSampleOrganization({ eventCount: SAMPLE_FULL_COVERAGE_EVENT_COUNT });
    const fullIds = new Set(full.events.map((e) => e.id));
    for (const e of small.events) assert.ok(fullIds.has(e.id));
  });

  it('rejects nonsense options', () => {
    assert.throws(() => generateSampleOrganization({ eventCount: -1 }), RangeError);
    assert.throws(() => generateSampleOrganization({ eventCount: 1.5 }), RangeError);
    assert.throws(() => generateSampleOrganization({ eventCount: 10, spanDays: 0 }), RangeError);
    assert.throws(() => generateSampleOrganization({ eventCount: 10, endTime: 1.5 }), RangeError);
  });

  it('contains every one of the 145 event types at the demo size and at the full-coverage size, and no others', () => {
    assert.equal(AUDIT_LOG_EVENT_TYPES.length, 145);
    assert.deepEqual([...AUDIT_LOG_EVENT_TYPES].sort(), [...SPEC.schemas.AuditLogEventType.enum].sort());
    for (const org of [demo, generateSampleOrganization({ eventCount: SAMPLE_FULL_COVERAGE_EVENT_COUNT, seed: 99 })]) {
      const types = new Set(org.events.map((e) => e.type));
      const missing = AUDIT_LOG_EVENT_TYPES.filter((t) => !types.has(t));
      assert.deepEqual(missing, []);
      assert.equal(types.size, 145);
    }
  });

  it('parses with the generated schema and uses only the detail fields the contract defines for typed events', () => {
    const properties = SPEC.schemas.AuditLog.properties;
    const check = (value: unknown, schema: JsonSchema, where: string) => {
      if (!schema.properties || value === null || typeof value !== 'object' || Array.isArray(value)) return;
      for (const [k, v] of Object.entries(value)) {
        const sub = schema.properties[k];
        assert.ok(sub, `${where}.${k} is not in the contract`);
        check(v, sub, `${where}.${k}`);
        if (Array.isArray(v) && sub.items) for (const item of v) check(item, sub.items, `${where}.${k}[]`);
      }
    };
    for (const e of big.events) {
      const parsed = AuditLogSchema.safeParse(e);
      assert.ok(parsed.success, `${e.type} ${e.id}: ${parsed.success ? '' : parsed.error.message}`);
      const schema = properties[e.type];
      if (schema) check(detail(e), schema, e.type);
      assert.deepEqual(Object.keys(e).slice(0, 3), ['id', 'type', 'effective_at']);
      assert.ok(/^audit_log-[0-9a-f]{16}_\d{8}$/.test(e.id), e.id);
    }
  });

  it('scopes events to projects of the roster, with the title the project had at that time', () => {
    assert.ok(demo.projects.length >= 6 && demo.projects.length <= 12);
    assert.equal(demo.projects.filter((p) => p.status === 'archived').length, 1);
    assert.equal(demo.projects.filter((p) => p.status === 'deleted').length, 1);
    assert.equal(demo.projects.filter((p) => p.isDefault).length, 1);
    const byId = new Map(big.projects.map((p) => [p.id, p]));
    let withProject = 0;
    for (const e of big.events) {
      if (!e.project) continue;
      withProject++;
      const p = byId.get(e.project.id);
      assert.ok(p, `${e.id} names unknown project ${e.project.id}`);
      assert.ok(p.names.includes(e.project.name), `${e.id}: ${e.project.name}`);
      if (p.createdAt !== undefined) assert.ok(e.effective_at >= p.createdAt, `${e.type} before ${p.name} existed`);
      const end = p.deletedAt ?? p.archivedAt;
      if (end !== undefined) assert.ok(e.effective_at <= end, `${e.type} in ${p.name} after it closed`);
    }
    assert.ok(withProject > 0 && withProject < big.events.length, 'some events have a project, some do not');
  });

  it('has actors that are real users and keys of the organization, plus null and missing actors', () => {
    const users = new Map(big.users.map((u) => [u.id, u]));
    const keys = new Map(big.apiKeys.map((k) => [k.id, k]));
    const kinds = { session: 0, user: 0, service_account: 0, null: 0, absent: 0 };
    assert.ok(big.users.length >= 15 && big.users.length <= 40);
    for (const e of big.events) {
      if (!('actor' in e)) {
        kinds.absent++;
        continue;
      }
      const actor = e.actor;
      if (actor === null || actor === undefined) {
        kinds.null++;
        continue;
      }
      if (actor.type === 'session') {
        kinds.session++;
        const u = users.get(actor.session.user.id);
        assert.ok(u, `${e.id}: unknown session user`);
        assert.equal(actor.session.user.email, u.email);
        assert.ok(actor.session.ip_address && actor.session.user_agent && actor.session.ip_address_details.city);
        assert.ok((u.addedAt ?? -Infinity) <= e.effective_at && e.effective_at < (u.removedAt ?? Infinity), `${e.type} by ${u.name} outside membership`);
      } else {
        const key = keys.get(actor.api_key.id);
        assert.ok(key, `${e.id}: unknown api key`);
        if (actor.api_key.type === 'user') {
          kinds.user++;
          assert.equal(actor.api_key.user.id, key.userId);
          assert.equal(actor.api_key.user.email, users.get(key.userId!)!.email);
        } else {
          kinds.service_account++;
          assert.equal(actor.api_key.service_account.id, key.serviceAccountId);
        }
      }
    }
    for (const [kind, n] of Object.entries(kinds)) assert.ok(n > 0, `no ${kind} actors`);
    const failed = demo.events.filter((e) => e.type === 'login.failed');
    assert.ok(failed.some((e) => e.actor === null) && failed.some((e) => !('actor' in e)));
  });

  it('orders every lifecycle: created before updated before archived before deleted, per resource id', () => {
    const RANK: Record<string, number> = { created: 0, added: 0, registered: 0, sent: 0, updated: 1, archived: 2, deleted: 3, removed: 3 };
    // Families whose ids are fresh per lifecycle (user ids recur across memberships, so `user` is left out).
    const skip = new Set(['user', 'login', 'logout', 'organization']);
    const chains = new Map<string, { rank: number; t: number }[]>();
    for (const e of big.events) {
      const dot = e.type.lastIndexOf('.');
      const family = e.type.slice(0, dot);
      const rank = RANK[e.type.slice(dot + 1)];
      const id = detailId(e);
      if (rank === undefined || id === undefined || skip.has(family)) continue;
      const key = `${family} ${id}`;
      const list = chains.get(key) ?? [];
      list.push({ rank, t: e.effective_at });
      chains.set(key, list);
    }
    let multiStep = 0;
    for (const [key, steps] of chains) {
      if (new Set(steps.map((s) => s.rank)).size > 1) multiStep++;
      for (const a of steps) for (const b of steps) if (a.rank < b.rank) assert.ok(a.t < b.t, `${key}: rank ${a.rank} at ${a.t} not before rank ${b.rank} at ${b.t}`);
    }
    assert.ok(multiStep > 50, `only ${multiStep} multi-step chains`);
  });

  it('tells the scripted change stories the diff views need', () => {
    const oldestFirst = [...demo.events].reverse();
    const of = (type: string) => oldestFirst.filter((e) => e.type === type);

    const atlas = demo.projects.find((p) => p.names[0] === 'Atlas')!;
    assert.deepEqual(atlas.names, ['Atlas', 'Atlas Platform', 'Atlas Core']);
    const created = of('project.created').find((e) => detailId(e) === atlas.id)!;
    assert.deepEqual(detail(created)!.data, { name: 'Atlas', title: 'Atlas' });
    assert.deepEqual(
      of('project.updated').filter((e) => detailId(e) === atlas.id).map((e) => [(detail(e)!.changes_requested as { title: string }).title, e.project!.name]),
      [
        ['Atlas Platform', 'Atlas Platform'],
        ['Atlas Core', 'Atlas Core'],
      ],
    );

    const rlUpdates = new Map<string, number[]>();
    for (const e of of('rate_limit.updated')) {
      const v = (detail(e)!.changes_requested as Record<string, number>).max_requests_per_1_minute;
      if (v !== undefined) rlUpdates.set(detailId(e)!, [...(rlUpdates.get(detailId(e)!) ?? []), v]);
    }
    assert.ok([...rlUpdates.values()].some((vs) => vs.length >= 2 && new Set(vs).size >= 2), 'a rate limit updated twice with different max_requests_per_1_minute');
    assert.ok(of('rate_limit.deleted').length >= 1);

    const keyCreated = of('api_key.created').find((e) => of('api_key.updated').some((u) => detailId(u) === detailId(e)))!;
    const keyScopes = (detail(keyCreated)!.data as { scopes: string[] }).scopes;
    const keyUpdates = of('api_key.updated').filter((u) => detailId(u) === detailId(keyCreated));
    assert.ok(keyUpdates.length >= 2);
    assert.notDeepEqual((detail(keyUpdates[0]!)!.changes_requested as { scopes: string[] }).scopes, keyScopes);
    assert.ok(of('api_key.deleted').some((e) => detailId(e) === detailId(keyCreated)));

    const orgUpdates = of('organization.updated').map((e) => detail(e)!.changes_requested as Record<string, string>);
    assert.ok(orgUpdates.filter((c) => c.title !== undefined || c.description !== undefined).length >= 2);
    assert.ok(orgUpdates.some((c) => c.threads_ui_visibility !== undefined));
    assert.ok(orgUpdates.some((c) => c.api_call_logging === 'enabled_for_selected_projects' && c.api_call_logging_project_ids!.includes(atlas.id)));

    const roleChanges = of('role.updated').map((e) => detail(e)!.changes_requested as { permissions_added?: string[]; permissions_removed?: string[] });
    assert.ok(roleChanges.some((c) => (c.permissions_added?.length ?? 0) > 0 && (c.permissions_removed?.length ?? 0) > 0));

    const saRoles = of('service_account.updated').map((e) => (detail(e)!.changes_requested as { role: string }).role);
    assert.ok(saRoles.includes('owner') && saRoles.includes('member'));
    const userRoles = of('user.updated').map((e) => (detail(e)!.changes_requested as { role: string }).role);
    assert.ok(userRoles.includes('owner') && userRoles.includes('member'));
    const sa = demo.serviceAccounts.find((s) => s.name === 'etl-runner')!;
    const saEvents = oldestFirst.filter((e) => e.type.startsWith('service_account.') && detailId(e) === sa.id).map((e) => e.type);
    assert.deepEqual(saEvents, ['service_account.created', 'service_account.updated', 'service_account.updated', 'service_account.deleted']);
  });

  it('carries hostile strings: HTML, script, very long, right-to-left, U+202E, emoji', () => {
    const strings = new Set(allStrings(demo.events));
    for (const [name, value] of Object.entries(HOSTILE_STRINGS)) {
      // Display names are not part of events; the user's email carries the script instead.
      if (name === 'scriptUserName') assert.ok(demo.users.some((u) => u.name === value));
      else assert.ok(strings.has(value), `${name} missing`);
    }
    const list = [...strings];
    assert.ok(list.some((s) => s.length >= 5000), 'a 5,000+ character value');
    assert.ok(list.some((s) => /[\u0600-\u06ff]/.test(s)) && list.some((s) => /[\u0590-\u05ff]/.test(s)), 'Arabic and Hebrew');
    assert.ok(list.some((s) => s.includes('\u202e')), 'U+202E');
    assert.ok(list.some((s) => /\p{Extended_Pictographic}/u.test(s)), 'emoji');
    assert.ok(demo.projects.some((p) => p.name === '<img src=x onerror=alert(1)>'));
    assert.ok(demo.users.some((u) => u.email.includes('"><script>alert(1)</script>')));
    assert.ok(demo.events.some((e) => e.project?.name === HOSTILE_STRINGS.htmlProjectName));
    const big6000 = demo.events.find((e) => e.type === 'ip_allowlist.updated' && ((detail(e)!.allowed_ips as string[]).length >= 6000));
    assert.ok(big6000, 'a 6,000-element array');
  });

  it('has several events sharing one second', () => {
    const perSecond = new Map<number, number>();
    for (const e of demo.events) perSecond.set(e.effective_at, (perSecond.get(e.effective_at) ?? 0) + 1);
    assert.ok(Math.max(...perSecond.values()) >= 5);
    assert.ok([...perSecond.values()].filter((n) => n > 1).length >= 3);
  });

  it('generates 100,000 events quickly (timing printed, not asserted)', function () {
    this.timeout(60_000);
    generateSampleOrganization({ eventCount: 1000 }); // warm up
    const started = performance.now();
    const org = generateSampleOrganization({ eventCount: 100_000 });
    const ms = performance.now() - started;
    const bytes = org.events.reduce((n, e) => n + JSON.stringify(e).length, 0);
    assert.equal(org.events.length, 100_000);
    assert.equal(new Set(org.events.map((e) => e.type)).size, 145);
    console.log(`      100,000 sample events in ${ms.toFixed(0)} ms (${(bytes / 1e6).toFixed(1)} MB of JSON, ${org.apiKeys.length} API keys)`);
  });
});
