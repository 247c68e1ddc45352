import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimd, type NumericArray, type Simd } from '../src/index.js';
import { RUNS } from './support/arbitraries.js';
import { wasmMemory } from './support/memory.js';

const backends: [string, Simd][] = [
  ['wasm', createSimd({ backend: 'wasm' })],
  ['scalar', createSimd({ backend: 'scalar' })],
];

type AnyFn = (...args: unknown[]) => unknown;
const call = (simd: Simd, name: keyof Simd, ...args: unknown[]) =>
  (simd[name] as unknown as AnyFn).apply(simd, args);

/** Anything that is not one of the three kernel array types. */
const notAnArray = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    0,
    'x',
    {},
    [1, 2, 3],
    new Uint8Array(4),
    new Uint16Array(4),
    new BigInt64Array(2),
    new ArrayBuffer(8),
    new DataView(new ArrayBuffer(8)),
    Symbol('s'),
  ),
  fc.anything(),
);

describe.each(backends)('bad input, %s backend: TypeError/RangeError at once', (_, simd) => {
  const binary = ['add', 'sub', 'mul', 'minimum', 'maximum'] as const;
  const reductions = ['sum', 'min', 'max', 'argmin', 'argmax'] as const;

  it('wrong array types anywhere are TypeErrors', () => {
    fc.assert(
      fc.property(notAnArray, (bad) => {
        for (const op of binary) {
          expect(() => call(simd, op, bad, new Float32Array(4))).toThrow(TypeError);
          expect(() => call(simd, op, new Float32Array(4), bad)).toThrow(TypeError);
          if (bad !== undefined) {
            expect(() => call(simd, op, new Float32Array(4), new Float32Array(4), bad)).toThrow(
              TypeError,
            );
          }
        }
        for (const op of reductions) expect(() => call(simd, op, bad)).toThrow(TypeError);
        expect(() => call(simd, 'dot', bad, bad)).toThrow(TypeError);
        expect(() => call(simd, 'dotMany', bad, new Float32Array(2))).toThrow(TypeError);
      }),
      { numRuns: RUNS },
    );
  });

  it('mixed array types are TypeErrors', () => {
    const arrays: NumericArray[] = [new Float32Array(4), new Float64Array(4), new Int32Array(4)];
    for (const a of arrays) {
      for (const b of arrays) {
        if (a === b) continue;
        expect(() => simd.add(a, b)).toThrow(TypeError);
        expect(() => simd.dot(a, b)).toThrow(TypeError);
        expect(() => simd.add(a, a, b)).toThrow(TypeError);
        expect(() => simd.scale(a, 2, b)).toThrow(TypeError);
      }
    }
    expect(() =>
      simd.dotMany(new Float32Array(4), new Float32Array(2), new Float32Array(2) as never),
    ).toThrow(TypeError);
  });

  it('mismatched lengths and a short out are RangeErrors', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), (n, m) => {
        fc.pre(n !== m);
        for (const op of binary) {
          expect(() => simd[op](new Float64Array(n), new Float64Array(m))).toThrow(RangeError);
        }
        expect(() => simd.dot(new Int32Array(n), new Int32Array(m))).toThrow(RangeError);
        const short = Math.min(n, m);
        const long = Math.max(n, m);
        expect(() =>
          simd.add(new Float32Array(long), new Float32Array(long), new Float32Array(short)),
        ).toThrow(RangeError);
        expect(() => simd.scale(new Int32Array(long), 3, new Int32Array(short))).toThrow(
          RangeError,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('a partially overlapping out is a RangeError; the same array (in place) is fine', () => {
    const buf = new Float32Array(20);
    const a = buf.subarray(0, 16);
    const shifted = buf.subarray(1, 17);
    expect(() => simd.add(a, a, shifted)).toThrow(RangeError);
    expect(() => simd.scale(a, 2, shifted)).toThrow(RangeError);
    expect(() => simd.add(a, a, a)).not.toThrow();
    expect(() => simd.add(a, a, new Float32Array(16))).not.toThrow();
  });

  it('dotMany: a matrix that is not whole rows, an empty query or a short out are RangeErrors', () => {
    expect(() => simd.dotMany(new Float32Array(7), new Float32Array(2))).toThrow(RangeError);
    expect(() => simd.dotMany(new Float32Array(0), new Float32Array(0))).toThrow(RangeError);
    expect(() =>
      simd.dotMany(new Float32Array(8), new Float32Array(2), new Float64Array(3)),
    ).toThrow(RangeError);
  });

  it('scale: a factor that is not a number is a TypeError', () => {
    for (const bad of ['2', undefined, null, 2n, {}]) {
      expect(() => call(simd, 'scale', new Float32Array(4), bad)).toThrow(TypeError);
    }
  });

  it('alloc: bad types and lengths are TypeErrors; free of a foreign array is a TypeError on wasm', () => {
    for (const bad of [Uint8Array, Array, undefined, 'Float32Array', Float32Array.prototype]) {
      expect(() => call(simd, 'alloc', bad, 4)).toThrow(TypeError);
    }
    for (const bad of [-1, 1.5, Number.NaN, '4', undefined, 2 ** 60]) {
      expect(() => call(simd, 'alloc', Float32Array, bad)).toThrow(TypeError);
    }
    expect(() => call(simd, 'free', [1, 2])).toThrow(TypeError);
    if (simd.backend === 'wasm') expect(() => simd.free(new Float32Array(4))).toThrow(TypeError);
  });
});

describe('createSimd options', () => {
  it('rejects bad options with TypeError/RangeError', () => {
    expect(() => createSimd({ backend: 'gpu' as never })).toThrow(TypeError);
    expect(() => createSimd(null as never)).toThrow(TypeError);
    expect(() => createSimd({ memory: {} as never })).toThrow(TypeError);
    expect(() => createSimd({ memory: wasmMemory({ initial: 1, maximum: 2 }) })).toThrow(TypeError); // not shared
    expect(() => createSimd({ initialBytes: 0 })).toThrow(RangeError);
    expect(() => createSimd({ maximumBytes: 2 ** 32 })).toThrow(RangeError);
    expect(() => createSimd({ initialBytes: 1 << 21, maximumBytes: 1 << 20 })).toThrow(RangeError);
  });

  it('refuses a shared memory that holds foreign data', () => {
    const memory = wasmMemory({ initial: 1, maximum: 4, shared: true });
    new Int32Array(memory.buffer)[7] = 42;
    expect(() => createSimd({ memory })).toThrow(TypeError);
  });
});
