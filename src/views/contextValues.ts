/**
 * Every `contextValue` of the Events tree, from one table. Values are
 * composed of segments (`oal:event:changes:project:actor:resource`) and
 * package.json menus match them with `viewItem =~ /…/`.
 */
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
} as const;

/** Facets of an event that enable its context-menu entries. */
export interface EventFacets {
  readonly changes: boolean;
  readonly project: boolean;
  readonly actor: boolean;
  readonly resource: boolean;
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
