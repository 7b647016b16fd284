/**
 * The scripted part of the sample: one story, the same for every seed and
 * size, that uses every organization-level event type in believable
 * lifecycles (created → updated → updated → deleted on the same resource id),
 * so that change diffs have a "before" to show. Positions are fractions of
 * the window (0 = oldest, 1 = newest); chains keep at least 0.02 between
 * steps and jitter by at most 0.005, so their order never flips.
 */
import { HOSTILE_STRINGS, longDescription } from './hostileStrings';
import { JOINING_USER_NAMES, LEAVING_USER_NAME, PROJECT_NAMES, type ProjectKey, type SampleRateLimit } from './sampleRoster';
import type { SampleApiKey, SampleProject, SampleServiceAccount } from './sampleTypes';
import type { SampleWorld } from './sampleWorld';

const J = 0.005;

export function projectByKey(w: SampleWorld, key: ProjectKey): SampleProject {
  return w.roster.projects[Object.keys(PROJECT_NAMES).indexOf(key)] as SampleProject;
}

export function writeScriptedHistory(w: SampleWorld): void {
  organization(w);
  projects(w);
  projectApiKey(w);
  serviceAccount(w);
  rateLimits(w);
  invitesAndUsers(w);
  groups(w);
  roles(w);
  scim(w);
  ipAllowlists(w);
  certificates(w);
  checkpointPermission(w);
  externalKey(w);
  sessions(w);
  workloadIdentity(w);
  tunnel(w);
  resourceDeleted(w);
}

function organization(w: SampleWorld): void {
  const { org } = w.roster;
  const projectsForLogging = () => `${projectByKey(w, 'atlas').id},${projectByKey(w, 'pipeline').id}`;
  w.addAdmin(w.near(0.05, J), 'organization.updated', {
    id: org.id,
    changes_requested: { title: 'Acme Research Labs', description: 'Evaluation tooling for language models.' },
  });
  org.names.push('Acme Research Labs');
  org.name = 'Acme Research Labs';
  w.addAdmin(w.near(0.33, J), 'organization.updated', {
    id: org.id,
    changes_requested: { name: 'acme-research-labs', threads_ui_visibility: 'OWNERS', usage_dashboard_visibility: 'OWNERS' },
  });
  w.addAdmin(w.near(0.78, J), 'organization.updated', {
    id: org.id,
    changes_requested: {
      description: longDescription(),
      threads_ui_visibility: 'NONE',
      api_call_logging: 'enabled_for_selected_projects',
      api_call_logging_project_ids: projectsForLogging(),
    },
  });
}

function projects(w: SampleWorld): void {
  const created: [ProjectKey, number][] = [
    ['atlas', 0.04],
    ['pipeline', 0.1],
    ['html', 0.15],
    ['arabic', 0.25],
    ['temp', 0.3],
    ['emoji', 0.45],
  ];
  for (const [key, f] of created) {
    const p = projectByKey(w, key);
    const t = w.near(f, J);
    p.createdAt = t;
    const { actor } = w.admin(t);
    w.add(t, 'project.created', { id: p.id, data: { name: p.name, title: p.name } }, actor, p);
  }
  const atlas = projectByKey(w, 'atlas');
  for (const [f, title] of [
    [0.2, 'Atlas Platform'],
    [0.55, 'Atlas Core'],
  ] as const) {
    const t = w.near(f, J);
    w.renameProject(atlas, t, title);
    w.add(t, 'project.updated', { id: atlas.id, changes_requested: { title } }, w.admin(t).actor, atlas);
  }
  const legacy = projectByKey(w, 'legacy');
  archive(w, legacy, w.near(0.38, J));
  const temp = projectByKey(w, 'temp');
  archive(w, temp, w.near(0.5, J));
  const deletedAt = w.near(0.6, J);
  temp.deletedAt = deletedAt;
  temp.status = 'deleted';
  w.add(deletedAt, 'project.deleted', { id: temp.id }, w.admin(deletedAt).actor, temp);
}

