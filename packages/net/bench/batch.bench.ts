// BatchProcessor throughput (items/s through add() → handler → each caller's promise) against
// a hand-written array batcher with the same promise per item (the `_vanilla` row), and the
// latency of a lone item against its maxWaitMs.
import { BatchProcessor } from '../src/index.js';
import { printBench } from '@perf/monitor/bench';

const N = 20_000;
const MAX_ITEMS = 1_000;

/** The simplest correct batcher: arrays, flush on count, a promise per item. */
class VanillaBatcher<I, R> {
  #items: I[] = [];
  #resolves: ((r: R) => void)[] = [];
  constructor(
    readonly handler: (items: I[]) => R[],
    readonly max: number,
  ) {}
  add(item: I): Promise<R> {
    return new Promise<R>((resolve) => {
      this.#items.push(item);
      this.#resolves.push(resolve);
      if (this.#items.length >= this.max) this.flush();
    });
  }
  flush(): void {
    const items = this.#items;
    const resolves = this.#resolves;
    this.#items = [];
    this.#resolves = [];
    const results = this.handler(items);
    for (let i = 0; i < resolves.length; i++) resolves[i]!(results[i]!);
  }
}

const identity = <T>(xs: T[]) => xs;

async function burst(add: (i: number) => Promise<number>, flush: () => unknown): Promise<number> {
  const promises = new Array<Promise<number>>(N);
  for (let i = 0; i < N; i++) promises[i] = add(i);
  await flush();
  let sum = 0;
  for (const v of await Promise.all(promises)) sum += v;
  return sum;
}

export async function run(): Promise<void> {
  const ours = new BatchProcessor(identity<number>, { maxItems: MAX_ITEMS, maxPending: 1 << 20 });
  const vanilla = new VanillaBatcher(identity<number>, MAX_ITEMS);
  await printBench(
    `Batching ${N.toLocaleString('en-US')} items (maxItems ${MAX_ITEMS}, each caller awaits its own result), per item`,
    [
      {
        name: '_vanilla array batcher',
        fn: () =>
          burst(
            (i) => vanilla.add(i),
            () => vanilla.flush(),
          ),
        ops: N,
      },
      {
        name: '@perf/net BatchProcessor',
        fn: () =>
          burst(
            (i) => ours.add(i),
            () => ours.flush(),
          ),
        ops: N,
      },
    ],
  );

  // A lone item: how long past maxWaitMs until its batch leaves (timer granularity is 1 ms).
  for (const maxWaitMs of [1, 5]) {
    const lone = new BatchProcessor(identity<number>, { maxWaitMs });
    const late: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await lone.add(i);
      late.push(performance.now() - t0 - maxWaitMs);
    }
    late.sort((a, b) => a - b);
    const at = (p: number) => late[Math.min(late.length - 1, Math.floor(p * late.length))]!;
    console.log(
      `
lone item, maxWaitMs ${maxWaitMs}: leaves ${at(0.5).toFixed(2)} ms (p50) / ${at(0.99).toFixed(2)} ms (p99) after maxWaitMs`,
    );
    await lone.close();
  }
  await ours.close();
}
