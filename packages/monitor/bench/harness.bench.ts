// The same case through three harnesses: our Bench, tinybench and mitata. Their medians
// should agree; this is a sanity check of the harness, not a race.
import { measure } from 'mitata';
import { Bench as TinyBench } from 'tinybench';
import { Bench, type BenchOptions } from '../src/bench-api.js';
import { defaults } from './data.js';

const payload = {
  id: 12345,
  name: 'perf-kv',
  tags: ['a', 'b', 'c'],
  nested: { x: 1.5, y: [1, 2, 3] },
};
export const work = () => JSON.stringify(payload);

export function harnessBench(options: BenchOptions = {}): Bench {
  return new Bench('JSON.stringify, our harness', { ...defaults, ...options }).add(
    'JSON.stringify(small object)',
    work,
  );
}

/** Medians in ns from tinybench and mitata for the same case. */
export async function peerMedians(): Promise<{ tinybench: number; mitata: number }> {
  const tiny = new TinyBench({ time: defaults.time, warmupTime: defaults.warmup });
  tiny.add('stringify', work);
  await tiny.run();
  const result = tiny.tasks[0]!.result as { latency?: { p50?: number } };
  const stats = await measure(work);
  return { tinybench: (result.latency?.p50 ?? Number.NaN) * 1e6, mitata: stats.p50 };
}

export default harnessBench;
