/**
 * What a plausible `effective_at` is: whole, non-negative Unix seconds. The
 * query validation refuses anything else; a response that sends it anyway
 * keeps the event, with a warning that says what is odd about the time.
 */

/** Unix seconds above this are almost certainly milliseconds (the year 5138). */
export const MAX_PLAUSIBLE_SECONDS = 1e11;

/** Why `seconds` is not a plausible event time, or undefined when it is. */
export function effectiveAtWarning(seconds: number): string | undefined {
  if (!Number.isFinite(seconds)) return undefined; // an unreadable event already says so
  if (seconds > MAX_PLAUSIBLE_SECONDS) return `effective_at: ${seconds} looks like milliseconds, expected Unix seconds`;
  if (seconds < 0) return `effective_at: ${seconds} is negative (before 1970), expected Unix seconds`;
  if (!Number.isInteger(seconds)) return `effective_at: ${seconds} is not a whole number of seconds`;
  return undefined;
}
