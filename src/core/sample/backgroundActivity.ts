/**
 * Everyday activity that fills the sample up to the requested size: logins,
 * project keys coming and going, rate-limit tuning, memberships, machine
 * tokens. It runs after the scripted history, so it knows when each project
 * and user exists and never places an event outside that interval. Each
 * episode is a short chain on its own fresh resource (or on a resource that is
 * never deleted), written in time order and cut short, never reordered, when
 * the budget runs out.
 */
import { KEY_SCOPES, RATE_LIMIT_MODELS, type SampleRateLimit } from './sampleRoster';
import type { SampleApiKey, SampleProject, SampleServiceAccount, SampleUser } from './sampleTypes';
import type { SampleWorld } from './sampleWorld';

const HOUR = 3600;
const DAY = 86_400;

/** A step writes one event (and its roster side effects); steps run in time order. */
type Step = () => void;
type Episode = (w: SampleWorld, ctx: BackgroundContext) => Step[];

interface Interval {
  from: number;
  to: number;
}

interface BackgroundContext {
  projects: { project: SampleProject; open: Interval; weight: number }[];
  projectWeightTotal: number;
  users: { user: SampleUser; active: Interval }[];
  rateLimitsByProject: Map<string, SampleRateLimit[]>;
  serviceAccountKeys: SampleApiKey[];
  userKeys: SampleApiKey[];
}

export function writeBackgroundActivity(w: SampleWorld, count: number): void {
  if (count <= 0) return;
  const ctx = context(w);
  const total = EPISODES.reduce((s, [weight]) => s + weight, 0);
  const target = w.events.length + count;
  while (w.events.length < target) {
    let r = w.rng.next() * total;
    let episode = EPISODES[EPISODES.length - 1]![1];
    for (const [weight, e] of EPISODES) {
      r -= weight;
      if (r < 0) {
        episode = e;
        break;
      }
    }
    const steps = episode(w, ctx);
    const room = target - w.events.length;
    for (let i = 0; i < steps.length && i < room; i++) steps[i]!();
  }
}

function context(w: SampleWorld): BackgroundContext {
  const end = w.endTime + 1;
  const projects = w.roster.projects
    .map((project) => ({
      project,
      open: { from: project.createdAt ?? w.startTime, to: project.archivedAt ?? project.deletedAt ?? end },
      weight: project.isDefault || project.names[0] === 'Atlas' ? 4 : project.names[0] === 'Borealis' ? 2 : 1,
    }))
    .filter((p) => p.open.to > p.open.from);
  const users = w.roster.users.map((user) => ({ user, active: { from: user.addedAt ?? w.startTime, to: user.removedAt ?? end } }));
  const rateLimitsByProject = new Map<string, SampleRateLimit[]>();
  for (const rl of w.roster.rateLimits) {
    if (rl.scripted) continue;
    const list = rateLimitsByProject.get(rl.projectId) ?? [];
    list.push(rl);
    rateLimitsByProject.set(rl.projectId, list);
  }
  return {
    projects,
    projectWeightTotal: projects.reduce((s, p) => s + p.weight, 0),
    users,
    rateLimitsByProject,
    serviceAccountKeys: w.roster.apiKeys.filter((k) => k.kind === 'service_account' && k.createdAt === undefined && k.deletedAt === undefined),
    userKeys: w.roster.apiKeys.filter((k) => k.kind === 'user' && k.createdAt === undefined && k.deletedAt === undefined),
  };
}

function pickProject(w: SampleWorld, ctx: BackgroundContext): { project: SampleProject; open: Interval } {
  let r = w.rng.next() * ctx.projectWeightTotal;
  for (const p of ctx.projects) {
    r -= p.weight;
    if (r < 0) return p;
  }
  return ctx.projects[0]!;
}

function pickUser(w: SampleWorld, ctx: BackgroundContext): { user: SampleUser; active: Interval } {
  return w.rng.pick(ctx.users);
}

/** Later times after `t`, each `min..max` seconds after the previous, stopping at `until`. */
function later(w: SampleWorld, t: number, count: number, min: number, max: number, until: number): number[] {
  const out: number[] = [];
  let at = t;
  for (let i = 0; i < count; i++) {
    at += min + Math.floor(w.rng.next() * (max - min));
    if (at >= until || at > w.endTime) break;
    out.push(at);
  }
  return out;
}

