/**
 * The built-in detection rules, written in the same format as a user's rules (ruleSchema.ts). Their ids
 * never change: settings, reviews and automation refer to them. Thresholds and windows here are the
 * defaults; `openaiAuditLogs.findings.builtIn` overrides them per rule (applyOverrides.ts).
 */
import type { RuleInput } from './ruleSchema';

const DELETIONS = ['project.deleted', 'api_key.deleted', 'user.deleted', 'service_account.deleted'];
const OFF = [false, 'false', 'disabled', 'off', 'none', 'optional', 'not_required', 'inactive'];
const SECURITY_KEYS = ['*sso*', '*saml*', '*mfa*', '*2fa*', '*two_factor*', '*multi_factor*', '*password*', '*scim*', '*allowlist*', '*session_timeout*', '*security*'];
const ROLE_TYPES = ['role.assignment.created', 'user.added', 'user.updated', 'invite.sent', 'service_account.created', 'service_account.updated'];
const SCOPES = ['detail.data.scopes', 'detail.changes_requested.scopes'];

export const BUILTIN_RULES: readonly RuleInput[] = [
  {
    id: 'admin-role-granted',
    severity: 'high',
    title: 'Admin role "{$role.name}" granted to {detail.data.email|detail.principal_id|detail.id} by {$actor}',
    explanation: 'A user, group, invite or service account was given the owner role or an admin role, which can change every setting and key of the organization or project.',
    match: { all: [{ type: ROLE_TYPES }, { any: [{ path: '$role.admin', equals: true }, { all: [{ type: 'role.assignment.created' }, { path: '$role.known', equals: false }] }] }] },
    cases: [
      {
        when: { all: [{ path: '$role.owner', equals: true }, { not: { path: 'project.id', exists: true } }] },
        severity: 'critical',
        title: 'Organization owner role granted to {detail.data.email|detail.principal_id|detail.id} by {$actor}',
        explanation: 'Someone was made an owner of the organization: full control of every project, key, member and setting, including the audit log.',
      },
      {
        when: { path: '$role.known', equals: false },
        severity: 'medium',
        title: 'Role assigned, role unknown ({detail.principal_type} {detail.principal_id})',
        explanation: 'A role was assigned, but the event does not name the role and the archive holds no role.created or role.updated event for it: check that it is not an admin role.',
      },
    ],
  },
  {
    id: 'api-key-elevated-scopes',
    severity: 'medium',
    title: 'API key {detail.id} with write scopes',
    explanation: 'An API key was created or changed with scopes that can write (files, fine-tunes, assistants, ...), not only read or request models.',
    match: { all: [{ type: ['api_key.created', 'api_key.updated'] }, { path: SCOPES, matches: '(\\.write$|\\*|(^|\\.)(all|admin|management)(\\.|$))' }] },
    cases: [
      {
        when: { path: SCOPES, matches: '(\\*|(^|\\.)(all|admin|management)(\\.|$))' },
        severity: 'high',
        title: 'API key {detail.id} with all or admin scopes',
        explanation: 'An API key was created or changed with all scopes or administrative scopes.',
      },
    ],
  },
  {
    id: 'admin-api-key-created',
    severity: 'high',
    title: 'Admin API key {detail.id} created by {$actor}',
    explanation: 'A new Admin API key can manage the whole organization (members, projects, keys, the audit log) without a login. Read as an Admin key: an api_key.created outside any project, or one whose payload says admin or management.',
    match: {
      all: [
        { type: 'api_key.created' },
        {
          any: [
            { not: { path: 'project.id', exists: true } },
            { path: ['detail.data.type', 'detail.data.key_type', 'detail.type'], equals: 'admin' },
            { path: 'detail.data.scopes', matches: '^api\\.(management|admin)' },
          ],
        },
      ],
    },
  },
  {
    id: 'credential-stuffing',
    kind: 'threshold',
    severity: 'medium',
    title: 'Failed logins for {$email} from many addresses',
    explanation: 'Logins failed for one email from at least 5 different IP addresses within 30 minutes: someone may be trying leaked passwords.',
    match: { type: 'login.failed' },
    group: '$email',
    distinct: 5,
    distinctOf: '$ip',
    windowSeconds: 1800,
  },
  {
    id: 'brute-force-success',
    kind: 'sequence',
    severity: 'high',
    title: 'Login for {$email} succeeded after failures',
    explanation: 'Logins failed at least 3 times for one email and then one succeeded within 30 minutes: a guessed password looks the same.',
    match: { type: 'login.failed' },
    then: { type: 'login.succeeded' },
    group: '$email',
    count: 3,
    windowSeconds: 1800,
  },
  {
    id: 'ip-allowlist-changed',
    severity: 'medium',
    title: 'IP allowlist changed ({type})',
    explanation: 'An IP allowlist was created or activated: who can reach the organization changed.',
    match: { type: 'ip_allowlist.*' },
    cases: [
      {
        when: { type: ['ip_allowlist.deleted', 'ip_allowlist.config.deactivated'] },
        severity: 'critical',
        title: 'IP allowlist removed ({type}) by {$actor}',
        explanation: 'An IP allowlist was deleted or deactivated: the organization may now be reachable from any address.',
      },
      { when: { type: 'ip_allowlist.updated' }, severity: 'high', title: 'IP allowlist updated by {$actor}', explanation: 'The addresses allowed to reach the organization changed.' },
    ],
  },
  {
    id: 'scim-disabled',
    severity: 'high',
    title: 'SCIM provisioning disabled by {$actor}',
    explanation: 'SCIM was turned off: members are no longer removed when the identity provider removes them.',
    match: { type: 'scim.disabled' },
  },
  {
    id: 'scim-enabled',
    severity: 'low',
    title: 'SCIM provisioning enabled by {$actor}',
    explanation: 'SCIM was turned on: the identity provider now adds and removes members.',
    match: { type: 'scim.enabled' },
  },
  {
    id: 'security-settings-off',
    severity: 'high',
    title: 'Security setting turned off ({type}) by {$actor}',
    explanation: 'An organization setting for SSO, MFA, passwords, SCIM or allowlists was turned off or made optional, or a security configuration was deactivated.',
    match: {
      any: [
        {
          all: [
            { type: 'organization.updated' },
            { path: SECURITY_KEYS.flatMap((k) => [`detail.changes_requested.${k}`, `detail.changes_requested.settings.${k}`]), in: OFF },
          ],
        },
        { all: [{ type: ['*.config.deactivated', '*.config.disabled', '*.config.deleted'] }, { not: { type: 'ip_allowlist.*' } }] },
        { all: [{ type: '*.config.updated' }, { path: ['detail.changes_requested.enabled', 'detail.changes_requested.*required*'], in: OFF }] },
      ],
    },
  },
  {
    id: 'new-country-for-actor',
    kind: 'firstSeen',
    severity: 'medium',
    title: 'Login for {$actor} from a new country ({$country})',
    explanation: 'A login came from a country (from ip_address_details) not seen for this actor in the archive before.',
    match: { all: [{ type: 'login.succeeded' }, { path: ['$country', '$asn'], exists: true }] },
    cases: [
      {
        when: { not: { path: '$country', exists: true } },
        title: 'Login for {$actor} from a new network (ASN {$asn})',
        explanation: 'A login came from a network (the ASN of ip_address_details, which names no country here) not seen for this actor in the archive before.',
      },
    ],
    group: '$actor',
    // Where from: the country, or the network (ASN) when the details name no country.
    value: ['$country', '$asn'],
  },
  {
    id: 'mass-deletion',
    kind: 'threshold',
    severity: 'high',
    title: 'Mass deletion by {$actor}',
    explanation: 'One actor deleted at least 10 projects, API keys, users or service accounts within 10 minutes.',
    match: { type: DELETIONS },
    group: '$actor',
    count: 10,
    windowSeconds: 600,
  },
];

export const BUILTIN_RULE_IDS = BUILTIN_RULES.map((r) => r.id);
