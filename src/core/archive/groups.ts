/**
 * The explorer's group tree from SQL counts: the same ids, kinds, keys,
 * labels, order and "No project" group as `groupEvents`
 * (analysis/grouping.ts), minus the `events` arrays. A group's label (and
 * its project/actor ids) come from its newest event, as `groupEvents` takes
 * them from the first event of a bucket.
 */
import { NO_PROJECT_KEY, NO_PROJECT_LABEL, byCountThenLabel, byLabel, groupId, projectOrder, utcDay, type GroupIdentity, type GroupKind, type Grouping } from '../analysis/grouping';
import type { PairCount, StoredActor, StoredProject } from './repository';

export interface ArchiveGroup extends GroupIdentity {
  /** Events of this group (all levels below it) that match the query. */
  readonly count: number;
  readonly children?: readonly ArchiveGroup[];
}

export interface ArchiveGroupingOptions {
  /** Day key (YYYY-MM-DD) of a Unix time in seconds; default the UTC day. Must be constant over each quarter hour. */
  readonly dayOf?: (seconds: number) => string;
}

/** Day grouping counts by quarter hours in SQL; every real time zone offset is a multiple of 15 minutes. */
export const DAY_BUCKET_SECONDS = 900;

interface Bucket {
  key: string;
  label: string;
  count: number;
  /** Order key of the newest event seen for the label (larger is newer). */
  top: number;
  projectId?: string;
  actorId?: string;
  actorEmail?: string;
  children?: Map<string, Bucket>;
}

interface Dictionaries {
  readonly typeNames: ReadonlyMap<number, string>;
  readonly projects: ReadonlyMap<number, StoredProject>;
  readonly actors: ReadonlyMap<number, StoredActor>;
}

// The same orders as groupEvents: one definition.
const byCount = byCountThenLabel<Bucket>((b) => b.count);

type Dim = Omit<Bucket, 'count' | 'top' | 'children'>;

function add(into: Map<string, Bucket>, dim: Dim, n: number, top: number): Bucket {
  let bucket = into.get(dim.key);
  if (!bucket) {
    bucket = { ...dim, count: 0, top };
    into.set(dim.key, bucket);
  } else if (top > bucket.top) {
    delete bucket.projectId;
    delete bucket.actorId;
    delete bucket.actorEmail;
    Object.assign(bucket, dim, { top });
  }
  bucket.count += n;
  return bucket;
}

function typeDim(dicts: Dictionaries, ref: number): Dim {
  const name = dicts.typeNames.get(ref) ?? '';
  return { key: name, label: name };
}

function projectDim(dicts: Dictionaries, ref: number | null): Dim {
  const p = ref === null ? undefined : dicts.projects.get(ref);
  if (!p) return { key: NO_PROJECT_KEY, label: NO_PROJECT_LABEL };
  return p.projectId ? { key: p.key, label: p.label, projectId: p.projectId } : { key: p.key, label: p.label };
}

function actorDim(dicts: Dictionaries, ref: number): Dim {
  const a = dicts.actors.get(ref);
  if (!a) return { key: 'none:No actor', label: 'No actor' };
  return {
    key: a.key,
    label: a.label,
    ...(a.userEmail ? { actorEmail: a.userEmail } : {}),
    ...(a.actorId ? { actorId: a.actorId } : {}),
  };
}

function toGroup(b: Bucket, kind: GroupKind, parentId: string | undefined, children?: ArchiveGroup[]): ArchiveGroup {
  return {
    id: groupId(parentId, kind, b.key),
    kind,
    key: b.key,
    label: b.label,
    count: b.count,
    ...(children ? { children } : {}),
    ...(b.projectId ? { projectId: b.projectId } : {}),
    ...(b.actorId ? { actorId: b.actorId } : {}),
    ...(b.actorEmail ? { actorEmail: b.actorEmail } : {}),
  };
}

/** Two-level trees (type → project, project → type) from counts by (type, project). */
export function twoLevelGroups(pairs: readonly PairCount[], grouping: 'typeProject' | 'projectType', dicts: Dictionaries): ArchiveGroup[] {
  const roots = new Map<string, Bucket>();
  for (const pair of pairs) {
    const type = typeDim(dicts, pair.a);
    const project = projectDim(dicts, pair.b);
    const [outer, inner] = grouping === 'typeProject' ? [type, project] : [project, type];
    const parent = add(roots, outer, pair.n, pair.top);
    add((parent.children ??= new Map()), inner, pair.n, pair.top);
  }
  const [outerKind, innerKind, outerOrder, innerOrder] =
    grouping === 'typeProject'
      ? (['type', 'project', byLabel, projectOrder] as const)
      : (['project', 'type', projectOrder, byLabel] as const);
  return [...roots.values()].sort(outerOrder).map((outer) => {
    const parentId = `${outerKind}:${outer.key}`;
    const children = [...(outer.children?.values() ?? [])].sort(innerOrder).map((inner) => toGroup(inner, innerKind, parentId));
    return toGroup(outer, outerKind, undefined, children);
  });
}

export function actorGroups(pairs: readonly PairCount[], dicts: Dictionaries): ArchiveGroup[] {
  const roots = new Map<string, Bucket>();
  for (const pair of pairs) add(roots, actorDim(dicts, pair.a), pair.n, pair.top);
  return [...roots.values()].sort(byCount).map((b) => toGroup(b, 'actor', undefined));
}

/** Day groups, newest first, from quarter-hour counts. */
export function dayGroups(buckets: readonly { b: number; n: number }[], options: ArchiveGroupingOptions): ArchiveGroup[] {
  const dayOf = options.dayOf ?? utcDay;
  const days = new Map<string, Bucket>();
  for (const { b, n } of buckets) {
    const day = dayOf(b * DAY_BUCKET_SECONDS);
    add(days, { key: day, label: day }, n, 0);
  }
  return [...days.values()].sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0)).map((d) => toGroup(d, 'day', undefined));
}

/** The seconds `[gte, lt)` of day `key` among the quarter hours present, or undefined when none. */
export function dayRange(buckets: readonly { b: number }[], key: string, options: ArchiveGroupingOptions): { gte: number; lt: number } | undefined {
  const dayOf = options.dayOf ?? utcDay;
  let low = Infinity;
  let high = -Infinity;
  for (const { b } of buckets) {
    if (dayOf(b * DAY_BUCKET_SECONDS) !== key) continue;
    low = Math.min(low, b);
    high = Math.max(high, b);
  }
  return Number.isFinite(low) ? { gte: low * DAY_BUCKET_SECONDS, lt: (high + 1) * DAY_BUCKET_SECONDS } : undefined;
}

export type { Grouping };
