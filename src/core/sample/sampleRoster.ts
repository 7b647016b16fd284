/**
 * The cast of the sample organization as it stood when the sample window
 * opened: projects, users, service accounts, keys and rate limits that predate
 * the first event. The scripted history adds and removes some of them.
 */
import { HOSTILE_STRINGS } from './hostileStrings';
import type { SampleApiKey, SampleIpAddressDetails, SampleOrgInfo, SampleProject, SampleServiceAccount, SampleUser } from './sampleTypes';
import type { SeededRandom } from './seededRandom';

export const SAMPLE_EMAIL_DOMAIN = 'acme-research.example';

export interface SessionProfile {
  ipAddress: string;
  userAgent: string;
  ja3: string;
  ja4: string;
  location: Location;
}

/** Where a session came from, as the API's `ip_address_details` says it. */
export type Location = SampleIpAddressDetails;

export interface SampleRateLimit {
  id: string;
  projectId: string;
  model: string;
  /** Only the scripted history touches it (it is deleted there). */
  scripted: boolean;
}

/** Everything the generators read and update; output is copied out of it at the end. */
export interface SampleRoster {
  org: SampleOrgInfo;
  projects: SampleProject[];
  /** Title changes of each project, oldest first: the title from `at` on. */
  projectTitles: Map<string, { at: number; name: string }[]>;
  users: SampleUser[];
  serviceAccounts: SampleServiceAccount[];
  apiKeys: SampleApiKey[];
  rateLimits: SampleRateLimit[];
  profiles: Map<string, SessionProfile[]>;
  /** Workspace of the ChatGPT side of the tenant (connector role bindings). */
  workspaceId: string;
  /** The owners at the start of the window; they stay owners throughout. */
  adminUserIds: string[];
}

const LOCATIONS: readonly Location[] = [
  { country: 'US', city: 'San Francisco', region: 'California', region_code: 'CA', asn: '7922', latitude: '37.77490', longitude: '-122.41940' },
  { country: 'US', city: 'New York', region: 'New York', region_code: 'NY', asn: '701', latitude: '40.71280', longitude: '-74.00600' },
  { country: 'GB', city: 'London', region: 'England', region_code: 'ENG', asn: '2856', latitude: '51.50740', longitude: '-0.12780' },
  { country: 'DE', city: 'Berlin', region: 'Land Berlin', region_code: 'BE', asn: '3320', latitude: '52.52000', longitude: '13.40500' },
  { country: 'JP', city: 'Tokyo', region: 'Tokyo', region_code: '13', asn: '2516', latitude: '35.67620', longitude: '139.65030' },
  { country: 'IN', city: 'Bengaluru', region: 'Karnataka', region_code: 'KA', asn: '24560', latitude: '12.97160', longitude: '77.59460' },
  { country: 'BR', city: 'São Paulo', region: 'São Paulo', region_code: 'SP', asn: '28573', latitude: '-23.55050', longitude: '-46.63330' },
  { country: 'NG', city: 'Lagos', region: 'Lagos', region_code: 'LA', asn: '29465', latitude: '6.52440', longitude: '3.37920' },
  { country: 'IL', city: 'Tel Aviv', region: 'Tel Aviv District', region_code: 'TA', asn: '1680', latitude: '32.08530', longitude: '34.78180' },
  { country: 'AE', city: 'Dubai', region: 'Dubai', region_code: 'DU', asn: '5384', latitude: '25.20480', longitude: '55.27080' },
];

const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 26_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1',
];

