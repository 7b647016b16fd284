/**
 * What `npm start` runs: the sample organization (no key) in a dark workbench. Shared with the e2e test that
 * answers a newcomer's questions in exactly this set-up, so the README's screenshots and that test show
 * what `npm start` shows.
 */
export const DEMO_ENV: Readonly<Record<string, string>> = { OPENAI_AUDIT_LOGS_DEMO: 'sample' };

export const DEMO_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.colorTheme': 'Default Dark Modern',
  // VS Code follows the OS's light/dark preference only when this is on; off, the theme above is used.
  'window.autoDetectColorScheme': false,
};
