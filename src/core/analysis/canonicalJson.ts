/**
 * A stable text for a JSON value, for equality of values and array elements
 * in change reconstruction: object keys sorted, otherwise as `JSON.stringify`
 * writes it. Walks the value with its own stack, so it is exact at any depth.
 */

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A piece of finished text on the work stack of {@link canonicalJson} (a value to write is anything else). */
class Text {
  constructor(readonly text: string) {}
}
const OPEN_ARRAY = new Text('[');
const CLOSE_ARRAY = new Text(']');
const OPEN_OBJECT = new Text('{');
const CLOSE_OBJECT = new Text('}');
const COMMA = new Text(',');

/**
 * A stable text for a JSON value (object keys sorted, otherwise as
 * `JSON.stringify` writes it), for equality of elements and values. Exact at
 * any depth: it walks the value with its own stack, never the call stack, so
 * a value nested 100,000 levels (which the parser accepts) compares like any.
 */
export function canonicalJson(value: unknown): string {
  if (!isContainer(value)) return JSON.stringify(value) ?? 'undefined';
  let out = '';
  const work: unknown[] = [value];
  while (work.length > 0) {
    const item = work.pop();
    if (item instanceof Text) out += item.text;
    else if (Array.isArray(item)) {
      work.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        const v: unknown = item[i];
        // As JSON.stringify: undefined and functions in an array are null.
        work.push(v === undefined || typeof v === 'function' ? null : v);
        if (i > 0) work.push(COMMA);
      }
      work.push(OPEN_ARRAY);
    } else if (isObject(item)) {
      work.push(CLOSE_OBJECT);
      const keys = Object.keys(item).filter((k) => item[k] !== undefined && typeof item[k] !== 'function').sort();
      for (let i = keys.length - 1; i >= 0; i--) {
        work.push(item[keys[i]]);
        work.push(new Text(`${JSON.stringify(keys[i])}:`));
        if (i > 0) work.push(COMMA);
      }
      work.push(OPEN_OBJECT);
    } else out += JSON.stringify(item) ?? 'null';
  }
  return out;
}

function isContainer(v: unknown): v is JsonObject | unknown[] {
  return typeof v === 'object' && v !== null;
}