function scopes(w: SampleWorld): string[] {
  return w.rng.pickSome(KEY_SCOPES, w.rng.int(1, 5)).sort();
}

const login: Episode = (w, ctx) => {
  const { user, active } = pickUser(w, ctx);
  const t = w.randomTime(active.from, active.to);
  const profile = w.rng.chance(0.85) ? 0 : 1;
  const steps: Step[] = [() => w.add(t, 'login.succeeded', {}, w.session(user, profile))];
  if (w.rng.chance(0.4)) {
    for (const at of later(w, t, 1, HOUR, 9 * HOUR, active.to)) steps.push(() => w.add(at, 'logout.succeeded', {}, w.session(user, profile)));
  }
  return steps;
};

const loginFailed: Episode = (w, ctx) => {
  const { user, active } = pickUser(w, ctx);
  const t = w.randomTime(active.from, active.to);
  const roll = w.rng.next();
  if (roll < 0.3) return [() => w.add(t, 'login.failed', { error_code: 'invalid_credentials', error_message: 'Invalid email or password.' }, null)];
  if (roll < 0.45) return [() => w.add(t, 'login.failed', { error_code: 'account_locked', error_message: 'Too many failed attempts.' }, 'absent')];
  const steps: Step[] = [() => w.add(t, 'login.failed', { error_code: 'invalid_credentials', error_message: 'Invalid email or password.' }, w.session(user))];
  for (const at of later(w, t, 1, 20, 180, active.to)) steps.push(() => w.add(at, 'login.succeeded', {}, w.session(user, 0)));
  return steps;
};

const logoutFailed: Episode = (w, ctx) => {
  const { user, active } = pickUser(w, ctx);
  const t = w.randomTime(active.from, active.to);
  return [() => w.add(t, 'logout.failed', { error_code: 'session_expired', error_message: 'The session had already expired.' }, w.session(user))];
};

const apiKeyLifecycle: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const { user, active } = pickUser(w, ctx);
  const from = Math.max(open.from, active.from);
  const to = Math.min(open.to, active.to);
  if (to <= from) return [];
  const t = w.randomTime(from, to);
  const key: SampleApiKey = { id: w.newId('key_', 16), name: `${user.email.split('@')[0]}-${w.rng.alnum(4)}`, kind: 'user', userId: user.id, projectId: project.id, scopes: scopes(w) };
  const steps: Step[] = [
    () => {
      key.createdAt = t;
      w.roster.apiKeys.push(key);
      w.add(t, 'api_key.created', { id: key.id, data: { scopes: key.scopes } }, w.session(user), project);
    },
  ];
  const [tUpdate, tDelete] = later(w, t, 2, HOUR, 6 * DAY, to);
  if (tUpdate !== undefined && w.rng.chance(0.5)) {
    const next = scopes(w);
    steps.push(() => {
      key.scopes = next;
      w.add(tUpdate, 'api_key.updated', { id: key.id, changes_requested: { scopes: next } }, w.session(user), project);
    });
  }
  if (tDelete !== undefined && w.rng.chance(0.35)) {
    steps.push(() => {
      key.deletedAt = tDelete;
      w.add(tDelete, 'api_key.deleted', { id: key.id }, w.rng.chance(0.7) ? w.session(user) : w.admin(tDelete).actor, project);
    });
  }
  return steps;
};

const RATE_LIMIT_FIELDS: [string, number[]][] = [
  ['max_requests_per_1_minute', [60, 500, 1_000, 5_000, 10_000]],
  ['max_tokens_per_1_minute', [30_000, 150_000, 800_000, 2_000_000]],
  ['max_images_per_1_minute', [5, 20, 50]],
  ['max_audio_megabytes_per_1_minute', [10, 50, 100]],
  ['max_requests_per_1_day', [1_000, 10_000, 100_000]],
  ['batch_1_day_max_input_tokens', [1_000_000, 5_000_000, 20_000_000]],
];

