/**
 * Errors of the page parser. Messages are plain and name the field; they
 * never quote values from the body (event strings are attacker-controlled and
 * may be long), only JSON types and lengths.
 */

/** The response body is not JSON at all (an HTML error page, a cut-off body, ...). */
export class PageNotJsonError extends Error {
  constructor(
    /** Length of the body in characters. */
    readonly bodyLength: number,
    /** The JSON parser's own description of the problem (position), shortened. */
    readonly detail: string,
  ) {
    super(
      bodyLength === 0
        ? 'The response body is empty, expected JSON.'
        : `The response body is not valid JSON (${bodyLength} characters): ${detail}`,
    );
    this.name = 'PageNotJsonError';
  }
}

/** The body is JSON but does not have the shape of an audit-log page or event. */
export class PageSchemaError extends Error {
  constructor(
    /** Where, e.g. `data[3].effective_at`; `(page)` for the top-level value. */
    readonly path: string,
    /** What was expected there, e.g. `number`, `"list"`. */
    readonly expected: string,
    /** The JSON type found there, or `missing`. */
    readonly received: string,
  ) {
    super(
      received === 'missing'
        ? `${path}: expected ${expected}, but the field is missing`
        : `${path}: expected ${expected}, got ${received}`,
    );
    this.name = 'PageSchemaError';
  }
}

/** The JSON type of a parsed value, for messages: `string`, `number`, `null`, `array`, `object`, `missing`. */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
