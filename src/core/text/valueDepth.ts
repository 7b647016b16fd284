/**
 * How deep a JSON value may nest where it is shown or re-serialized.
 *
 * The parser keeps whatever the API sends (JSON.parse survives 100,000
 * levels), but every recursive stage after it does not: `JSON.stringify`, a
 * recursive renderer, a recursive copy. Those stages show a value only down
 * to {@link MAX_DISPLAY_DEPTH} levels and put {@link TOO_DEEP_TEXT} where a
 * deeper object or array was; the exact text stays available through Copy
 * Event JSON and the JSON Lines export, which never re-serialize.
 *
 * No imports: the details page bundles this file too.
 */

/** Objects and arrays nested deeper than this are shown as {@link TOO_DEEP_TEXT}. No real event comes close. */
export const MAX_DISPLAY_DEPTH = 64;

/** What stands where an object or array nested too deeply was. */
export const TOO_DEEP_TEXT = '(too deep to display)';

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/**
 * True when `value` holds an object or array more than `max` levels deep
 * (the value itself, if a container, is level 1). Recurses at most `max`
 * levels, so it is safe on any value.
 */
export function isDeeperThan(value: unknown, max = MAX_DISPLAY_DEPTH): boolean {
  if (!isContainer(value)) return false;
  if (max <= 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) if (isContainer(child) && isDeeperThan(child, max - 1)) return true;
  return false;
}

/**
 * `value` when it nests at most `max` levels; else a copy in which every
 * object or array below level `max` is replaced by {@link TOO_DEEP_TEXT}.
 * Keys are copied as own properties (a key named `__proto__` stays data).
 */
export function boundDepth<T>(value: T, max = MAX_DISPLAY_DEPTH): T | string {
  return isDeeperThan(value, max) ? copyBounded(value, max) : value;
}

function copyBounded<T>(value: T, levelsLeft: number): T | string {
  if (!isContainer(value)) return value;
  if (levelsLeft <= 0) return TOO_DEEP_TEXT;
  if (Array.isArray(value)) return value.map((v: unknown) => copyBounded(v, levelsLeft - 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: copyBounded(v, levelsLeft - 1), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/** `JSON.stringify` of {@link boundDepth}: never throws on deep nesting. */
export function boundedJson(value: unknown, space?: number): string | undefined {
  return JSON.stringify(boundDepth(value), null, space);
}
