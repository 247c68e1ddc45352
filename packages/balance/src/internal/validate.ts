// Argument checks that throw the plain TypeError/RangeError of a programmer's mistake, with
// messages in the house form: Expected `vnodes` to be an integer from 1 and up, got `0` (number).
import { describe as shown } from '@perf/internal';

/** A finite number in [min, max]; returns it. */
export function number(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${shown(value)}`);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `from ${min} and up` : `from ${min} to ${max}`;
    throw new RangeError(`Expected \`${name}\` to be a number ${range}, got ${shown(value)}`);
  }
  return value;
}

/** An integer in [min, max]; returns it. */
export function integer(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`Expected \`${name}\` to be an integer, got ${shown(value)}`);
  }
  return number(name, value, min, max);
}

/** A non-empty string; returns it. */
export function id(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`Expected a node id to be a non-empty string, got ${shown(value)}`);
  }
  return value;
}

/** A function or undefined; returns it. */
export function fn<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${shown(value)}`);
  }
  return value;
}