const rateLimitTune: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const limits = ctx.rateLimitsByProject.get(project.id);
  if (!limits || limits.length === 0) return [];
  const rl = w.rng.pick(limits);
  const t = w.randomTime(open.from, open.to);
  const changes: Record<string, number> = {};
  const fields = rl.model === RATE_LIMIT_MODELS[3] ? [RATE_LIMIT_FIELDS[2]!, RATE_LIMIT_FIELDS[0]!] : rl.model === RATE_LIMIT_MODELS[4] ? [RATE_LIMIT_FIELDS[3]!] : RATE_LIMIT_FIELDS.slice(0, 2).concat(RATE_LIMIT_FIELDS.slice(4));
  for (const [name, values] of w.rng.pickSome(fields, w.rng.int(1, 3))) changes[name] = w.rng.pick(values);
  return [() => w.add(t, 'rate_limit.updated', { id: rl.id, changes_requested: changes }, w.admin(t).actor, project)];
};

const projectMembership: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const { user, active } = pickUser(w, ctx);
  const from = Math.max(open.from, active.from);
  const to = Math.min(open.to, active.to);
  if (to <= from) return [];
  const t = w.randomTime(from, to);
  const role = w.rng.chance(0.2) ? 'owner' : 'member';
  const steps: Step[] = [() => w.add(t, 'user.added', { id: user.id, data: { role } }, w.admin(t).actor, project)];
  const [tUpdate, tDelete] = later(w, t, 2, DAY, 8 * DAY, to);
  if (tUpdate !== undefined && w.rng.chance(0.4)) {
    const next = role === 'owner' ? 'member' : 'owner';
    steps.push(() => w.add(tUpdate, 'user.updated', { id: user.id, changes_requested: { role: next } }, w.admin(tUpdate).actor, project));
  }
  if (tDelete !== undefined && w.rng.chance(0.25)) steps.push(() => w.add(tDelete, 'user.deleted', { id: user.id }, w.admin(tDelete).actor, project));
  return steps;
};

const EXTERNAL_NAMES = ['alex', 'blake', 'casey', 'devon', 'emery', 'finley', 'harper', 'jordan', 'kai', 'logan', 'morgan', 'parker', 'reese', 'sage'];
const EXTERNAL_DOMAINS = ['partner.example', 'contractor.example', 'acme-research.example', 'gmail.example'];

const pendingInvite: Episode = (w) => {
  const t = w.randomTime(w.startTime, w.endTime + 1);
  const id = w.newId('invite-');
  const email = `${w.rng.pick(EXTERNAL_NAMES)}.${w.rng.alnum(3).toLowerCase()}@${w.rng.pick(EXTERNAL_DOMAINS)}`;
  const steps: Step[] = [() => w.addAdmin(t, 'invite.sent', { id, data: { email, role: w.rng.chance(0.1) ? 'owner' : 'member' } })];
  const [tDelete] = later(w, t, 1, HOUR, 5 * DAY, w.endTime + 1);
  if (tDelete !== undefined && w.rng.chance(0.4)) steps.push(() => w.addAdmin(tDelete, 'invite.deleted', { id }));
  return steps;
};

const serviceAccountLifecycle: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const t = w.randomTime(open.from, open.to);
  const sa: SampleServiceAccount = { id: w.newId('svc_acct_'), name: `${w.rng.pick(['batch', 'sync', 'eval', 'deploy', 'ingest'])}-${w.rng.alnum(4).toLowerCase()}`, projectId: project.id, role: 'member' };
  const key: SampleApiKey = { id: w.newId('key_', 16), name: `${sa.name} key`, kind: 'service_account', serviceAccountId: sa.id, projectId: project.id, scopes: scopes(w) };
  const { actor } = w.admin(t);
  const steps: Step[] = [
    () => {
      sa.createdAt = t;
      w.roster.serviceAccounts.push(sa);
      w.add(t, 'service_account.created', { id: sa.id, data: { role: 'member' } }, actor, project);
    },
    () => {
      key.createdAt = t + 1;
      w.roster.apiKeys.push(key);
      w.add(t + 1, 'api_key.created', { id: key.id, data: { scopes: key.scopes } }, structuredClone(actor), project);
    },
  ];
  const [tUpdate, tDelete] = later(w, t + 1, 2, HOUR, 10 * DAY, open.to);
  if (tUpdate !== undefined && w.rng.chance(0.4)) {
    steps.push(() => {
      sa.role = 'owner';
      w.add(tUpdate, 'service_account.updated', { id: sa.id, changes_requested: { role: 'owner' } }, w.admin(tUpdate).actor, project);
    });
  }
  if (tDelete !== undefined && w.rng.chance(0.3)) {
    steps.push(() => {
      sa.deletedAt = tDelete;
      key.deletedAt = tDelete;
      const by = w.admin(tDelete).actor;
      w.add(tDelete, 'service_account.deleted', { id: sa.id }, by, project);
      w.add(tDelete, 'api_key.deleted', { id: key.id }, structuredClone(by), project);
    });
  }
  return steps;
};

