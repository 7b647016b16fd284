/** Crafted events for the query tests: each field of the language has an event that matches it and ones that do not. */
import { AuditArchive, MEMORY } from '../../../src/core/archive';
import { compileQuery, withSearch } from '../../../src/core/query';
import { parsed } from '../archive/helpers';

export const NOW = 1_795_000_000; // 2026-11-18T10:13:20Z
const HOUR = 3_600;
const DAY = 86_400;

const session = (id: string, email: string, ip: string, ua: string, country: string) => ({
  type: 'session',
  session: { user: { id, email }, ip_address: ip, user_agent: ua, ip_address_details: { country, city: 'X' } },
});
const apiKey = (id: string, owner: object) => ({ type: 'api_key', api_key: { id, ...owner } });
const atlas = { id: 'proj_atlas', name: 'Atlas Core' };
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0';

export const EVENTS = [
  {
    id: 'evt_key_created',
    type: 'api_key.created',
    effective_at: NOW - HOUR,
    project: atlas,
    actor: session('user-ada', 'ada@acme.example', '198.51.100.23', FIREFOX, 'GB'),
    'api_key.created': { id: 'key_new1', data: { scopes: ['api.model.read', 'api.files.write'] } },
  },
  {
    id: 'evt_key_deleted',
    type: 'api_key.deleted',
    effective_at: NOW - 2 * HOUR,
    project: { id: 'proj_default', name: 'Default project' },
    actor: apiKey('key_abc', { type: 'user', user: { id: 'user-bob', email: 'bob@acme.example' } }),
    'api_key.deleted': { id: 'key_new1' },
  },
  {
    id: 'evt_login_failed',
    type: 'login.failed',
    effective_at: NOW - 2 * DAY,
    actor: session('user-eve', 'Eve@Evil.example', '2001:db8::1', 'curl/8.0', 'US'),
    'login.failed': { error_message: 'bad password 100% _wrong_ C:\\path\\x' },
  },
  {
    id: 'evt_project_updated',
    type: 'project.updated',
    effective_at: NOW - 10 * DAY,
    project: atlas,
    actor: session('user-ada', 'ada@acme.example', '198.51.100.24', FIREFOX, 'GB'),
    'project.updated': { id: 'proj_atlas', changes_requested: { title: `O'Brien "quoted" name; DROP TABLE events; --` } },
  },
  {
    id: 'evt_sso_updated',
    type: 'tenant.sso_connection.updated',
    effective_at: NOW - 20 * DAY,
    actor: apiKey('key_bot', { type: 'service_account', service_account: { id: 'svc_acct_bot' } }),
    'tenant.sso_connection.updated': { id: 'sso_1', changes_requested: { enforced: true } },
  },
  {
    id: 'evt_role_bound',
    type: 'role.bound_to_resource',
    effective_at: NOW - 30 * DAY,
    actor: session('user-carol', 'carol@acme.example', '203.0.113.5', 'Mozilla/5.0 Chrome/141', 'US'),
    'role.bound_to_resource': { id: 'role_x', resource_id: 'tenant_1' },
  },
];

export const ALL = EVENTS.map((e) => e.id);

export async function craftedArchive(): Promise<AuditArchive> {
  const archive = await AuditArchive.open(MEMORY);
  archive.commitWindow(parsed(EVENTS));
  return archive;
}

/** The ids a query finds, newest first; throws with the compiler's message for an invalid one. */
export function find(archive: AuditArchive, text: string): string[] {
  const compiled = compileQuery(text, { nowSeconds: NOW });
  if (!compiled.ok) throw new Error(compiled.error.message);
  return archive.events(withSearch({}, text, NOW), { limit: 1000 }).map((e) => e.event.id);
}

/** The error message of an invalid query (fails the test when it compiles). */
export function errorOf(text: string): string {
  const compiled = compileQuery(text, { nowSeconds: NOW });
  if (compiled.ok) throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
  return compiled.error.message;
}
