/**
 * Which values the details page shows open whatever their depth. No VS Code
 * and no DOM here: the page (webview-ui/eventDetails/values.ts) imports it,
 * and plain-Node tests cover it.
 */

/** A list with at most this many elements can be short enough to show in full. */
export const SHORT_LIST_MAX_ITEMS = 8;
/** …when each element is a scalar, and a string at most this long. */
export const SHORT_SCALAR_MAX_CHARS = 80;

/**
 * True for a short list of short scalars: the list that carries the security
 * fact itself (an API key's `scopes`, a role's `permissions`, a few IPs), so
 * it is shown expanded instead of behind "▸ 2 items". Longer lists, and lists
 * of objects or long strings, still fold.
 */
export function isShortScalarList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0 || value.length > SHORT_LIST_MAX_ITEMS) return false;
  return value.every((v) => v === null || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= SHORT_SCALAR_MAX_CHARS));
}
