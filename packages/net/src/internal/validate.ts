// Programmer-mistake checks shared by every constructor: they throw plain TypeError/RangeError
// at once, with the house message form ``Expected `x` to be …, got `0` (number)``.

import { describe } from '@perf/internal';

/** An integer ≥ `min`, or `Infinity` when `allowInfinity`. */
export function integer(name: string, value: unknown, min: number, allowInfinity = false): number {
  if (
    typeof value !== 'number' ||
    !(Number.isInteger(value) || (allowInfinity && value === Number.POSITIVE_INFINITY))
  ) {
    throw new TypeError(
      `Expected \`${name}\` to be ${allowInfinity ? 'an integer or Infinity' : 'an integer'} from ${min} and up, got ${describe(value)}`,
    );
  }
  if (value < min) {
    throw new RangeError(
      `Expected \`${name}\` to be a number from ${min} and up, got ${describe(value)}`,
    );
  }
  return value;
}

/** A finite number ≥ `min` (or `Infinity` when allowed). */
export function number(name: string, value: unknown, min: number, allowInfinity = false): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describe(value)}`);
  }
  if (value < min || (!allowInfinity && !Number.isFinite(value))) {
    throw new RangeError(
      `Expected \`${name}\` to be a ${allowInfinity ? '' : 'finite '}number from ${min} and up, got ${describe(value)}`,
    );
  }
  return value;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

export function func<T>(name: string, value: T): T {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  }
  return value;
}

export function bytes(name: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(
      `Expected \`${name}\` to be a Buffer or Uint8Array, got ${describe(value)}`,
    );
  }
  return value;
}
