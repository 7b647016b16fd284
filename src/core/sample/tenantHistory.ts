/**
 * The tenant-scoped part of the story (`tenant.*`). The contract lists these
 * types without a detail schema, so their detail objects here are invented
 * along the lines of the typed families: `{ id, data }` for a creation,
 * `{ id, changes_requested }` for an update, `{ id }` otherwise. A client must
 * show them without understanding them.
 */
import { JOINING_USER_NAMES, LEAVING_USER_NAME } from './sampleRoster';
import type { SampleServiceAccount } from './sampleTypes';
import type { SampleWorld } from './sampleWorld';

type Step = [type: string, detail: Record<string, unknown>];

/** One resource's lifecycle: steps `gap` apart (in window fractions) from `start`. */
interface TenantChain {
  start: number;
  gap: number;
  steps: Step[];
}

export function writeTenantHistory(w: SampleWorld): void {
  for (const chain of tenantChains(w)) {
    chain.steps.forEach(([type, detail], i) => {
      const t = w.near(chain.start + i * chain.gap, 0.004);
      w.add(t, type, detail, tenantActor(w, type, t));
    });
  }
}

/** Machine events come from a service account's key; everything else from an owner's dashboard session. */
function tenantActor(w: SampleWorld, type: string, t: number) {
  if (type.startsWith('tenant.workload_identity.')) {
    const key = w.roster.apiKeys.find((k) => k.kind === 'service_account' && k.deletedAt === undefined);
    if (key) return w.keyActor(key);
  }
  const owners = w.ownersAt(t);
  return w.session(w.rng.pick(owners));
}

