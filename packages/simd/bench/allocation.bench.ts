/**
 * "No allocation per call", measured rather than believed: count V8 GC events while the
 * kernels run a million times on arrays in module memory with an `out`, next to the same calls
 * without `out` (a new result array each call), which shows the observer does see garbage.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { createSimd } from '../src/index.js';

const CALLS = 1_000_000;
/** Every result folds in here, so no call is dead code. */
let sink = 0;
const consume = (x: unknown): void => {
  sink += typeof x === 'number' ? x : 1;
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

async function gcEvents(body: () => void): Promise<number> {
  let events = 0;
  const observer = new PerformanceObserver((list) => {
    events += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  body();
  await settle(); // GC entries are delivered asynchronously
  observer.disconnect();
  return events;
}

export async function benchAllocation(): Promise<void> {
  const simd = createSimd({ backend: 'wasm' });
  const a = simd.alloc(Float32Array, 256).fill(1);
  const b = simd.alloc(Float32Array, 256).fill(2);
  const o = simd.alloc(Float32Array, 256);
  const loop = (withOut: boolean) => () => {
    for (let i = 0; i < CALLS; i++) {
      consume(withOut ? simd.add(a, b, o) : simd.add(a, b));
      consume(simd.sum(a) + simd.dot(a, b) + simd.min(a) + simd.argmax(a));
    }
  };
  loop(true)(); // warm up: tier up, settle the heap
  await settle();
  const clean = await gcEvents(loop(true));
  const dirty = await gcEvents(loop(false));
  console.log(
    '\n#### Allocation per call (GC events over 1M calls each of add/sum/dot/min/argmax, n = 256)\n',
  );
  console.log('| case | GC events |');
  console.log('|---|---:|');
  console.log(`| arrays in module memory, \`out\` given | ${clean} |`);
  console.log(`| same, \`add\` without \`out\` (new result each call) | ${dirty} |`);
  console.log(`\n(sink ${sink === 0 ? 0 : 1})`);
}