function archive(w: SampleWorld, p: SampleProject, t: number): void {
  p.archivedAt = t;
  p.status = 'archived';
  w.add(t, 'project.archived', { id: p.id }, w.admin(t).actor, p);
}

function projectApiKey(w: SampleWorld): void {
  const atlas = projectByKey(w, 'atlas');
  const owner = w.userNamed('Priya Raman');
  const steps: [number, string[]][] = [
    [0.06, ['api.model.request', 'api.model.read']],
    [0.22, ['api.model.request', 'api.model.read', 'api.files.read', 'api.files.write']],
    [0.48, ['api.model.request', 'api.responses.write']],
  ];
  const key: SampleApiKey = { id: w.newId('key_', 16), name: 'atlas-prod', kind: 'user', userId: owner.id, projectId: atlas.id, scopes: [] };
  w.roster.apiKeys.push(key);
  steps.forEach(([f, scopes], i) => {
    const t = w.near(f, J);
    if (i === 0) {
      key.createdAt = t;
      w.add(t, 'api_key.created', { id: key.id, data: { scopes } }, w.session(owner), atlas);
    } else {
      w.add(t, 'api_key.updated', { id: key.id, changes_requested: { scopes } }, w.session(owner), atlas);
    }
    key.scopes = scopes;
  });
  const t = w.near(0.9, J);
  key.deletedAt = t;
  w.add(t, 'api_key.deleted', { id: key.id }, w.admin(t).actor, atlas);
}

function serviceAccount(w: SampleWorld): void {
  const pipeline = projectByKey(w, 'pipeline');
  const sa: SampleServiceAccount = { id: w.newId('svc_acct_'), name: 'etl-runner', projectId: pipeline.id, role: 'member' };
  const key: SampleApiKey = {
    id: w.newId('key_', 16),
    name: 'etl-runner key',
    kind: 'service_account',
    serviceAccountId: sa.id,
    projectId: pipeline.id,
    scopes: ['api.files.write', 'api.batch.write', 'api.model.request'],
  };
  w.roster.serviceAccounts.push(sa);
  w.roster.apiKeys.push(key);
  const creator = w.userNamed('Chen Wei');
  const t0 = w.near(0.12, J);
  sa.createdAt = t0;
  key.createdAt = t0 + 1;
  w.add(t0, 'service_account.created', { id: sa.id, data: { role: 'member' } }, w.session(creator, 0), pipeline);
  w.add(t0 + 1, 'api_key.created', { id: key.id, data: { scopes: key.scopes } }, w.session(creator, 0), pipeline);
  for (const [f, role] of [
    [0.3, 'owner'],
    [0.5, 'member'],
  ] as const) {
    const t = w.near(f, J);
    w.add(t, 'service_account.updated', { id: sa.id, changes_requested: { role } }, w.admin(t).actor, pipeline);
    sa.role = role;
  }
  // Deleting a service account deletes its key in the same second.
  const t = w.near(0.85, J);
  sa.deletedAt = t;
  key.deletedAt = t;
  const { actor } = w.admin(t);
  w.add(t, 'service_account.deleted', { id: sa.id }, actor, pipeline);
  w.add(t, 'api_key.deleted', { id: key.id }, actor, pipeline);
}

function rateLimit(w: SampleWorld, key: ProjectKey, model: string): [SampleRateLimit, SampleProject] {
  const p = projectByKey(w, key);
  const rl = w.roster.rateLimits.find((r) => r.projectId === p.id && r.model === model) as SampleRateLimit;
  rl.scripted = true;
  return [rl, p];
}

