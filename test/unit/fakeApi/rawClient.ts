/** A bare undici client for the fake-server tests: no retries, no parsing beyond what each test asks for. */
import { request } from 'undici';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface Page {
  object: string;
  data: { id: string; type: string; effective_at: number; [k: string]: unknown }[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export const TEST_KEY = 'sk-admin-test-0123456789';

export async function rawGet(url: string, options: { key?: string | null; signal?: AbortSignal; method?: 'GET' | 'POST' } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? TEST_KEY : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await request(url, { method: options.method ?? 'GET', headers, signal: options.signal });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** GETs `<base>/organization/audit_logs?<query>` with the test key and parses a 200 page. */
export async function listPage(baseUrl: string, query: string): Promise<Page> {
  const res = await rawGet(`${baseUrl}/organization/audit_logs${query ? `?${query}` : ''}`);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as Page;
}

/** Builds a query string with repeated bracketed keys, as the API expects. */
export function qs(params: Record<string, string | number | boolean | readonly (string | number)[] | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(one))}`);
  }
  return parts.join('&');
}

export interface TestEvent {
  id: string;
  type: string;
  effective_at: number;
  project?: { id: string; name: string };
  actor?: unknown;
  [k: string]: unknown;
}

/** A small hand-made log: known actors, projects and resource ids for the filter tests. */
export function handMadeEvents(): TestEvent[] {
  const session = (id: string, email: string) => ({
    type: 'session',
    session: { user: { id, email }, ip_address: '203.0.113.5', user_agent: 'test' },
  });
  const userKey = (keyId: string, id: string, email: string) => ({ type: 'api_key', api_key: { id: keyId, type: 'user', user: { id, email } } });
  const saKey = (keyId: string, sa: string) => ({ type: 'api_key', api_key: { id: keyId, type: 'service_account', service_account: { id: sa } } });
  const p1 = { id: 'proj_one', name: 'One' };
  const p2 = { id: 'proj_two', name: 'Two' };
  return [
    { id: 'e01', type: 'project.created', effective_at: 1000, project: p1, actor: session('user-ada', 'ada@x.example'), 'project.created': { id: 'proj_one', data: { name: 'One', title: 'One' } } },
    { id: 'e02', type: 'api_key.created', effective_at: 1010, project: p1, actor: session('user-bo', 'bo@x.example'), 'api_key.created': { id: 'key_a', data: { scopes: ['api.model.read'] } } },
    { id: 'e03', type: 'api_key.updated', effective_at: 1020, project: p1, actor: userKey('key_admin', 'user-ada', 'ada@x.example'), 'api_key.updated': { id: 'key_a', changes_requested: { scopes: [] } } },
    { id: 'e04', type: 'login.failed', effective_at: 1030, actor: null, 'login.failed': { error_code: 'x', error_message: 'y' } },
    { id: 'e05', type: 'login.failed', effective_at: 1030, 'login.failed': { error_code: 'x', error_message: 'y' } },
    { id: 'e06', type: 'rate_limit.updated', effective_at: 1040, project: p2, actor: saKey('key_sa', 'svc_acct_1'), 'rate_limit.updated': { id: 'rl_1', changes_requested: { max_requests_per_1_minute: 5 } } },
    { id: 'e07', type: 'tenant.policy.created', effective_at: 1050, actor: session('user-ada', 'ada@x.example'), 'tenant.policy.created': { id: 'pol_1', data: {} } },
    { id: 'e08', type: 'role.bound_to_resource', effective_at: 1060, actor: session('user-bo', 'bo@x.example'), 'role.bound_to_resource': { id: 'ws__c', role_id: 'role_1' } },
    { id: 'e09', type: 'project.updated', effective_at: 1070, project: p2, actor: session('user-bo', 'bo@x.example'), 'project.updated': { id: 'proj_two', changes_requested: { title: 'Two!' } } },
    { id: 'e10', type: 'some.future_type', effective_at: 1080, project: p2, actor: { type: 'robot' }, 'some.future_type': { id: 'thing_1' } },
  ];
}
