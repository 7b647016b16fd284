/**
 * Every id the extension shares with package.json: commands, views, context
 * keys and settings. A test checks package.json against these tables, so a
 * typo cannot hide in a string scattered across files.
 */
export const EXTENSION_ID = 'auditlens.openai-audit-logs';

export const ViewIds = {
  container: 'openaiAuditLogs',
  events: 'openaiAuditLogs.events',
} as const;

export const Commands = {} as const satisfies Record<string, `openaiAuditLogs.${string}`>;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ContextKeys = {} as const satisfies Record<string, `openaiAuditLogs.${string}`>;

/** Setting keys, relative to the `openaiAuditLogs` section. */
export const SettingsSection = 'openaiAuditLogs';
export const Settings = {} as const satisfies Record<string, string>;
