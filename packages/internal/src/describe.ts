/**
 * How every `@perf` error message shows a value, in the sindresorhus form:
 * ``Expected `concurrency` to be a number from 1 and up, got `0` (number)``.
 */

const MAX_STRING = 40;

function text(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const shown = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
      return JSON.stringify(shown);
    }
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name ? `function ${value.name}` : 'function';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `Array(${value.length})`;
      const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
      const name = proto?.constructor?.name;
      return typeof name === 'string' && name !== '' ? name : 'Object';
    }
    default:
      return String(value);
  }
}

/**
 * A value as error messages show it: `` `0` (number)``, `` `"a"` (string)``, `` `null` (null)``,
 * `` `Array(3)` (object)``, `` `Map` (object)``. Never throws (proxies and exotic objects
 * included); strings are cut at 40 characters.
 */
export function describe(value: unknown): string {
  let shown: string;
  try {
    shown = text(value);
  } catch {
    shown = 'Object';
  }
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

/**
 * The whole message of a bad argument: ``Expected `name` to be <expected>, got <describe(value)>``.
 * Throw it as a `TypeError` (wrong type) or `RangeError` (right type, out of range).
 */
export function expected(name: string, what: string, value: unknown): string {
  return `Expected \`${name}\` to be ${what}, got ${describe(value)}`;
}