function rateLimits(w: SampleWorld): void {
  const [gpt4o, atlas] = rateLimit(w, 'atlas', 'gpt-4o');
  const changes: [number, Record<string, number>][] = [
    [0.08, { max_requests_per_1_minute: 500, max_tokens_per_1_minute: 30_000 }],
    [0.4, { max_requests_per_1_minute: 1_000 }],
  ];
  for (const [f, changes_requested] of changes) {
    const t = w.near(f, J);
    w.add(t, 'rate_limit.updated', { id: gpt4o.id, changes_requested }, w.admin(t).actor, atlas);
  }
  const [o3] = rateLimit(w, 'atlas', 'o3');
  let t = w.near(0.16, J);
  w.add(t, 'rate_limit.updated', { id: o3.id, changes_requested: { max_requests_per_1_day: 10_000, batch_1_day_max_input_tokens: 5_000_000 } }, w.admin(t).actor, atlas);
  t = w.near(0.7, J);
  w.add(t, 'rate_limit.deleted', { id: o3.id }, w.admin(t).actor, atlas);
  const [image, def] = rateLimit(w, 'default', 'gpt-image-1');
  t = w.near(0.2, J);
  w.add(t, 'rate_limit.updated', { id: image.id, changes_requested: { max_images_per_1_minute: 5 } }, w.admin(t).actor, def);
  const [whisper, borealis] = rateLimit(w, 'borealis', 'whisper-1');
  t = w.near(0.26, J);
  w.add(t, 'rate_limit.updated', { id: whisper.id, changes_requested: { max_audio_megabytes_per_1_minute: 50 } }, w.admin(t).actor, borealis);
}

function invitesAndUsers(w: SampleWorld): void {
  const ada = w.userNamed('Ada Okafor');
  const joining = JOINING_USER_NAMES.map((n) => w.userNamed(n));
  // One bulk invite: five invites in the same second.
  const tBulk = w.near(0.14, J);
  const emails = [...joining.map((u) => u.email), 'kai.mueller@partner.example', HOSTILE_STRINGS.svgInviteEmail];
  const inviteIds = emails.map(() => w.newId('invite-'));
  const inviter = w.session(ada, 0);
  emails.forEach((email, i) => {
    w.add(tBulk, 'invite.sent', { id: inviteIds[i], data: { email, role: 'member' } }, structuredClone(inviter));
  });
  [0.16, 0.2, 0.35].forEach((f, i) => {
    const user = joining[i]!;
    const t = w.near(f, J);
    user.addedAt = t;
    w.add(t, 'invite.accepted', { id: inviteIds[i] }, w.session(user, 0));
    w.add(t + 2, 'user.added', { id: user.id, data: { role: 'member' } }, w.session(user, 0));
  });
  let t = w.near(0.3, J);
  w.add(t, 'invite.deleted', { id: inviteIds[3] }, w.session(ada));

  // Org role changes of one newcomer, and one departure.
  const tomas = joining[0]!;
  for (const [f, role] of [
    [0.4, 'owner'],
    [0.65, 'member'],
  ] as const) {
    t = w.near(f, J);
    w.add(t, 'user.updated', { id: tomas.id, changes_requested: { role } }, w.admin(t, 1).actor);
    tomas.role = role;
  }
  const leaving = w.userNamed(LEAVING_USER_NAME);
  t = w.near(0.72, J);
  leaving.removedAt = t;
  w.add(t, 'user.deleted', { id: leaving.id }, w.admin(t, 1).actor);

  // Project memberships.
  const uma = joining[1]!;
  t = w.near(0.22, J);
  w.add(t, 'user.added', { id: uma.id, data: { role: 'member' } }, w.admin(t).actor, projectByKey(w, 'atlas'));
  t = w.near(0.3, J);
  w.add(t, 'user.updated', { id: w.userNamed('Dana Cohen').id, changes_requested: { role: 'owner' } }, w.admin(t).actor, projectByKey(w, 'support'));
  t = w.near(0.57, J);
  w.add(t, 'user.deleted', { id: w.userNamed('Gustavo Lima').id }, w.admin(t).actor, projectByKey(w, 'borealis'));
}

