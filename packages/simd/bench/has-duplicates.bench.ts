/** hasDuplicates against a Set, and the naive O(n²) check as a baseline at small n only. */
import { hasDuplicates } from '../src/index.js';
import { printBench } from './print.js';

function viaSet(values: ArrayLike<number>): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (seen.has(x)) return true;
    seen.add(x);
  }
  return false;
}

function naive(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) if (values[i] === values[j]) return true;
  }
  return false;
}

/** n distinct int32 spread over the whole range (an odd multiplier is a bijection mod 2^32). */
function distinctInts(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.imul(i, 0x9e3779b1);
  return a;
}

export async function benchHasDuplicates(sizes: number[]): Promise<void> {
  const small = distinctInts(2000);
  await printBench('hasDuplicates, 2K distinct int32 (no duplicate: the worst case)', [
    { name: 'naive O(n²) pairwise', fn: () => naive(small) },
    { name: 'Set', fn: () => viaSet(small) },
    { name: '@perf/simd hasDuplicates', fn: () => hasDuplicates(small) },
  ]);
  for (const n of sizes) {
    const ints = distinctInts(n);
    const floats = Float64Array.from(ints, (x) => x / 7);
    const dense = Int32Array.from({ length: n }, (_, i) => n - i);
    // A Set of 10M values takes seconds per call, so from 5M on every case gets the fewest
    // samples the harness takes and a short warm-up (a call that long tiers up inside itself).
    const huge = n >= 5_000_000;
    const opts = huge ? { samples: 5, time: 1, warmup: 1 } : { samples: 15, time: 2000 };
    const label = `${n / 1e6}M`;
    await printBench(
      `hasDuplicates, ${label} distinct int32 (no duplicate: the worst case)`,
      [
        { name: 'Set', fn: () => viaSet(ints) },
        { name: '@perf/simd, Int32Array (partitioned hash)', fn: () => hasDuplicates(ints) },
        { name: '@perf/simd, dense range (bitset)', fn: () => hasDuplicates(dense) },
      ],
      opts,
    );
    await printBench(
      `hasDuplicates, ${label} distinct float64`,
      [
        { name: 'Set', fn: () => viaSet(floats) },
        { name: '@perf/simd, Float64Array (partitioned hash)', fn: () => hasDuplicates(floats) },
      ],
      opts,
    );
  }
}
