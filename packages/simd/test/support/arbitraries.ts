import fc from 'fast-check';
import type { KindName } from './oracle.js';

/** Runs per property; PERF_FUZZ_RUNS raises it locally (CI keeps the default). */
export const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 30);

const SPECIALS = [Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1];

/** Any value of the kind, NaN/±0/±Infinity included and over-represented. */
export function element(kind: KindName): fc.Arbitrary<number> {
  if (kind === 'i32') {
    return fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31)),
      fc.integer({ min: -9, max: 9 }),
    );
  }
  const any = kind === 'f32' ? fc.float() : fc.double();
  return fc.oneof(
    { arbitrary: any, weight: 4 },
    { arbitrary: fc.constantFrom(...SPECIALS), weight: 1 },
  );
}

/** Finite values of moderate magnitude, so f32 sums/products cannot overflow. */
export function finite(kind: KindName): fc.Arbitrary<number> {
  if (kind === 'i32') return element(kind);
  return fc.oneof(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.integer({ min: -100, max: 100 }),
  );
}

/**
 * Lengths around every boundary the kernels have: 0, 1, one short of / at / past a lane
 * (4, 2), of the 64-byte step (16, 8), and of the f32 sum block (1024).
 */
export const length = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 70 }), weight: 4 },
  { arbitrary: fc.constantFrom(1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65), weight: 2 },
  { arbitrary: fc.integer({ min: 1000, max: 2100 }), weight: 1 },
);

/** Two arrays of one length. */
export function pair(elem: fc.Arbitrary<number>) {
  return length.chain((n) =>
    fc.tuple(
      fc.array(elem, { minLength: n, maxLength: n }),
      fc.array(elem, { minLength: n, maxLength: n }),
    ),
  );
}

export function single(elem: fc.Arbitrary<number>) {
  return length.chain((n) => fc.array(elem, { minLength: n, maxLength: n }));
}