/** [display name, email local part, org role]; emails are derived unless given. */
const PEOPLE: readonly [string, string, 'owner' | 'member'][] = [
  ['Ada Okafor', 'ada.okafor', 'owner'],
  ['Mateo García', 'mateo.garcia', 'owner'],
  ['Chen Wei', 'chen.wei', 'owner'],
  ['Priya Raman', 'priya.raman', 'owner'],
  ['Bjørn Larsen', 'bjorn.larsen', 'member'],
  ['Dana Cohen', 'dana.cohen', 'member'],
  ['Emeka Nwosu', 'emeka.nwosu', 'member'],
  ['Fatima Zahra', 'fatima.zahra', 'member'],
  ['Gustavo Lima', 'gustavo.lima', 'member'],
  ['Hana Sato', 'hana.sato', 'member'],
  ['Ivan Petrov', 'ivan.petrov', 'member'],
  ['Julia Schmidt', 'julia.schmidt', 'member'],
  ['Kwame Mensah', 'kwame.mensah', 'member'],
  ['ليلى حداد', 'layla.haddad', 'member'],
  ['נועה לוי', 'noa.levi', 'member'],
  ['Olivia Brown', 'olivia.brown', 'member'],
  ['Pablo Ruiz', 'pablo.ruiz', 'member'],
  ['Quinn Taylor', 'quinn.taylor', 'member'],
  ['Sofia Rossi', 'sofia.rossi', 'member'],
  ['Tomás Silva', 'tomas.silva', 'member'],
  ['Uma Iyer', 'uma.iyer', 'member'],
  ['Victor Huang', 'victor.huang', 'member'],
];

/** Users who join during the window (through the scripted invites). */
export const JOINING_USER_NAMES = ['Tomás Silva', 'Uma Iyer', 'Victor Huang'] as const;
/** The user removed from the organization during the window. */
export const LEAVING_USER_NAME = 'Ivan Petrov';

export const PROJECT_NAMES = {
  default: 'Default project',
  borealis: 'Borealis',
  support: 'Customer Support Bot',
  legacy: 'Legacy Sandbox',
  atlas: 'Atlas',
  pipeline: 'Data Pipeline',
  html: HOSTILE_STRINGS.htmlProjectName,
  arabic: HOSTILE_STRINGS.arabicProjectName,
  emoji: HOSTILE_STRINGS.emojiProjectName,
  temp: 'Temp Experiment',
} as const;
export type ProjectKey = keyof typeof PROJECT_NAMES;
/** Projects that exist before the window opens (no `project.created` event). */
const PREEXISTING_PROJECTS: readonly ProjectKey[] = ['default', 'borealis', 'support', 'legacy'];

export const RATE_LIMIT_MODELS = ['gpt-4o', 'gpt-4o-mini', 'o3', 'gpt-image-1', 'whisper-1', 'text-embedding-3-large'] as const;

