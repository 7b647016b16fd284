/**
 * Every id the extension shares with package.json: commands, views, context
 * keys and settings. A test checks package.json against these tables, so a
 * typo cannot hide in a string scattered across files.
 */
export const EXTENSION_ID = 'auditlens.openai-audit-logs';

export const ViewIds = {
  container: 'openaiAuditLogs',
  events: 'openaiAuditLogs.events',
  savedQueries: 'openaiAuditLogs.savedQueries',
  findings: 'openaiAuditLogs.findings',
  directory: 'openaiAuditLogs.directory',
} as const;

export const Commands = {
  // explorer (issue 4)
  setApiKey: 'openaiAuditLogs.setApiKey',
  clearApiKey: 'openaiAuditLogs.clearApiKey',
  refresh: 'openaiAuditLogs.refresh',
  loadMore: 'openaiAuditLogs.loadMore',
  loadAll: 'openaiAuditLogs.loadAll',
  editFilters: 'openaiAuditLogs.editFilters',
  clearFilters: 'openaiAuditLogs.clearFilters',
  changeGrouping: 'openaiAuditLogs.changeGrouping',
  openSampleOrganization: 'openaiAuditLogs.openSampleOrganization',
  exitSampleOrganization: 'openaiAuditLogs.exitSampleOrganization',
  copyEventJson: 'openaiAuditLogs.copyEventJson',
  copyEventId: 'openaiAuditLogs.copyEventId',
  filterToType: 'openaiAuditLogs.filterToType',
  filterToProject: 'openaiAuditLogs.filterToProject',
  filterToActor: 'openaiAuditLogs.filterToActor',
  filterToResource: 'openaiAuditLogs.filterToResource',
  showMoreInGroup: 'openaiAuditLogs.showMoreInGroup',
  openSettings: 'openaiAuditLogs.openSettings',
  // end explorer
  // event details (issue 5)
  openEvent: 'openaiAuditLogs.openEvent',
  showChanges: 'openaiAuditLogs.showChanges',
  openEventJson: 'openaiAuditLogs.openEventJson',
  showResourceHistory: 'openaiAuditLogs.showResourceHistory',
  pinEventPanel: 'openaiAuditLogs.pinEventPanel',
  // end event details
  // organizations (issue 11)
  addOrganization: 'openaiAuditLogs.addOrganization',
  switchOrganization: 'openaiAuditLogs.switchOrganization',
  removeOrganization: 'openaiAuditLogs.removeOrganization',
  // end organizations
  // export (issue 6)
  exportEvents: 'openaiAuditLogs.exportEvents',
  // end export
  // archive (issue 11)
  syncArchive: 'openaiAuditLogs.syncArchive',
  deleteArchive: 'openaiAuditLogs.deleteArchive',
  cancelLoad: 'openaiAuditLogs.cancelLoad',
  // end archive
  // search (issue 12)
  search: 'openaiAuditLogs.search',
  saveQuery: 'openaiAuditLogs.saveQuery',
  runSavedQuery: 'openaiAuditLogs.runSavedQuery',
  deleteSavedQuery: 'openaiAuditLogs.deleteSavedQuery',
  copyQueryAsCode: 'openaiAuditLogs.copyQueryAsCode',
  copyLinkToEvent: 'openaiAuditLogs.copyLinkToEvent',
  copyLinkToQuery: 'openaiAuditLogs.copyLinkToQuery',
  // end search
  // insights (issue 14)
  showInsights: 'openaiAuditLogs.showInsights',
  stateAsOf: 'openaiAuditLogs.stateAsOf',
  // end insights
  // findings (issue 13)
  listFindings: 'openaiAuditLogs.listFindings',
  markFindingReviewed: 'openaiAuditLogs.markFindingReviewed',
  markFindingUnreviewed: 'openaiAuditLogs.markFindingUnreviewed',
  filterToFinding: 'openaiAuditLogs.filterToFinding',
  // end findings
  // directory (issue 15)
  refreshDirectory: 'openaiAuditLogs.refreshDirectory',
  // end directory
} as const satisfies Record<string, `openaiAuditLogs.${string}`>;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ContextKeys = {
  // explorer (issue 4)
  /** 'none' | 'secretStorage' | 'environment': where the Admin key comes from. */
  keySource: 'openaiAuditLogs.keySource',
  sampleMode: 'openaiAuditLogs.sampleMode',
  hasFilters: 'openaiAuditLogs.hasFilters',
  loading: 'openaiAuditLogs.loading',
  // end explorer
  // directory (issue 15)
  directoryRead: 'openaiAuditLogs.directoryRead',
  // end directory
} as const satisfies Record<string, `openaiAuditLogs.${string}`>;

/** Setting keys, relative to the `openaiAuditLogs` section. */
export const SettingsSection = 'openaiAuditLogs';
export const Settings = {
  // explorer (issue 4)
  apiBaseUrl: 'apiBaseUrl',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  maxRetries: 'maxRetries',
  pageSize: 'pageSize',
  groupBy: 'groupBy',
  timeDisplay: 'timeDisplay',
  autoRefreshSeconds: 'autoRefreshSeconds',
  // end explorer
  // fetching and export (issue 6)
  maxConcurrentRequests: 'maxConcurrentRequests',
  // end fetching and export
  // archive (issue 11)
  archiveEnabled: 'archive.enabled',
  archiveKeepDays: 'archive.keepDays',
  archiveSyncOnOpen: 'archive.syncOnOpen',
  // end archive
  // search (issue 12)
  savedQueries: 'savedQueries',
  // end search
  // findings (issue 13)
  findingsRules: 'findings.rules',
  findingsBuiltIn: 'findings.builtIn',
  findingsNotify: 'findings.notify',
  // end findings
  // directory (issue 15)
  directoryMaxAgeHours: 'directory.maxAgeHours',
  directoryKeyUnusedDays: 'directory.keyUnusedDays',
  // end directory
} as const satisfies Record<string, string>;
