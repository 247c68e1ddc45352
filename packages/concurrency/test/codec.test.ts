// The pool's value codec, on its own: every value comes back equal, through the path it chose.
import v8 from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCodec } from '../src/internal/codec.js';
import { RUNS } from './helpers/runs.js';

const codec = makeCodec(v8);
const target = new Uint8Array(4096);
const view = new DataView(target.buffer);
const roundTrip = (value: unknown): { value?: unknown; refused: boolean } => {
  const end = codec.encode(value, target, view, 12);
  return end < 0
    ? { refused: true }
    : { value: codec.decode(target, view, 12, end), refused: false };
};

describe('pool value codec', () => {
  it('round-trips any structured-cloneable value it accepts (property)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withNullPrototype: false,
        }),
        (value) => {
          const r = roundTrip(value);
          if (!r.refused) expect(r.value).toEqual(value);
        },
      ),
      { numRuns: RUNS * 5 },
    );
  });

  it('keeps -0, NaN and undefined members, which JSON would lose', () => {
    for (const value of [
      -0,
      Number.NaN,
      { a: undefined },
      [1, undefined],
      { x: -0 },
      [Number.POSITIVE_INFINITY],
    ]) {
      expect(roundTrip(value).value).toStrictEqual(value);
    }
  });

  it('refuses values that must be shared or cannot fit, so the pool posts them instead', () => {
    expect(roundTrip(new SharedArrayBuffer(8)).refused).toBe(true);
    expect(roundTrip({ deep: [new Float64Array(new SharedArrayBuffer(8))] }).refused).toBe(true);
    expect(roundTrip(new Float64Array(1000)).refused).toBe(true);
    expect(roundTrip('x'.repeat(5000)).refused).toBe(true);
    expect(roundTrip(() => 1).refused).toBe(true);
  });
});
