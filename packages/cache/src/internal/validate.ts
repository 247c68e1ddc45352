// Option and argument checks. A programmer's mistake throws a plain TypeError (wrong type) or
// RangeError (right type, out of range) at once, with the sindresorhus message shape:
// Expected `maximumSize` to be an integer from 1 and up, got `0` (number)
import { expected as expectedMessage } from '@perf/internal';

/** Throws RangeError for a number out of range, TypeError for a value of the wrong type. */
function fail(
  name: string,
  expected: string,
  value: unknown,
  range = typeof value === 'number',
): never {
  const message = expectedMessage(name, expected, value);
  throw range ? new RangeError(message) : new TypeError(message);
}

/** An integer ≥ 1 (a count of entries). */
export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(name, 'an integer from 1 and up', value);
  }
  return value;
}

/** A finite number > 0 (a total weight). */
export function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(name, 'a finite number greater than 0', value);
  }
  return value;
}

/** A duration in milliseconds: a number ≥ 0, `Infinity` allowed; `undefined` gives `Infinity`. */
export function duration(name: string, value: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    fail(name, 'a number of milliseconds from 0 and up (or Infinity)', value);
  }
  return value;
}

/** A weight returned by a weigher: a finite number ≥ 0. */
export function weight(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail('weigher(key, value)', 'a finite number from 0 and up', value);
  }
  return value;
}

/** A function, or `undefined` when optional. */
export function optionalFunction<F>(name: string, value: unknown): F | undefined {
  if (value !== undefined && typeof value !== 'function') fail(name, 'a function', value, false);
  return value as F | undefined;
}

/** A function. */
export function requiredFunction<F>(name: string, value: unknown): F {
  if (typeof value !== 'function') fail(name, 'a function', value, false);
  return value as F;
}

/** An options object (or `undefined`, read as `{}`). */
export function options<T extends object>(name: string, value: unknown): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) fail(name, 'an object', value, false);
  return value as Partial<T>;
}

/** The `cache` and `backend` every write strategy takes. */
export function strategyParts<C, B>(o: { cache?: C; backend?: B }): { cache: C; backend: B } {
  const cache = o.cache as { get?: unknown } | undefined;
  if (typeof cache?.get !== 'function') {
    throw new TypeError(expectedMessage('cache', 'a cache', o.cache));
  }
  const backend = o.backend as { write?: unknown } | undefined;
  if (typeof backend?.write !== 'function') {
    throw new TypeError(expectedMessage('backend.write', 'a function', o.backend));
  }
  return { cache: o.cache as C, backend: o.backend as B };
}