function groups(w: SampleWorld): void {
  const platform = w.newId('group_');
  let t = w.near(0.07, J);
  w.addAdmin(t, 'group.created', { id: platform, data: { group_name: 'Platform Engineering' } });
  const id = w.newId('group_');
  const names = [HOSTILE_STRINGS.emojiGroupName, HOSTILE_STRINGS.hebrewGroupName, HOSTILE_STRINGS.rtlOverrideGroupName];
  [0.18, 0.42, 0.58].forEach((f, i) => {
    t = w.near(f, J);
    const detail = i === 0 ? { id, data: { group_name: names[i] } } : { id, changes_requested: { group_name: names[i] } };
    w.addAdmin(t, i === 0 ? 'group.created' : 'group.updated', detail);
  });
  t = w.near(0.92, J);
  w.addAdmin(t, 'group.deleted', { id });
  // A group-scoped role assignment on the organization (kept).
  t = w.near(0.09, J);
  w.addAdmin(t, 'role.assignment.created', {
    id: w.newId('ra_'),
    principal_id: platform,
    principal_type: 'group',
    resource_id: w.roster.org.id,
    resource_type: 'api.organization',
  });
}

function roles(w: SampleWorld): void {
  const atlas = projectByKey(w, 'atlas');
  const id = w.newId('role_');
  let t = w.near(0.2, J);
  w.add(
    t,
    'role.created',
    {
      id,
      role_name: 'Fine-tune operators',
      permissions: ['api.fine_tuning.jobs.read', 'api.fine_tuning.jobs.write', 'api.files.read'],
      resource_type: 'api.project',
      resource_id: atlas.id,
    },
    w.admin(t).actor,
    atlas,
  );
  t = w.near(0.44, J);
  w.add(t, 'role.updated', { id, changes_requested: { permissions_added: ['api.files.write'], permissions_removed: [] } }, w.admin(t).actor, atlas);
  t = w.near(0.6, J);
  w.add(
    t,
    'role.updated',
    {
      id,
      changes_requested: {
        role_name: 'Fine-tune admins',
        description: 'Runs and manages fine-tuning jobs in Atlas.',
        permissions_added: ['api.batch.write'],
        permissions_removed: ['api.fine_tuning.jobs.read'],
        metadata: { ticket: 'SEC-1423' },
      },
    },
    w.admin(t).actor,
    atlas,
  );
  t = w.near(0.95, J);
  w.add(t, 'role.deleted', { id }, w.admin(t).actor, atlas);

  const assignment = {
    id: w.newId('ra_'),
    principal_id: w.userNamed(JOINING_USER_NAMES[1]).id,
    principal_type: 'user',
    resource_id: atlas.id,
    resource_type: 'api.project',
  };
  t = w.near(0.25, J);
  w.add(t, 'role.assignment.created', assignment, w.admin(t).actor, atlas);
  t = w.near(0.62, J);
  w.add(t, 'role.assignment.deleted', { ...assignment }, w.admin(t).actor, atlas);

  // Connector role bindings on the ChatGPT side of the tenant (tenant-scoped).
  const ws = w.roster.workspaceId;
  const connector = 'connector_google_drive';
  const binding = {
    id: `${ws}__${connector}`,
    role_id: w.newId('role_'),
    resource_id: `${ws}__${connector}`,
    resource_type: 'chatgpt.workspace.connector',
  };
  t = w.near(0.5, J);
  w.add(
    t,
    'role.bound_to_resource',
    { ...binding, permissions: ['connector.read', 'connector.use'], workspace_id: ws, connector_id: connector, connector_name: 'Google Drive', enabled: true, source: 'role_toggle' },
    w.session(w.userNamed('Mateo García')),
  );
  t = w.near(0.75, J);
  w.add(
    t,
    'role.unbound_from_resource',
    { ...binding, permissions: ['connector.read'], workspace_id: ws, connector_id: connector, connector_name: 'Google Drive', enabled: false, source: 'role_connector_update' },
    w.session(w.userNamed('Mateo García')),
  );
}

function scim(w: SampleWorld): void {
  w.addAdmin(w.near(0.09, J), 'scim.enabled', { id: w.roster.org.id }, 1);
  w.addAdmin(w.near(0.88, J), 'scim.disabled', { id: w.roster.org.id }, 1);
}

/** 6,000 distinct /32 entries: the kind of payload that must not freeze a panel. */
function hugeAllowlist(): string[] {
  const ips: string[] = [];
  for (let i = 0; i < 6000; i++) ips.push(`100.${64 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}/32`);
  return ips;
}

