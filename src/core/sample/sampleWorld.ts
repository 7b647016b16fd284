/**
 * The state shared by the sample generators: the seeded random source, the
 * time window, the roster, and the event writer that gives every event its id
 * and its wire shape.
 */
import type { SampleRoster, SessionProfile } from './sampleRoster';
import type { SampleActor, SampleApiKey, SampleEvent, SampleProject, SampleUser } from './sampleTypes';
import { mix32, type SeededRandom } from './seededRandom';

/** `actor` as written on the wire: an object, `null`, or no key at all. */
export type ActorSpec = SampleActor | null | 'absent';

export class SampleWorld {
  readonly events: SampleEvent[] = [];
  readonly span: number;
  private sequence = 0;
  private readonly idSalt: number;
  private readonly dayCache = new Map<number, string>();
  private adminKeys: SampleApiKey[] | undefined;
  private owners: SampleUser[] | undefined;

  constructor(
    readonly rng: SeededRandom,
    readonly roster: SampleRoster,
    readonly startTime: number,
    readonly endTime: number,
  ) {
    this.span = endTime - startTime;
    this.idSalt = Math.floor(rng.next() * 0xffffffff);
  }

  /** The second at fraction `f` of the window (0 = oldest, 1 = newest). */
  at(f: number): number {
    return this.clamp(this.startTime + Math.floor(f * this.span));
  }

  /** A second near fraction `f`, jittered by up to ±`spread` of the window. */
  near(f: number, spread = 0.01): number {
    return this.at(f + (this.rng.next() * 2 - 1) * spread);
  }

  clamp(t: number): number {
    return Math.min(this.endTime, Math.max(this.startTime, Math.floor(t)));
  }

  /** A uniformly random second in [from, to), nudged towards working hours. */
  randomTime(from: number, to: number): number {
    const a = Math.max(this.startTime, Math.ceil(from));
    const b = Math.min(this.endTime + 1, Math.floor(to));
    if (b <= a) return this.clamp(a);
    const t = a + Math.floor(this.rng.next() * (b - a));
    if (this.rng.chance(0.6)) {
      // Most people work 08:00-18:00 somewhere between UTC-8 and UTC+1.
      const day = t - (t % 86_400);
      const shifted = day + 14 * 3600 + Math.floor(this.rng.next() * 12 * 3600);
      if (shifted >= a && shifted < b) return shifted;
    }
    return t;
  }

  /**
   * Appends one event. Returns it so that callers can place a follow-up. Key
   * order matches the API: id, type, effective_at, project, actor, detail.
   */
  add(at: number, type: string, detail: object | undefined, actor: ActorSpec, project?: SampleProject): SampleEvent {
    const effectiveAt = this.clamp(at);
    const event: SampleEvent = { id: this.eventId(effectiveAt), type, effective_at: effectiveAt };
    if (project) event.project = { id: project.id, name: this.projectNameAt(project, effectiveAt) };
    if (actor !== 'absent') event.actor = actor;
    if (detail !== undefined) event[type] = detail;
    this.events.push(event);
    return event;
  }

  /** `audit_log-<16 hex>_<yyyymmdd>`; the first 8 hex digits are a bijection of the sequence number, so ids never collide. */
  private eventId(effectiveAt: number): string {
    const n = this.sequence++;
    const a = mix32((n ^ this.idSalt) >>> 0).toString(16).padStart(8, '0');
    const b = mix32((n + 0x632be5ab) ^ this.idSalt).toString(16).padStart(8, '0');
    return `audit_log-${a}${b}_${this.day(effectiveAt)}`;
  }

