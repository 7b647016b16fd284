import { strict as assert } from 'node:assert';
import {
  type AuditEvent,
  changesRequested,
  createdData,
  describeActor,
  eventAction,
  eventDetail,
  eventFamily,
  hasChangesRequested,
  isKnownEventType,
  parseAuditLogPage,
  projectOf,
  resourceId,
} from '../../../src/core/model';
import { exampleResponseText } from './fixtures';

const base = { id: 'audit_log-1', type: 'project.updated', effective_at: 1720000000 };
const ev = (extra: Record<string, unknown>): AuditEvent => ({ ...base, ...extra }) as AuditEvent;

describe('describeActor', () => {
  it('describes a user session with IP, user agent and location', () => {
    const example = parseAuditLogPage(exampleResponseText()).data[1]!.event;
    assert.deepEqual(describeActor(example), {
      kind: 'user-session',
      label: 'user@example.com',
      email: 'user@example.com',
      userId: 'user-xxx',
      ipAddress: '127.0.0.1',
      userAgent: example.actor!.session!.user_agent,
      location: 'San Francisco, US',
      actorId: 'user-xxx',
      actorType: 'session',
    });
  });

  it("describes a user's API key: labelled by email, filterable by user id", () => {
    const e = ev({ actor: { type: 'api_key', api_key: { id: 'key_1', type: 'user', user: { id: 'user-2', email: 'dev@example.com' } } } });
    assert.deepEqual(describeActor(e), {
      kind: 'user-api-key',
      label: 'dev@example.com',
      email: 'dev@example.com',
      userId: 'user-2',
      apiKeyId: 'key_1',
      actorId: 'user-2',
      actorType: 'api_key',
    });
    const noEmail = ev({ actor: { type: 'api_key', api_key: { id: 'key_1', type: 'user', user: {} } } });
    assert.equal(describeActor(noEmail).label, 'key_1');
    assert.equal(describeActor(noEmail).actorId, 'key_1');
  });

  it("describes a service account's API key", () => {
    const e = ev({ actor: { type: 'api_key', api_key: { id: 'key_9', type: 'service_account', service_account: { id: 'svc_1' } } } });
    assert.deepEqual(describeActor(e), {
      kind: 'service-account-api-key',
      label: 'svc_1',
      serviceAccountId: 'svc_1',
      apiKeyId: 'key_9',
      actorId: 'svc_1',
      actorType: 'api_key',
    });
  });

  it('infers the kind from the shape when type is missing', () => {
    assert.equal(describeActor(ev({ actor: { session: { user: { email: 'a@b.c' } } } })).kind, 'user-session');
    assert.equal(describeActor(ev({ actor: { api_key: { service_account: { id: 's' } } } })).kind, 'service-account-api-key');
    assert.equal(describeActor(ev({ actor: { api_key: { user: { id: 'u' } } } })).kind, 'user-api-key');
  });

  it('reports missing, null and unknown actors without throwing', () => {
    assert.deepEqual(describeActor(ev({})), { kind: 'none', label: 'No actor' });
    assert.deepEqual(describeActor(ev({ actor: null })), { kind: 'none', label: 'No actor' });
    assert.deepEqual(describeActor(ev({ actor: 'root' })), { kind: 'none', label: 'No actor' });
    assert.deepEqual(describeActor(ev({ actor: { type: 'robot', robot: { id: 'r2' } } })), {
      kind: 'unknown',
      label: 'Unknown actor',
      actorType: 'robot',
    });
    assert.deepEqual(describeActor(ev({ actor: { type: 'api_key', api_key: { id: 'key_x', type: 'workload' } } })), {
      kind: 'unknown',
      label: 'key_x',
      apiKeyId: 'key_x',
      actorId: 'key_x',
      actorType: 'api_key',
    });
    // Wrong types inside the actor are ignored, not passed on.
    const odd = describeActor(ev({ actor: { type: 'session', session: { user: { email: 42, id: ['u'] }, ip_address: {} } } }));
    assert.deepEqual(odd, { kind: 'user-session', label: 'Unknown user', actorType: 'session' });
  });
});

describe('event readers', () => {
  const updated = ev({
    project: { id: 'proj_1', name: 'Main', extra: 1 },
    'project.updated': { id: 'proj_1', changes_requested: { title: 'New' } },
  });

  it('eventDetail, resourceId, changesRequested, createdData', () => {
    assert.deepEqual(eventDetail(updated), { id: 'proj_1', changes_requested: { title: 'New' } });
    assert.equal(resourceId(updated), 'proj_1');
    assert.deepEqual(changesRequested(updated), { title: 'New' });
    assert.equal(createdData(updated), undefined);
    assert.ok(hasChangesRequested(updated));
    const created = ev({ type: 'api_key.created', 'api_key.created': { id: 'key_1', data: { scopes: ['a'] } } });
    assert.deepEqual(createdData(created), { scopes: ['a'] });
    assert.equal(changesRequested(created), undefined);
  });

  it('return undefined for missing or mistyped details', () => {
    for (const detail of [undefined, null, 'x', ['id'], { id: 7 }, { changes_requested: [1] }]) {
      const e = ev({ 'project.updated': detail });
      assert.equal(resourceId(e), undefined);
      assert.equal(changesRequested(e), undefined);
    }
    // The detail is under the key equal to the type, not any other.
    assert.equal(eventDetail(ev({ 'project.created': { id: 'p' } })), undefined);
    assert.equal(eventDetail(ev({ type: 'toString' })), undefined);
  });

  it('projectOf keeps only string id and name', () => {
    assert.deepEqual(projectOf(updated), { id: 'proj_1', name: 'Main' });
    assert.deepEqual(projectOf(ev({ project: { id: 'proj_2', name: 5 } })), { id: 'proj_2' });
    assert.equal(projectOf(ev({})), undefined);
    assert.equal(projectOf(ev({ project: null })), undefined);
    assert.equal(projectOf(ev({ project: {} })), undefined);
  });

  it('eventFamily and eventAction split at the last dot', () => {
    assert.equal(eventFamily('role.assignment.created'), 'role.assignment');
    assert.equal(eventAction('role.assignment.created'), 'created');
    assert.equal(eventFamily('certificates.activated'), 'certificates');
    assert.equal(eventFamily('tenant.workload_identity.access_token.issued'), 'tenant.workload_identity.access_token');
    assert.equal(eventAction('role.bound_to_resource'), 'bound_to_resource');
    assert.equal(eventFamily('standalone'), 'standalone');
    assert.equal(eventAction('standalone'), '');
  });

  it('isKnownEventType', () => {
    assert.ok(isKnownEventType('tenant.membership.declined'));
    assert.ok(!isKnownEventType('quantum.entangled'));
    assert.ok(!isKnownEventType(undefined));
  });
});