export function buildRoster(rng: SeededRandom): SampleRoster {
  const org: SampleOrgInfo = {
    id: `org-${rng.alnum(24)}`,
    name: 'Acme Research',
    names: ['Acme Research'],
    tenantId: `tenant_${rng.alnum(20)}`,
  };

  const projects: SampleProject[] = [];
  const projectTitles = new Map<string, { at: number; name: string }[]>();
  for (const key of Object.keys(PROJECT_NAMES) as ProjectKey[]) {
    const name = PROJECT_NAMES[key];
    const project: SampleProject = {
      id: `proj_${rng.alnum(24)}`,
      name,
      names: [name],
      status: 'active',
      isDefault: key === 'default',
    };
    // In-window projects get their createdAt from the scripted history.
    if (!PREEXISTING_PROJECTS.includes(key)) project.createdAt = Number.POSITIVE_INFINITY;
    projects.push(project);
    projectTitles.set(project.id, [{ at: Number.NEGATIVE_INFINITY, name }]);
  }

  const users: SampleUser[] = [];
  const profiles = new Map<string, SessionProfile[]>();
  const people: [string, string, 'owner' | 'member'][] = PEOPLE.map((p) => [...p]);
  people.splice(18, 0, [HOSTILE_STRINGS.scriptUserName, '', 'member']);
  for (const [name, local, role] of people) {
    const user: SampleUser = {
      id: `user-${rng.alnum(24)}`,
      name,
      email: local ? `${local}@${SAMPLE_EMAIL_DOMAIN}` : HOSTILE_STRINGS.scriptUserEmail,
      role,
    };
    if ((JOINING_USER_NAMES as readonly string[]).includes(name)) user.addedAt = Number.POSITIVE_INFINITY;
    users.push(user);
    // A home profile and a travel/phone profile per user.
    const home = rng.pick(LOCATIONS);
    profiles.set(user.id, [
      sessionProfile(rng, home, rng.pick(USER_AGENTS)),
      sessionProfile(rng, rng.chance(0.7) ? home : rng.pick(LOCATIONS), USER_AGENTS[4] as string),
    ]);
  }

  const byName = (n: string) => users.find((u) => u.name === n) as SampleUser;
  const project = (k: ProjectKey) => projects[Object.keys(PROJECT_NAMES).indexOf(k)] as SampleProject;

  const serviceAccounts: SampleServiceAccount[] = [];
  const apiKeys: SampleApiKey[] = [];
  for (const [name, key, role] of [
    ['ci-deployer', 'default', 'member'],
    ['nightly-evals', 'borealis', 'member'],
    ['support-bot-prod', 'support', 'member'],
    ['terraform', 'default', 'owner'],
  ] as const) {
    const sa: SampleServiceAccount = { id: `svc_acct_${rng.alnum(24)}`, name, projectId: project(key).id, role };
    serviceAccounts.push(sa);
    apiKeys.push({ id: `key_${rng.alnum(16)}`, name: `${name} key`, kind: 'service_account', serviceAccountId: sa.id, projectId: sa.projectId as string });
  }
  for (const [owner, name] of [
    ['Ada Okafor', 'Audit exporter'],
    ['Chen Wei', 'Terraform admin'],
  ] as const) {
    apiKeys.push({ id: `key_${rng.alnum(16)}`, name, kind: 'admin', userId: byName(owner).id });
  }
  for (const [owner, key, name] of [
    ['Ada Okafor', 'default', 'ada-laptop'],
    ['Mateo García', 'borealis', 'evals-notebook'],
    ['Dana Cohen', 'support', 'support-staging'],
    ['Emeka Nwosu', 'default', 'emeka-dev'],
    ['Hana Sato', 'borealis', 'hana-batch'],
    [HOSTILE_STRINGS.scriptUserName, 'default', HOSTILE_STRINGS.htmlProjectName],
  ] as const) {
    apiKeys.push({ id: `key_${rng.alnum(16)}`, name, kind: 'user', userId: byName(owner).id, projectId: project(key).id });
  }

  const rateLimits: SampleRateLimit[] = [];
  for (const p of projects) {
    for (const model of RATE_LIMIT_MODELS) rateLimits.push({ id: `rl_${rng.alnum(16)}`, projectId: p.id, model, scripted: false });
  }

  const adminUserIds = users.filter((u) => u.role === 'owner').map((u) => u.id);
  return { org, projects, projectTitles, users, serviceAccounts, apiKeys, rateLimits, profiles, workspaceId: `ws_${rng.alnum(20)}`, adminUserIds };
}

function sessionProfile(rng: SeededRandom, location: Location, userAgent: string): SessionProfile {
  const ipAddress = rng.chance(0.15)
    ? `2001:db8:${rng.hex(4)}::${rng.hex(3)}`
    : `${rng.pick(['203.0.113', '198.51.100', '192.0.2'])}.${rng.int(1, 255)}`;
  return {
    ipAddress,
    userAgent,
    ja3: rng.hex(32),
    ja4: `t13d${rng.int(10, 20)}${rng.int(10, 20)}h2_${rng.hex(12)}_${rng.hex(12)}`,
    location,
  };
}

/** Scopes of project API keys, as the API names them. */
export const KEY_SCOPES = [
  'api.model.read',
  'api.model.request',
  'api.files.read',
  'api.files.write',
  'api.assistants.read',
  'api.assistants.write',
  'api.threads.read',
  'api.threads.write',
  'api.fine_tuning.jobs.read',
  'api.fine_tuning.jobs.write',
  'api.batch.read',
  'api.batch.write',
  'api.vector_stores.read',
  'api.vector_stores.write',
  'api.responses.read',
  'api.responses.write',
  'api.evals.read',
  'api.evals.write',
] as const;
