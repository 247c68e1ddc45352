/**
 * Argument checks shared by every constructor. A failed check is a programmer's mistake, so it
 * throws a plain `TypeError`/`RangeError` at once, worded like
 * ``Expected `blockSize` to be an integer from 8 and up, got `0` (number)``.
 */

/** `` `value` (type) `` for messages (the shared @perf describer; never throws). */
import { describe as show } from '@perf/internal';

export { show };

/** Throws unless `value` is an integer in `[min, max]`; returns it typed as a number. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`Expected \`${name}\` to be an integer, got ${show(value)}`);
  }
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `from ${min} and up` : `from ${min} to ${max}`;
    throw new RangeError(`Expected \`${name}\` to be an integer ${range}, got ${show(value)}`);
  }
  return value;
}

/** Like {@link integer} with a default for `undefined`. */
export function optionalInteger(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  return value === undefined ? fallback : integer(name, value, min, max);
}

/** Throws unless `value` is one of `allowed`; `undefined` gives `fallback`. */
export function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    const list = allowed.map((a) => `'${a}'`).join(' or ');
    throw new TypeError(`Expected \`${name}\` to be ${list}, got ${show(value)}`);
  }
  return value as T;
}

/** Throws unless `value` is a boolean; `undefined` gives `fallback`. */
export function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${show(value)}`);
  }
  return value;
}

/** Throws unless `value` is a function; `undefined` gives `fallback` when one is given. */
export function fn<F>(name: string, value: unknown, fallback?: F): F {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${show(value)}`);
  }
  return value as F;
}

/** Throws unless `value` is a non-null object (the options bag). `undefined` gives `{}`. */
export function options<T extends object>(name: string, value: unknown): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${show(value)}`);
  }
  return value as Partial<T>;
}
