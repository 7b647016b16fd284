/**
 * Every `contextValue` of the Events tree, from one table. Values are
 * composed of segments (`oal:event:changes:project:actor:resource`) and
 * package.json menus match them with `viewItem =~ /…/`. No VS Code here, so
 * plain Node tests check what an event's menu offers.
 */
import { hasChanges } from '../core/analysis/changes';
import { describeActor, projectOf, resourceId, type AuditEvent } from '../core/model';

export const ContextValues = {
  groupType: 'oal:group:type',
  groupProject: 'oal:group:project',
  /** A project group that cannot be filtered by (no project / name only). */
  groupProjectless: 'oal:group:noproject',
  groupActor: 'oal:group:actor',
  /** An actor group without an id or email to filter by. */
  groupActorUnknown: 'oal:group:unknownactor',
  groupDay: 'oal:group:day',
  event: 'oal:event',
  showMore: 'oal:showMore',
  loadMore: 'oal:loadMore',
  error: 'oal:error',
  action: 'oal:action',
  sampleBanner: 'oal:sample',
  filters: 'oal:filters',
  coverage: 'oal:coverage',
} as const;

/** Facets of an event that enable its context-menu entries. */
export interface EventFacets {
  readonly changes: boolean;
  readonly project: boolean;
  readonly actor: boolean;
  readonly resource: boolean;
}

/** The facets of an event; `changes` is the panel's own decision (core `hasChanges`), so menu and panel agree. */
export function eventFacets(e: AuditEvent): EventFacets {
  const actor = describeActor(e);
  return {
    changes: hasChanges(e),
    project: projectOf(e)?.id !== undefined,
    actor: actor.email !== undefined || actor.actorId !== undefined,
    resource: resourceId(e) !== undefined,
  };
}

export function eventContextValue(f: EventFacets): string {
  return [
    ContextValues.event,
    ...(f.changes ? ['changes'] : []),
    ...(f.project ? ['project'] : []),
    ...(f.actor ? ['actor'] : []),
    ...(f.resource ? ['resource'] : []),
  ].join(':');
}