const GROUP_NAMES = ['Data Science', 'Support Leads', 'Security', 'Finance', 'Interns 2026', 'On-call', 'Design'];

const groupLifecycle: Episode = (w) => {
  const t = w.randomTime(w.startTime, w.endTime + 1);
  const id = w.newId('group_');
  const name = w.rng.pick(GROUP_NAMES);
  const steps: Step[] = [() => w.addAdmin(t, 'group.created', { id, data: { group_name: name } })];
  const [tUpdate, tDelete] = later(w, t, 2, HOUR, 7 * DAY, w.endTime + 1);
  if (tUpdate !== undefined && w.rng.chance(0.5)) steps.push(() => w.addAdmin(tUpdate, 'group.updated', { id, changes_requested: { group_name: `${name} (${w.rng.pick(['EMEA', 'US', 'APAC'])})` } }));
  if (tDelete !== undefined && w.rng.chance(0.3)) steps.push(() => w.addAdmin(tDelete, 'group.deleted', { id }));
  return steps;
};

/** Role assignments, sometimes in bulk: several in the same second. */
const roleAssignments: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const t = w.randomTime(open.from, open.to);
  const n = w.rng.chance(0.2) ? w.rng.int(3, 7) : 1;
  const { actor } = w.admin(t);
  const steps: Step[] = [];
  for (const { user } of w.rng.pickSome(ctx.users.filter((u) => u.active.from <= t && t < u.active.to), n)) {
    const detail = { id: w.newId('ra_'), principal_id: user.id, principal_type: 'user', resource_id: project.id, resource_type: 'api.project' };
    steps.push(() => w.add(t, 'role.assignment.created', detail, structuredClone(actor), project));
    if (n === 1 && w.rng.chance(0.5)) {
      for (const at of later(w, t, 1, DAY, 10 * DAY, Math.min(open.to, w.endTime + 1))) {
        steps.push(() => w.add(at, 'role.assignment.deleted', { ...detail }, w.admin(at).actor, project));
      }
    }
  }
  return steps;
};

const PERMISSIONS = ['api.model.request', 'api.files.write', 'api.batch.write', 'api.evals.write', 'api.vector_stores.write', 'api.fine_tuning.jobs.write'];

const roleLifecycle: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const t = w.randomTime(open.from, open.to);
  const id = w.newId('role_');
  const permissions = w.rng.pickSome(PERMISSIONS, 3);
  const steps: Step[] = [
    () => w.add(t, 'role.created', { id, role_name: `${w.rng.pick(['Batch', 'Eval', 'Read-only', 'Ops'])} role`, permissions, resource_type: 'api.project', resource_id: project.id }, w.admin(t).actor, project),
  ];
  const [tUpdate, tDelete] = later(w, t, 2, HOUR, 6 * DAY, open.to);
  if (tUpdate !== undefined) {
    const added = PERMISSIONS.filter((p) => !permissions.includes(p)).slice(0, 1);
    steps.push(() => w.add(tUpdate, 'role.updated', { id, changes_requested: { permissions_added: added, permissions_removed: [permissions[0]] } }, w.admin(tUpdate).actor, project));
  }
  if (tDelete !== undefined && w.rng.chance(0.3)) steps.push(() => w.add(tDelete, 'role.deleted', { id }, w.admin(tDelete).actor, project));
  return steps;
};

const accessToken: Episode = (w, ctx) => {
  if (ctx.serviceAccountKeys.length === 0) return [];
  const key = w.rng.pick(ctx.serviceAccountKeys);
  const t = w.randomTime(w.startTime, w.endTime + 1);
  return [() => w.add(t, 'tenant.workload_identity.access_token.issued', { id: w.newId('twat_', 20), data: { expires_in: 3600 } }, w.keyActor(key))];
};

const userLookedUp: Episode = (w, ctx) => {
  const { user, active } = pickUser(w, ctx);
  const t = w.randomTime(active.from, active.to);
  const owners = w.ownersAt(t);
  return [() => w.add(t, 'tenant.user.looked_up', { id: user.id, data: { lookup: 'email' } }, w.session(w.rng.pick(owners)))];
};

