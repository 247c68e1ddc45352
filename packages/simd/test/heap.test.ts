import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classBytes, classOf } from '../src/internal/heap.js';
import { createSimd, type NumericArray, SimdError, SimdOutOfMemoryError } from '../src/index.js';
import { RUNS } from './support/arbitraries.js';
import { CTOR, KINDS } from './support/oracle.js';

describe('size classes', () => {
  it('the chosen class is the smallest that fits, wasting at most 25% above 64 bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (bytes) => {
        const c = classOf(bytes);
        expect(classBytes(c)).toBeGreaterThanOrEqual(bytes);
        if (c > 0) expect(classBytes(c - 1)).toBeLessThan(bytes);
        if (bytes > 64) expect(classBytes(c)).toBeLessThanOrEqual(bytes * 1.25 + 16);
        expect(classBytes(c) % 16).toBe(0);
      }),
      { numRuns: 500 },
    );
    expect(classBytes(classOf(64 << 20))).toBe(64 << 20); // 16M floats: no waste
  });
});

describe('alloc and free', () => {
  it('returns zeroed, 16-byte aligned arrays of the asked type and length, inside the memory', () => {
    const simd = createSimd({ backend: 'wasm' });
    for (const kind of KINDS) {
      for (const n of [0, 1, 5, 16, 1000]) {
        const a = simd.alloc(CTOR[kind], n);
        expect(a).toBeInstanceOf(CTOR[kind]);
        expect(a.length).toBe(n);
        expect(a.byteOffset % 16).toBe(0);
        expect(simd.owns(a)).toBe(true);
        expect(a.every((x) => x === 0)).toBe(true);
        a.fill(9);
        simd.free(a);
        const again = simd.alloc(CTOR[kind], n); // same class: the freed block, zeroed again
        expect(again.byteOffset).toBe(a.byteOffset);
        expect(again.every((x) => x === 0)).toBe(true);
        simd.free(again);
      }
    }
  });

  it('arrays stay valid and owned when the memory grows under them', () => {
    const simd = createSimd({ backend: 'wasm', initialBytes: 65_536 });
    const small = simd.alloc(Float32Array, 100).fill(1.5);
    const before = simd.memory!.buffer.byteLength;
    const big = simd.alloc(Float32Array, 1 << 20).fill(2); // forces growth
    expect(simd.memory!.buffer.byteLength).toBeGreaterThan(before);
    expect(small.buffer).not.toBe(simd.memory!.buffer);
    expect(simd.owns(small)).toBe(true);
    expect(simd.sum(small)).toBe(150);
    expect(simd.sum(big)).toBe(2 * (1 << 20));
    const out = simd.alloc(Float32Array, 100);
    simd.add(small, big.subarray(0, 100), out);
    expect(out.every((x) => x === 3.5)).toBe(true);
  });

  it('staging foreign arrays larger than the memory grows it (regression: stale views)', () => {
    for (const kind of KINDS) {
      const simd = createSimd({ backend: 'wasm', initialBytes: 65_536 });
      const big = new CTOR[kind](1 << 17).fill(1);
      expect(simd.sum(big)).toBe(1 << 17);
      const simd2 = createSimd({ backend: 'wasm', initialBytes: 65_536 });
      expect(simd2.max(big)).toBe(1);
      const simd3 = createSimd({ backend: 'wasm', initialBytes: 65_536 });
      expect(simd3.add(big, big)[5]).toBe(2);
      const simd4 = createSimd({ backend: 'wasm', initialBytes: 65_536 });
      expect(simd4.dot(big, big)).toBe(1 << 17);
    }
  });

  it('double free, freeing a subarray or a foreign array are TypeErrors', () => {
    const simd = createSimd({ backend: 'wasm' });
    const a = simd.alloc(Float64Array, 10);
    expect(() => simd.free(a.subarray(1))).toThrow(TypeError);
    simd.free(a);
    expect(() => simd.free(a)).toThrow(TypeError);
    expect(() => simd.free(new Float64Array(10))).toThrow(TypeError);
  });

  it('out of memory is a SimdOutOfMemoryError, and the heap keeps working after it', () => {
    const simd = createSimd({ backend: 'wasm', initialBytes: 65_536, maximumBytes: 1 << 20 });
    const keep = simd.alloc(Int32Array, 1000).fill(7);
    let caught: unknown;
    try {
      simd.alloc(Float64Array, 1 << 20);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SimdOutOfMemoryError);
    expect(SimdError.is(caught)).toBe(true);
    expect((caught as SimdOutOfMemoryError).code).toBe('PERF_SIMD_OUT_OF_MEMORY');
    expect((caught as SimdOutOfMemoryError).requestedBytes).toBe(8 << 20);
    expect((caught as SimdOutOfMemoryError).cause).toBeInstanceOf(RangeError);
    expect(() => simd.alloc(Float32Array, 2 ** 30)).toThrow(
      expect.objectContaining({ code: 'PERF_SIMD_OUT_OF_MEMORY' }),
    );
    const after = simd.alloc(Int32Array, 1000);
    expect(simd.sum(keep)).toBe(7000);
    expect(after.every((x) => x === 0)).toBe(true);
  });

  it('model: any sequence of alloc/free keeps live arrays disjoint and their contents intact', () => {
    type Op = { alloc: true; kind: number; n: number } | { alloc: false; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        alloc: fc.constant(true as const),
        kind: fc.integer({ min: 0, max: 2 }),
        n: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 100, max: 20_000 })),
      }),
      fc.record({ alloc: fc.constant(false as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const simd = createSimd({ backend: 'wasm', initialBytes: 65_536 });
        const live: { a: NumericArray; tag: number }[] = [];
        let tag = 0;
        for (const o of ops) {
          if (o.alloc) {
            const a = simd.alloc(CTOR[KINDS[o.kind]!], o.n);
            a.fill(++tag);
            live.push({ a, tag });
          } else if (live.length > 0) {
            const [gone] = live.splice(o.pick % live.length, 1);
            simd.free(gone!.a);
          }
        }
        const spans = live.map(({ a }) => [a.byteOffset, a.byteOffset + a.byteLength] as const);
        spans.sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < spans.length; i++) {
          expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
        }
        for (const { a, tag: t } of live) {
          expect(simd.owns(a)).toBe(true);
          expect(a.every((x) => x === t)).toBe(true);
        }
      }),
      { numRuns: Math.max(20, RUNS / 2) },
    );
  });

  it('two instances on one memory allocate from one heap', () => {
    const first = createSimd({ backend: 'wasm' });
    const second = createSimd({ memory: first.memory! });
    const a = first.alloc(Float32Array, 64).fill(1);
    const b = second.alloc(Float32Array, 64).fill(2);
    expect(
      a.byteOffset + a.byteLength <= b.byteOffset || b.byteOffset + b.byteLength <= a.byteOffset,
    ).toBe(true);
    expect(second.owns(a)).toBe(true);
    expect(second.sum(a)).toBe(64);
    first.free(b); // either instance may free: the heap state lives in the memory
    expect(() => second.free(b)).toThrow(TypeError);
  });
});
