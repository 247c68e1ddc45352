// Argument checks that throw the plain TypeError/RangeError of a programmer's mistake, worded
// like sindresorhus' packages: Expected `x` to be …, got `v` (type).
import { describe as show } from '@perf/internal';

/** Throws unless `value` is an integer in `[min, max]`; returns it. */
export function integer(name: string, value: unknown, min: number, max = 2 ** 53 - 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`Expected \`${name}\` to be an integer from ${min} up, got ${show(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(
      `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is a power of two in `[min, max]`; returns it. */
export function powerOfTwo(name: string, value: unknown, min: number, max: number): number {
  integer(name, value, min, max);
  if (((value as number) & ((value as number) - 1)) !== 0) {
    throw new RangeError(
      `Expected \`${name}\` to be a power of two from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return value as number;
}

/** Throws unless `value` is a finite number of milliseconds ≥ 0 or `Infinity`. */
export function timeout(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(
      `Expected \`${name}\` to be a number of milliseconds from 0 up (or Infinity), got ${show(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is a function. */
export function fn(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${show(value)}`);
  }
}

/** Throws unless `value` is one of `choices`. */
export function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    const list = choices.map((c) => `'${c}'`).join(' or ');
    throw new TypeError(`Expected \`${name}\` to be ${list}, got ${show(value)}`);
  }
  return value as T;
}

/** Throws unless `value` is a SharedArrayBuffer of at least `bytes` bytes. */
export function sharedBuffer(name: string, value: unknown, bytes: number): SharedArrayBuffer {
  if (!(value instanceof SharedArrayBuffer)) {
    throw new TypeError(`Expected \`${name}\` to be a SharedArrayBuffer, got ${show(value)}`);
  }
  if (value.byteLength < bytes) {
    throw new RangeError(
      `Expected \`${name}\` to hold at least ${bytes} bytes, got ${value.byteLength}`,
    );
  }
  return value;
}

/** Validates `(buffer, byteOffset)` for a counter of `size` bytes (offset a multiple of size). */
export function counterCell(buffer: unknown, byteOffset: unknown, size: number): number {
  const sab = sharedBuffer('buffer', buffer, size);
  const offset = integer('byteOffset', byteOffset, 0, sab.byteLength - size);
  if (offset % size !== 0) {
    throw new RangeError(
      `Expected \`byteOffset\` to be a multiple of ${size}, got ${show(offset)}`,
    );
  }
  return offset;
}

export { show };
