// Argument checks shared by every public entry point. Programmer mistakes throw a plain
// TypeError/RangeError at once, with a message of the form
//   Expected `significantDigits` to be an integer from 1 to 5, got `7` (number)

/** Renders a value and its type for an error message: `` `7` (number) `` (the `@perf`-wide one). */
export { describe } from '@perf/internal';
import { describe } from '@perf/internal';

/** Throws `TypeError` unless `value` is a number, and `RangeError` unless it lies in [min, max]. */
export function checkNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describe(value)}`);
  }
  if (!(value >= min && value <= max)) {
    throw new RangeError(
      `Expected \`${name}\` to be a number from ${min} to ${max}, got ${describe(value)}`,
    );
  }
  return value;
}

/** Like {@link checkNumber}, and also requires an integer. */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`Expected \`${name}\` to be an integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    const to = max === Number.MAX_SAFE_INTEGER ? 'and up' : `to ${max}`;
    throw new RangeError(
      `Expected \`${name}\` to be an integer from ${min} ${to}, got ${describe(value)}`,
    );
  }
  return value;
}

/** Throws `TypeError` unless `value` is a function. */
export function checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  }
}

/** Throws `TypeError` unless `value` is a plain options object (or undefined). */
export function checkOptions(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${describe(value)}`);
  }
}

/**
 * The check `record()` runs on its slow path: explains why `value` is not a recordable
 * measurement. Non-numbers are a `TypeError`; NaN, infinities and negatives a `RangeError`.
 */
export function badValue(value: unknown): Error {
  if (typeof value !== 'number') {
    return new TypeError(`Expected \`value\` to be a number, got ${describe(value)}`);
  }
  return new RangeError(
    `Expected \`value\` to be a finite number from 0 and up, got ${describe(value)}`,
  );
}

/** True for promises and any other object with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