function tenantChains(w: SampleWorld): TenantChain[] {
  const id = (prefix: string) => w.newId(prefix, 20);
  const { org, workspaceId } = w.roster;
  const tenant = org.tenantId;
  const user = (name: string) => w.userNamed(name);
  const newcomer = user(JOINING_USER_NAMES[2]);
  const leaving = user(LEAVING_USER_NAME);
  const atlasId = w.roster.projects.find((p) => p.names[0] === 'Atlas')?.id as string;
  const saKey = w.roster.apiKeys.find((k) => k.kind === 'service_account') as { serviceAccountId: string };

  const entra = id('entramap_');
  const wiProvider = id('twip_');
  const wiMapping = id('twim_');
  const adminKey = id('key_');
  const sso = id('sso_');
  const policy = id('pol_');
  const scimDir = id('scimdir_');
  const grantA = id('rsg_');
  const grantB = id('rsg_');
  const tenantSa: SampleServiceAccount = { id: id('svc_acct_'), name: 'tenant-directory-sync', role: 'member' };
  w.roster.serviceAccounts.push(tenantSa);
  const usageRequest = id('ulr_');
  const group = id('tgrp_');
  const customRole = id('crole_');
  const roleAssignment = id('tra_');
  const resourceRoleAssignment = id('trra_');
  const sessionPolicy = id('sesspol_');
  const apiInvite = id('orginv_');
  const apiInvite2 = id('orginv_');
  const workspaceInvite = id('wsinv_');
  const rollout = id('rollout_');

  const chains: TenantChain[] = [
    { start: 0.02, gap: 0.66, steps: [
      ['tenant.metadata.updated', { id: tenant, changes_requested: { display_name: 'Acme Research (Enterprise)' } }],
      ['tenant.metadata.updated', { id: tenant, changes_requested: { display_name: 'Acme Research Labs', support_contact: 'it@acme-research.example' } }],
    ] },
    { start: 0.03, gap: 0.05, steps: [
      ['tenant.migration_rollout.status.updated', { id: rollout, changes_requested: { status: 'in_progress' } }],
      ['tenant.migration_rollout.tier.updated', { id: rollout, changes_requested: { tier: 'tier_2' } }],
      ['tenant.migration.completed', { id: rollout, data: { source_organization_id: org.id, tenant_id: tenant } }],
      ['tenant.sso.migrated', { id: sso, data: { protocol: 'saml' } }],
      ['tenant.domains.migrated', { id: tenant, data: { domains: ['acme-research.example', 'acme.example'] } }],
    ] },
    { start: 0.06, gap: 0.1, steps: [
      ['tenant.sso_connection.setup.started', { id: sso, data: { protocol: 'saml' } }],
      ['tenant.sso_connection.created', { id: sso, data: { name: 'Okta', protocol: 'saml', idp_entity_id: 'http://www.okta.com/exk1acme' } }],
      ['tenant.sso_connection.updated', { id: sso, changes_requested: { enforced: true } }],
      ['tenant.principal_authentication_policy.resolved', { id: user('Julia Schmidt').id, data: { policy: 'sso_required', connection_id: sso } }],
      ['tenant.sso_connection.deleted', { id: sso }],
    ] },
    { start: 0.04, gap: 0.09, steps: [
      ['tenant.microsoft_entra_mapping.upserted', { id: entra, data: { entra_group_id: `${w.rng.hex(8)}-${w.rng.hex(4)}-4${w.rng.hex(3)}-8${w.rng.hex(3)}-${w.rng.hex(12)}`, role: 'member' } }],
      ['tenant.microsoft_entra_mapping.upserted', { id: entra, data: { role: 'owner' } }],
      ['tenant.microsoft_entra_mapping.deleted', { id: entra }],
    ] },
    { start: 0.05, gap: 0.12, steps: [
      ['tenant.workload_identity.provider.created', { id: wiProvider, data: { name: 'Buildkite', issuer_url: 'https://agent.buildkite.com' } }],
      ['tenant.workload_identity.mapping.created', { id: wiMapping, data: { provider_id: wiProvider, subject: 'organization:acme:pipeline:deploy', service_account_id: saKey.serviceAccountId } }],
      ['tenant.workload_identity.binding.created', { id: id('twib_'), data: { mapping_id: wiMapping, project_id: atlasId } }],
      ['tenant.workload_identity.principal.provisioned', { id: id('twpr_'), data: { provider_id: wiProvider, subject: 'organization:acme:pipeline:deploy' } }],
      ['tenant.workload_identity.access_token.issued', { id: id('twat_'), data: { mapping_id: wiMapping, expires_in: 3600 } }],
      ['tenant.workload_identity.provider.updated', { id: wiProvider, changes_requested: { name: 'Buildkite (prod)' } }],
      ['tenant.workload_identity.mapping.updated', { id: wiMapping, changes_requested: { subject: 'organization:acme:pipeline:deploy-prod' } }],
      ['tenant.workload_identity.mapping.archived', { id: wiMapping }],
    ] },
    { start: 0.93, gap: 0.01, steps: [['tenant.workload_identity.provider.archived', { id: wiProvider }]] },
    { start: 0.08, gap: 0.3, steps: [
      ['tenant.admin_api_key.created', { id: adminKey, data: { name: 'SIEM export', scopes: ['api.audit_logs.read'] } }],
      ['tenant.admin_api_key.updated', { id: adminKey, changes_requested: { name: 'SIEM export (rotated)' } }],
      ['tenant.admin_api_key.deleted', { id: adminKey }],
    ] },
    { start: 0.1, gap: 0.2, steps: [
      ['tenant.project_api_key.created', { id: id('key_'), data: { project_id: atlasId, name: 'atlas-batch' } }],
      ['tenant.chatgpt_access_token.revoked', { id: id('cat_'), data: { user_id: leaving.id, reason: 'user_offboarded' } }],
    ] },
    { start: 0.12, gap: 0.08, steps: [
      ['tenant.policy.created', { id: policy, data: { name: 'Require SSO for owners', kind: 'authentication' } }],
      ['tenant.policy.updated', { id: policy, changes_requested: { name: 'Require SSO for everyone' } }],
      ['tenant.policy.attached', { id: policy, data: { target_type: 'organization', target_id: org.id } }],
      ['tenant.policy.detached', { id: policy, data: { target_type: 'organization', target_id: org.id } }],
      ['tenant.policy.deleted', { id: policy }],
    ] },
    { start: 0.14, gap: 0.15, steps: [
      ['tenant.scim.setup.started', { id: tenant, data: { provider: 'okta' } }],
      ['tenant.scim.directory.created', { id: scimDir, data: { provider: 'okta', name: 'Okta directory' } }],
      ['tenant.scim.deletion.requested', { id: scimDir }],
    ] },
    { start: 0.16, gap: 0.25, steps: [
      ['tenant.product_access_policy.updated', { id: tenant, changes_requested: { chatgpt: 'enabled', api_platform: 'enabled', sora: 'disabled' } }],
      ['tenant.third_party_app_policy.updated', { id: tenant, changes_requested: { default_access: 'blocked' } }],
      ['tenant.workspace_invite_email_settings.updated', { id: workspaceId, changes_requested: { custom_message: 'Welcome to Acme 🎉' } }],
    ] },
    { start: 0.18, gap: 0.07, steps: [
      ['tenant.resource_share_grant.created', { id: grantA, data: { resource_type: 'project', resource_id: atlasId, grantee_organization_id: 'org-partner0000000000000000' } }],
      ['tenant.resource_share_grant.updated', { id: grantA, changes_requested: { permissions: ['read'] } }],
      ['tenant.resource_share_grant.accepted', { id: grantA }],
      ['tenant.resource_share_grant.revoked', { id: grantA }],
      ['tenant.resource_share_grant.deleted', { id: grantA }],
    ] },
    { start: 0.21, gap: 0.05, steps: [
      ['tenant.resource_share_grant.created', { id: grantB, data: { resource_type: 'project', resource_id: atlasId, grantee_organization_id: 'org-vendor00000000000000000' } }],
      ['tenant.resource_share_grant.declined', { id: grantB }],
    ] },
    { start: 0.22, gap: 0.2, steps: [
      ['tenant.service_account.updated', { id: tenantSa.id, changes_requested: { name: 'directory-sync' } }],
      ['tenant.service_account.token.revoked', { id: tenantSa.id, data: { token_id: id('tok_') } }],
      ['tenant.service_account.deleted', { id: tenantSa.id }],
    ] },
    { start: 0.24, gap: 0.1, steps: [
      ['tenant.billing.info.updated', { id: tenant, changes_requested: { billing_email: 'ap@acme-research.example' } }],
      ['tenant.billing.alerts.updated', { id: tenant, changes_requested: { thresholds_usd: [1000, 2500, 5000] } }],
      ['tenant.billing.overage_limit.updated', { id: tenant, changes_requested: { overage_limit_usd: 7500 } }],
    ] },
    { start: 0.26, gap: 0.06, steps: [
      ['tenant.usage_limit.workspace.updated', { id: workspaceId, changes_requested: { monthly_limit_usd: 20000 } }],
      ['tenant.usage_limit.group.updated', { id: group, changes_requested: { monthly_limit_usd: 2000 } }],
      ['tenant.usage_limit.user.updated', { id: user('Kwame Mensah').id, changes_requested: { monthly_limit_usd: 300 } }],
      ['tenant.usage_limit.increase_request.updated', { id: usageRequest, changes_requested: { status: 'pending', requested_limit_usd: 800 } }],
      ['tenant.usage_limit.increase_request.resolved', { id: usageRequest, data: { status: 'approved', limit_usd: 600 } }],
    ] },
    { start: 0.2, gap: 0.08, steps: [
      ['tenant.group.created', { id: group, data: { name: 'Platform Engineering' } }],
      ['tenant.group.updated', { id: group, changes_requested: { name: 'Platform & Infra' } }],
      ['tenant.group.member.added', { id: group, data: { user_id: user('Olivia Brown').id } }],
      ['tenant.group.member.removed', { id: group, data: { user_id: user('Olivia Brown').id } }],
    ] },
    { start: 0.96, gap: 0.01, steps: [['tenant.group.deleted', { id: group }]] },
    { start: 0.28, gap: 0.09, steps: [
      ['tenant.custom_role.created', { id: customRole, data: { name: 'Billing viewer', permissions: ['billing.read'] } }],
      ['tenant.role.metadata.updated', { id: customRole, changes_requested: { description: 'Read-only access to invoices' } }],
      ['tenant.role_assignment.created', { id: roleAssignment, data: { role_id: customRole, principal_id: user('Pablo Ruiz').id, principal_type: 'user' } }],
      ['tenant.custom_role.updated', { id: customRole, changes_requested: { permissions_added: ['billing.export'] } }],
      ['tenant.role_assignment.deleted', { id: roleAssignment }],
      ['tenant.custom_role.deleted', { id: customRole }],
    ] },
    { start: 0.31, gap: 0.2, steps: [
      ['tenant.resource_role_assignment.created', { id: resourceRoleAssignment, data: { role_id: customRole, principal_id: user('Quinn Taylor').id, resource_id: atlasId, resource_type: 'api.project' } }],
      ['tenant.resource_access.updated', { id: atlasId, changes_requested: { visibility: 'restricted' } }],
      ['tenant.resource_role_assignment.deleted', { id: resourceRoleAssignment }],
      ['tenant.resource_access.deleted', { id: atlasId }],
    ] },
    { start: 0.36, gap: 0.1, steps: [
      ['tenant.session_policy.created', { id: sessionPolicy, data: { max_session_hours: 12 } }],
      ['tenant.session_policy.updated', { id: sessionPolicy, changes_requested: { max_session_hours: 8 } }],
      ['tenant.session_revocation.started', { id: id('srev_'), data: { scope: 'all_users', reason: 'session policy tightened' } }],
      ['tenant.session_policy.deleted', { id: sessionPolicy }],
    ] },
    { start: 0.43, gap: 0.01, steps: [['tenant.ads_account.onboarding.redemption', { id: id('ads_'), data: { code: 'LAUNCH-2026' } }]] },
    // Newcomer's tenant-side membership, alongside the organization invite.
    { start: 0.33, gap: 0.02, steps: [
      ['tenant.user.invited', { id: newcomer.id, data: { email: newcomer.email, role: 'member' } }],
    ] },
    { start: 0.37, gap: 0.08, steps: [
      ['tenant.user.added', { id: newcomer.id, data: { role: 'member' } }],
      ['tenant.user.updated', { id: newcomer.id, changes_requested: { role: 'member', display_name: newcomer.name } }],
      ['tenant.user.looked_up', { id: newcomer.id, data: { lookup: 'email' } }],
    ] },
    { start: 0.73, gap: 0.01, steps: [['tenant.user.removed', { id: leaving.id }]] },
    { start: 0.45, gap: 0.06, steps: [
      ['tenant.api_organization_invite.upserted', { id: apiInvite, data: { email: 'rhea.kapoor@acme-research.example', organization_id: org.id, role: 'member' } }],
      ['tenant.membership.accepted', { id: apiInvite, data: { organization_id: org.id } }],
      ['tenant.api_organization_invite.upserted', { id: apiInvite2, data: { email: 'sam.ortiz@partner.example', organization_id: org.id, role: 'member' } }],
      ['tenant.api_organization_invite.deleted', { id: apiInvite2 }],
      ['tenant.chatgpt_workspace_invite.upserted', { id: workspaceInvite, data: { email: 'lee.park@acme-research.example', workspace_id: workspaceId } }],
      ['tenant.membership.declined', { id: workspaceInvite, data: { workspace_id: workspaceId } }],
    ] },
    { start: 0.74, gap: 0.01, steps: [['tenant.membership.revoked', { id: leaving.id, data: { organization_id: org.id } }]] },
  ];
  return chains;
}