const authPolicyResolved: Episode = (w, ctx) => {
  const { user, active } = pickUser(w, ctx);
  const t = w.randomTime(active.from, active.to);
  return [() => w.add(t, 'tenant.principal_authentication_policy.resolved', { id: user.id, data: { policy: w.rng.pick(['sso_required', 'password_allowed']) } }, w.session(user))];
};

const checkpointPermission: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const target = pickProject(w, ctx).project;
  const t = w.randomTime(open.from, open.to);
  const id = w.newId('cp_');
  const steps: Step[] = [
    () => w.add(t, 'checkpoint.permission.created', { id, data: { project_id: target.id, fine_tuned_model_checkpoint: w.newId('ftckpt_') } }, w.admin(t).actor, project),
  ];
  const [tDelete] = later(w, t, 1, DAY, 12 * DAY, open.to);
  if (tDelete !== undefined && w.rng.chance(0.5)) steps.push(() => w.add(tDelete, 'checkpoint.permission.deleted', { id }, w.admin(tDelete).actor, project));
  return steps;
};

const RESOURCE_KINDS: [string, string][] = [
  ['file-', 'file'],
  ['vs_', 'vector_store'],
  ['asst_', 'assistant'],
  ['batch_', 'batch'],
  ['ft-', 'fine_tuned_model'],
];

const resourceDeleted: Episode = (w, ctx) => {
  if (ctx.userKeys.length === 0) return [];
  const key = w.rng.pick(ctx.userKeys);
  const project = ctx.projects.find((p) => p.project.id === key.projectId);
  if (!project) return [];
  const t = w.randomTime(project.open.from, project.open.to);
  const [prefix, kind] = w.rng.pick(RESOURCE_KINDS);
  return [() => w.add(t, 'resource.deleted', { id: w.newId(prefix), resource_type: kind }, w.keyActor(key), project.project)];
};

const tunnelLifecycle: Episode = (w, ctx) => {
  const { project, open } = pickProject(w, ctx);
  const t = w.randomTime(open.from, open.to);
  const id = w.newId('tnl_');
  const steps: Step[] = [() => w.add(t, 'tunnel.created', { id, data: { name: `tunnel-${w.rng.alnum(4).toLowerCase()}`, port: 443 } }, w.admin(t).actor, project)];
  for (const at of later(w, t, 1, DAY, 9 * DAY, open.to)) steps.push(() => w.add(at, 'tunnel.deleted', { id }, w.admin(at).actor, project));
  return steps;
};

const orgSetting: Episode = (w) => {
  const t = w.randomTime(w.startTime, w.endTime + 1);
  const changes = w.rng.chance(0.5) ? { usage_dashboard_visibility: w.rng.pick(['ANY_ROLE', 'OWNERS']) } : { threads_ui_visibility: w.rng.pick(['ANY_ROLE', 'OWNERS', 'NONE']) };
  return [() => w.addAdmin(t, 'organization.updated', { id: w.roster.org.id, changes_requested: changes })];
};

const usageLimit: Episode = (w, ctx) => {
  const { user, active } = pickUser(w, ctx);
  const t = w.randomTime(active.from, active.to);
  const owners = w.ownersAt(t);
  return [() => w.add(t, 'tenant.usage_limit.user.updated', { id: user.id, changes_requested: { monthly_limit_usd: w.rng.pick([100, 250, 500, 1000]) } }, w.session(w.rng.pick(owners)))];
};

/** [relative weight, episode]; weights are per episode, not per event. */
const EPISODES: [number, Episode][] = [
  [30, login],
  [4, loginFailed],
  [0.5, logoutFailed],
  [12, apiKeyLifecycle],
  [6, rateLimitTune],
  [4, projectMembership],
  [2, pendingInvite],
  [2, serviceAccountLifecycle],
  [0.8, groupLifecycle],
  [2, roleAssignments],
  [0.4, roleLifecycle],
  [5, accessToken],
  [2, userLookedUp],
  [1, authPolicyResolved],
  [0.8, checkpointPermission],
  [1.5, resourceDeleted],
  [0.3, tunnelLifecycle],
  [0.2, orgSetting],
  [1, usageLimit],
];