function ipAllowlists(w: SampleWorld): void {
  const office = { id: w.newId('ipallowlist_'), name: 'Office networks' };
  const vpn = { id: w.newId('ipallowlist_'), name: 'VPN egress' };
  let officeIps = ['203.0.113.0/24', '198.51.100.7/32'];
  let t = w.near(0.13, J);
  w.addAdmin(t, 'ip_allowlist.created', { ...office, allowed_ips: officeIps });
  t = w.near(0.24, J);
  w.addAdmin(t, 'ip_allowlist.created', { ...vpn, allowed_ips: ['192.0.2.10/32'] });
  t = w.near(0.27, J);
  officeIps = [...officeIps, '2001:db8:1200::/40'];
  w.addAdmin(t, 'ip_allowlist.updated', { id: office.id, allowed_ips: officeIps });
  t = w.near(0.29, J);
  w.addAdmin(t, 'ip_allowlist.config.activated', { configs: [{ ...office }, { ...vpn }] }, 1);
  t = w.near(0.46, J);
  w.addAdmin(t, 'ip_allowlist.updated', { id: vpn.id, allowed_ips: hugeAllowlist() });
  t = w.near(0.8, J);
  w.addAdmin(t, 'ip_allowlist.config.deactivated', { configs: [{ ...office }] }, 1);
  t = w.near(0.82, J);
  w.addAdmin(t, 'ip_allowlist.deleted', { ...office, allowed_ips: officeIps });
}

function pem(w: SampleWorld): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines = ['-----BEGIN CERTIFICATE-----'];
  for (let l = 0; l < 18; l++) {
    let line = '';
    for (let i = 0; i < 64; i++) line += alphabet[w.rng.int(0, 64)];
    lines.push(line);
  }
  lines.push('-----END CERTIFICATE-----');
  return lines.join('\n');
}

function certificates(w: SampleWorld): void {
  const c1 = { id: w.newId('cert_'), name: 'mTLS client 2026' };
  const c2 = { id: w.newId('cert_'), name: HOSTILE_STRINGS.rtlOverrideCertificateName };
  let t = w.near(0.16, J);
  w.addAdmin(t, 'certificate.created', { ...c1 });
  t = w.near(0.19, J);
  w.addAdmin(t, 'certificate.created', { ...c2 });
  t = w.near(0.3, J);
  c1.name = 'mTLS client 2026 (rotated)';
  w.addAdmin(t, 'certificate.updated', { ...c1 });
  t = w.near(0.32, J);
  w.addAdmin(t, 'certificates.activated', { certificates: [{ ...c1 }, { ...c2 }] });
  t = w.near(0.69, J);
  w.addAdmin(t, 'certificates.deactivated', { certificates: [{ ...c1 }] });
  t = w.near(0.74, J);
  w.addAdmin(t, 'certificate.deleted', { ...c1, certificate: pem(w) });
}

function checkpointPermission(w: SampleWorld): void {
  const atlas = projectByKey(w, 'atlas');
  const id = w.newId('cp_');
  let t = w.near(0.34, J);
  w.add(
    t,
    'checkpoint.permission.created',
    { id, data: { project_id: projectByKey(w, 'borealis').id, fine_tuned_model_checkpoint: w.newId('ftckpt_') } },
    w.admin(t).actor,
    atlas,
  );
  t = w.near(0.66, J);
  w.add(t, 'checkpoint.permission.deleted', { id }, w.admin(t).actor, atlas);
}

function externalKey(w: SampleWorld): void {
  const id = w.newId('ekm_');
  const uuid = `${w.rng.hex(8)}-${w.rng.hex(4)}-${w.rng.hex(4)}-${w.rng.hex(4)}-${w.rng.hex(12)}`;
  w.addAdmin(w.near(0.11, J), 'external_key.registered', {
    id,
    data: { provider: 'aws_kms', key_arn: `arn:aws:kms:us-east-1:111122223333:key/${uuid}`, region: 'us-east-1' },
  });
  w.addAdmin(w.near(0.93, J), 'external_key.removed', { id });
}

