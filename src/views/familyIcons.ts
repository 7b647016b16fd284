/**
 * The codicon of an event family, so a row's kind shows before its text.
 * Known families map directly; the many `tenant.*` families and new ones the
 * API adds later are matched by the words in their name, most specific first.
 */
import { eventFamily } from '../core/model';

const BY_FAMILY: Readonly<Record<string, string>> = {
  api_key: 'key',
  admin_api_key: 'key',
  project: 'project',
  user: 'person',
  invite: 'mail',
  service_account: 'robot',
  rate_limit: 'dashboard',
  login: 'sign-in',
  logout: 'sign-out',
  organization: 'organization',
  certificate: 'workspace-trusted',
  certificates: 'workspace-trusted',
  'checkpoint.permission': 'lock',
  external_key: 'key',
  group: 'organization',
  'group.user': 'person-add',
  role: 'shield',
  'role.assignment': 'shield',
  ip_allowlist: 'globe',
  'ip_allowlist.config': 'globe',
  resource: 'symbol-misc',
  scim: 'sync',
  tunnel: 'plug',
  workload_identity_provider: 'link',
  workload_identity_provider_mapping: 'link',
};

/** Words in a family name → icon, most specific first. */
const BY_WORD: readonly (readonly [RegExp, string])[] = [
  [/api_key|access_token|\.token\b|_key\b/, 'key'],
  [/invite/, 'mail'],
  [/service_account/, 'robot'],
  [/workload_identity|entra_mapping/, 'link'],
  [/sso|session|authentication/, 'sign-in'],
  [/scim/, 'sync'],
  [/billing/, 'credit-card'],
  [/usage_limit/, 'dashboard'],
  [/role/, 'shield'],
  [/policy/, 'law'],
  [/resource_share|resource_access/, 'live-share'],
  [/migration/, 'arrow-swap'],
  [/member|user|principal/, 'person'],
  [/group/, 'organization'],
  [/domain/, 'globe'],
  [/ads_account/, 'megaphone'],
  [/metadata/, 'info'],
];

export const UNKNOWN_FAMILY_ICON = 'symbol-event';

export function familyIconId(type: string): string {
  const family = eventFamily(String(type));
  const direct = BY_FAMILY[family] ?? BY_FAMILY[family.replace(/^tenant\./, '')];
  if (direct) return direct;
  for (const [words, icon] of BY_WORD) if (words.test(family)) return icon;
  return BY_FAMILY[family.split('.')[0] ?? ''] ?? UNKNOWN_FAMILY_ICON;
}