  private day(t: number): string {
    const key = Math.floor(t / 86_400);
    let s = this.dayCache.get(key);
    if (s === undefined) {
      s = new Date(key * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      this.dayCache.set(key, s);
    }
    return s;
  }

  projectNameAt(project: SampleProject, t: number): string {
    const titles = this.roster.projectTitles.get(project.id);
    if (!titles) return project.name;
    let name = project.name;
    for (const step of titles) {
      if (step.at <= t) name = step.name;
      else break;
    }
    return name;
  }

  /** Records a rename that takes effect at `at` (call in time order). */
  renameProject(project: SampleProject, at: number, name: string): void {
    this.roster.projectTitles.get(project.id)?.push({ at, name });
    project.names.push(name);
    project.name = name;
  }

  session(user: SampleUser, profileIndex?: number): SampleActor {
    const profiles = this.roster.profiles.get(user.id) as SessionProfile[];
    const p = profiles[profileIndex ?? (this.rng.chance(0.85) ? 0 : 1)] as SessionProfile;
    return {
      type: 'session',
      session: {
        user: { id: user.id, email: user.email },
        ip_address: p.ipAddress,
        user_agent: p.userAgent,
        ja3: p.ja3,
        ja4: p.ja4,
        ip_address_details: { ...p.location },
      },
    };
  }

  keyActor(key: SampleApiKey): SampleActor {
    if (key.kind === 'service_account') {
      return { type: 'api_key', api_key: { id: key.id, type: 'service_account', service_account: { id: key.serviceAccountId as string } } };
    }
    const user = this.user(key.userId as string);
    return { type: 'api_key', api_key: { id: key.id, type: 'user', user: { id: user.id, email: user.email } } };
  }

  user(id: string): SampleUser {
    const u = this.roster.users.find((x) => x.id === id);
    if (!u) throw new Error(`sample: no user ${id}`);
    return u;
  }

  userNamed(name: string): SampleUser {
    const u = this.roster.users.find((x) => x.name === name);
    if (!u) throw new Error(`sample: no user named ${name}`);
    return u;
  }

  isUserActive(u: SampleUser, t: number): boolean {
    return (u.addedAt === undefined || u.addedAt <= t) && (u.removedAt === undefined || t < u.removedAt);
  }

  isProjectOpen(p: SampleProject, t: number): boolean {
    const closedAt = p.archivedAt ?? p.deletedAt;
    return (p.createdAt === undefined || p.createdAt <= t) && (closedAt === undefined || t < closedAt);
  }

  /** The founding owners (never removed, so always members); they perform most administration. */
  ownersAt(t: number): SampleUser[] {
    this.owners ??= this.roster.users.filter((u) => this.roster.adminUserIds.includes(u.id));
    return this.owners.filter((u) => this.isUserActive(u, t));
  }

  /**
   * Who performs an administrative action at `t`: usually an owner in the
   * dashboard (a session), sometimes an Admin API key. Admin-key actions that
   * are not about a project are attributed to the default project, as the API
   * documents.
   */
  admin(t: number, sessionShare = 0.75): { actor: SampleActor; viaAdminKey: boolean } {
    if (!this.rng.chance(sessionShare)) {
      this.adminKeys ??= this.roster.apiKeys.filter((k) => k.kind === 'admin' && k.deletedAt === undefined);
      const keys = this.adminKeys;
      if (keys.length > 0) return { actor: this.keyActor(this.rng.pick(keys)), viaAdminKey: true };
    }
    const owners = this.ownersAt(t);
    return { actor: this.session(this.rng.pick(owners.length > 0 ? owners : this.roster.users)), viaAdminKey: false };
  }

  get defaultProject(): SampleProject {
    return this.roster.projects.find((p) => p.isDefault) as SampleProject;
  }

  /** Adds an org-level administrative event (no project unless done with an Admin key). */
  addAdmin(at: number, type: string, detail: object | undefined, sessionShare = 0.75): SampleEvent {
    const { actor, viaAdminKey } = this.admin(at, sessionShare);
    return this.add(at, type, detail, actor, viaAdminKey ? this.defaultProject : undefined);
  }

  newId(prefix: string, length = 24): string {
    return `${prefix}${this.rng.alnum(length)}`;
  }
}