function sessions(w: SampleWorld): void {
  const ada = w.userNamed('Ada Okafor');
  let t = w.near(0.5, J);
  w.add(t, 'login.succeeded', {}, w.session(ada, 0));
  w.add(t + 3600, 'logout.succeeded', {}, w.session(ada, 0));
  t = w.near(0.41, J);
  w.add(t, 'login.failed', { error_code: 'invalid_credentials', error_message: 'Invalid email or password.' }, null);
  t = w.near(0.63, J);
  w.add(t, 'login.failed', { error_code: 'mfa_required', error_message: 'Multi-factor authentication did not complete.' }, 'absent');
  const hostile = w.userNamed(HOSTILE_STRINGS.scriptUserName);
  t = w.near(0.52, J);
  w.add(t, 'login.failed', { error_code: 'invalid_request', error_message: HOSTILE_STRINGS.htmlErrorMessage }, w.session(hostile, 1));
  t = w.near(0.67, J);
  w.add(t, 'logout.failed', { error_code: 'session_expired', error_message: 'The session had already expired.' }, w.session(w.userNamed('Hana Sato')));
}

function workloadIdentity(w: SampleWorld): void {
  const pipeline = projectByKey(w, 'pipeline');
  const sa = w.roster.serviceAccounts.find((s) => s.name === 'etl-runner') as SampleServiceAccount;
  const provider = w.newId('wip_');
  let t = w.near(0.19, J);
  w.addAdmin(t, 'workload_identity_provider.created', {
    id: provider,
    data: { name: 'GitHub Actions OIDC', issuer_url: 'https://token.actions.githubusercontent.com', audience: 'api.openai.com' },
  });
  t = w.near(0.37, J);
  w.addAdmin(t, 'workload_identity_provider.updated', {
    id: provider,
    changes_requested: { name: 'GitHub Actions', audience: 'https://api.openai.com/v1' },
  });
  const mapping = w.newId('wipm_');
  t = w.near(0.39, J);
  w.add(
    t,
    'workload_identity_provider_mapping.created',
    {
      id: mapping,
      identity_provider_id: provider,
      data: { project_id: pipeline.id, service_account_id: sa.id, subject: 'repo:acme-research/pipeline:ref:refs/heads/main' },
    },
    w.admin(t).actor,
    pipeline,
  );
  t = w.near(0.53, J);
  w.add(
    t,
    'workload_identity_provider_mapping.updated',
    { id: mapping, identity_provider_id: provider, changes_requested: { subject: 'repo:acme-research/pipeline:environment:production' } },
    w.admin(t).actor,
    pipeline,
  );
  t = w.near(0.83, J);
  w.add(
    t,
    'workload_identity_provider_mapping.deleted',
    { id: mapping, identity_provider_id: provider, project_id: pipeline.id, service_account_id: sa.id },
    w.admin(t).actor,
    pipeline,
  );
  t = w.near(0.9, J);
  w.addAdmin(t, 'workload_identity_provider.deleted', { id: provider, name: 'GitHub Actions' });
}

function tunnel(w: SampleWorld): void {
  const pipeline = projectByKey(w, 'pipeline');
  const id = w.newId('tnl_');
  let t = w.near(0.23, J);
  w.add(t, 'tunnel.created', { id, data: { name: 'on-prem vector store', hostname: 'vectors.internal.acme-research.example', port: 443 } }, w.admin(t).actor, pipeline);
  t = w.near(0.47, J);
  w.add(t, 'tunnel.updated', { id, changes_requested: { port: 8443 } }, w.admin(t).actor, pipeline);
  t = w.near(0.77, J);
  w.add(t, 'tunnel.deleted', { id }, w.admin(t).actor, pipeline);
}

function resourceDeleted(w: SampleWorld): void {
  const support = projectByKey(w, 'support');
  const key = w.roster.apiKeys.find((k) => k.name === 'support-staging') as SampleApiKey;
  w.add(w.near(0.68, J), 'resource.deleted', { id: w.newId('vs_'), resource_type: 'vector_store', name: 'support-kb-2025' }, w.keyActor(key), support);
}
