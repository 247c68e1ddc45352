/**
 * The contract every backend of the Simd interface must meet, run against each of them
 * (wasm with arrays in its memory, wasm with foreign arrays, wasm with both mixed, scalar):
 * fast-check properties against the plain-JS oracle, at every length boundary, with
 * NaN/±0/±Infinity over-represented.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { NumericArray, Simd } from '../../src/index.js';
import { element, finite, pair, RUNS, single } from './arbitraries.js';
import {
  argRef,
  bound,
  CTOR,
  dotRef,
  ELEMENTWISE,
  elementwise,
  KINDS,
  type KindName,
  maxRef,
  minRef,
  sameValues,
  scaleRef,
} from './oracle.js';

export interface ContractSubject {
  simd: Simd;
  /** An array of `kind` holding `values`; `slot` lets a subject mix where arrays live. */
  array(kind: KindName, values: readonly number[], slot: number): NumericArray;
  /** Gives back what `array` made during one property run. */
  release(): void;
}

export function kernelContract(name: string, make: () => ContractSubject): void {
  describe(`Simd contract: ${name}`, () => {
    const s = make();
    const { simd } = s;
    const run = <T>(arb: fc.Arbitrary<T>, body: (v: T) => void, runs = RUNS) =>
      fc.assert(
        fc.property(arb, (v) => {
          try {
            body(v);
          } finally {
            s.release();
          }
        }),
        { numRuns: runs },
      );
    afterAll(() => s.release());

    for (const kind of KINDS) {
      for (const op of ELEMENTWISE) {
        it(`${op} ${kind}: equals the oracle, into a new array, into out and in place`, () => {
          run(pair(element(kind)), ([x, y]) => {
            const want = elementwise(op, kind, x, y);
            const a = s.array(kind, x, 0);
            const b = s.array(kind, y, 1);
            expect(sameValues(simd[op](a, b), want)).toBe(true);
            const out = s.array(kind, new Array(x.length + 3).fill(7), 2);
            expect(simd[op](a, b, out)).toBe(out);
            expect(sameValues(out, want)).toBe(true);
            expect(Array.from(out.subarray(x.length))).toEqual([7, 7, 7]); // past n: untouched
            expect(simd[op](a, b, a)).toBe(a);
            expect(sameValues(a, want)).toBe(true);
          });
        });
      }

      it(`scale ${kind}: factor rounded to the element type first`, () => {
        run(fc.tuple(single(element(kind)), fc.oneof(element(kind), fc.double())), ([x, k]) => {
          const a = s.array(kind, x, 0);
          expect(sameValues(simd.scale(a, k), scaleRef(kind, x, k))).toBe(true);
          expect(sameValues(simd.scale(a, k, a), scaleRef(kind, x, k))).toBe(true);
        });
      });

      if (kind === 'i32') {
        it('sum and dot i32: exact, wrapping modulo 2^32', () => {
          run(pair(element(kind)), ([x, y]) => {
            const a = s.array(kind, x, 0);
            const b = s.array(kind, y, 1);
            expect(simd.sum(a)).toBe(dotRef(kind, x).value);
            expect(simd.dot(a, b)).toBe(dotRef(kind, x, y).value);
          });
        });
      } else {
        it(`sum and dot ${kind}: within the documented reassociation bound`, () => {
          run(pair(finite(kind)), ([x0, y0]) => {
            const a = s.array(kind, x0, 0);
            const b = s.array(kind, y0, 1);
            const x = Array.from(a); // values as stored (f32-rounded)
            const y = Array.from(b);
            const sum = dotRef(kind, x);
            const dot = dotRef(kind, x, y);
            expect(Math.abs(simd.sum(a) - sum.value)).toBeLessThanOrEqual(
              bound(kind, x.length, sum.magnitude),
            );
            expect(Math.abs(simd.dot(a, b) - dot.value)).toBeLessThanOrEqual(
              bound(kind, x.length, dot.magnitude),
            );
          });
        });

        it(`sum and dot ${kind}: NaN and Infinity propagate as in the oracle`, () => {
          const special = fc.oneof(
            finite(kind),
            fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
          );
          run(pair(special), ([x, y]) => {
            const a = s.array(kind, x, 0);
            const b = s.array(kind, y, 1);
            for (const [got, want] of [
              [simd.sum(a), dotRef(kind, Array.from(a)).value],
              [simd.dot(a, b), dotRef(kind, Array.from(a), Array.from(b)).value],
            ] as const) {
              if (Number.isFinite(want)) expect(Number.isFinite(got)).toBe(true);
              else expect(got).toBe(want); // toBe uses Object.is: NaN === NaN here
            }
          });
        });
      }

      it(`min, max, argmin, argmax ${kind}: Math.min/Math.max order, first index`, () => {
        run(single(element(kind)), (x) => {
          const a = s.array(kind, x, 0);
          const v = Array.from(a);
          const lo = minRef(v);
          const hi = maxRef(v);
          expect(simd.min(a)).toBe(lo);
          expect(simd.max(a)).toBe(hi);
          expect(simd.argmin(a)).toBe(argRef(v, lo));
          expect(simd.argmax(a)).toBe(argRef(v, hi));
        });
      });
    }

    it('min/max of -0 and +0 in either order, and of a lone NaN among numbers', () => {
      for (const kind of ['f32', 'f64'] as const) {
        for (const x of [
          [0, -0],
          [-0, 0],
          [0, 0, 0, -0, 0],
          [1, 2, Number.NaN, 0],
          new Array(40).fill(0).concat([-0]),
          new Array(40).fill(-0).concat([0]),
        ]) {
          const a = s.array(kind, x, 0);
          expect(simd.min(a)).toBe(minRef(x));
          expect(simd.max(a)).toBe(maxRef(x));
          expect(simd.argmin(a)).toBe(argRef(x, minRef(x)));
          expect(simd.argmax(a)).toBe(argRef(x, maxRef(x)));
          s.release();
        }
      }
    });

    it('empty arrays: sum 0, min Infinity, max -Infinity, argmin/argmax -1', () => {
      for (const kind of KINDS) {
        const a = s.array(kind, [], 0);
        expect(simd.sum(a)).toBe(0);
        expect(simd.min(a)).toBe(Number.POSITIVE_INFINITY);
        expect(simd.max(a)).toBe(Number.NEGATIVE_INFINITY);
        expect(simd.argmin(a)).toBe(-1);
        expect(simd.argmax(a)).toBe(-1);
        expect(simd.add(a, a).length).toBe(0);
        s.release();
      }
    });

    it('dotMany: every score equals dot() on its row, and the oracle within the bound', () => {
      const arb = fc
        .record({ dim: fc.integer({ min: 1, max: 40 }), rows: fc.integer({ min: 0, max: 30 }) })
        .chain(({ dim, rows }) =>
          fc.tuple(
            fc.array(finite('f32'), { minLength: dim * rows, maxLength: dim * rows }),
            fc.array(finite('f32'), { minLength: dim, maxLength: dim }),
          ),
        );
      run(arb, ([m0, q0]) => {
        const m = s.array('f32', m0, 0) as Float32Array;
        const q = s.array('f32', q0, 1) as Float32Array;
        const rows = m.length / q.length;
        const out = s.array('f64', new Array(rows).fill(0), 2) as Float64Array;
        expect(simd.dotMany(m, q, out)).toBe(out);
        const fresh = simd.dotMany(m, q);
        for (let r = 0; r < rows; r++) {
          const row = Array.from(m.subarray(r * q.length, (r + 1) * q.length));
          expect(out[r]).toBe(simd.dot(s.array('f32', row, 3) as Float32Array, q));
          expect(fresh[r]).toBe(out[r]);
          const ref = dotRef('f32', row, Array.from(q));
          expect(Math.abs(out[r]! - ref.value)).toBeLessThanOrEqual(
            bound('f32', row.length, ref.magnitude),
          );
        }
      });
    });
  });
}

/** A subject whose arrays are ordinary typed arrays (foreign to any wasm memory). */
export function foreignArrays(simd: Simd): ContractSubject {
  return {
    simd,
    array: (kind, values) => CTOR[kind].from(values),
    release() {},
  };
}

/** A subject whose arrays come from simd.alloc (slots in `foreignSlots` stay foreign). */
export function memoryArrays(simd: Simd, foreignSlots: readonly number[] = []): ContractSubject {
  const live: NumericArray[] = [];
  return {
    simd,
    array(kind, values, slot) {
      if (foreignSlots.includes(slot)) return CTOR[kind].from(values);
      const a = simd.alloc(CTOR[kind], values.length);
      a.set(values);
      live.push(a);
      return a;
    },
    release() {
      for (const a of live.splice(0)) simd.free(a);
    },
  };
}
