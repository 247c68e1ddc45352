/** hasDuplicates against a Set, and the naive O(n²) check as a baseline at small n only. */
import { hasDuplicates } from '../src/index.js';
import { consume, measure, printTable } from './harness.js';

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

export function benchHasDuplicates(sizes: number[]): void {
  const small = distinctInts(2000);
  printTable('hasDuplicates, 2K distinct int32 (no duplicate: the worst case)', [
    { name: 'naive O(n²) pairwise', medianNs: measure(() => naive(small)) },
    { name: 'Set', medianNs: measure(() => viaSet(small)) },
    { name: '@perf/simd hasDuplicates', medianNs: measure(() => hasDuplicates(small)) },
  ]);
  for (const n of sizes) {
    const ints = distinctInts(n);
    const floats = Float64Array.from(ints, (x) => x / 7);
    const dense = Int32Array.from({ length: n }, (_, i) => n - i);
    // A Set of 10M takes tens of seconds on a loaded 2-core machine: at 10M, Set rows get one
    // timed call and no warm-up, @perf/simd rows one warm-up and three.
    const huge = n >= 5_000_000;
    const m = (fn: () => unknown) => measure(fn, huge ? 0 : 1000, huge ? 3 : 5, huge ? 1 : 5);
    const once = (fn: () => unknown) => (huge ? measure(fn, 0, 1, 0) : m(fn));
    const label = `${n / 1e6}M`;
    printTable(`hasDuplicates, ${label} distinct values (no duplicate: the worst case)`, [
      { name: 'Set, int32', medianNs: once(() => viaSet(ints)) },
      {
        name: '@perf/simd, Int32Array (hash table)',
        medianNs: m(() => hasDuplicates(ints)),
      },
      {
        name: '@perf/simd, Int32Array of a dense range (bitset)',
        medianNs: m(() => hasDuplicates(dense)),
      },
      { name: 'Set, float64', medianNs: once(() => viaSet(floats)) },
      {
        name: '@perf/simd, Float64Array (hash table)',
        medianNs: m(() => hasDuplicates(floats)),
      },
    ]);
    consume(ints[0]);
  }
}
