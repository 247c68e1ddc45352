// parMap / parReduce / parSort on 10M elements against the same loop on one thread. The pool
// has availableParallelism() - 1 threads and the calling thread takes part.
import { availableParallelism } from 'node:os';
import { parMap, parReduce, parSort, sharedArray, toShared, WorkerPool } from '../src/index.js';
import { measure, type Row, table } from './harness.js';

const N = Number(process.env.PERF_BENCH_ELEMENTS ?? 10_000_000);

const ms = (f: () => unknown) => async () => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

export async function run(): Promise<void> {
  const pool = new WorkerPool({ threads: Math.max(1, availableParallelism() - 1) });
  const input = toShared(Float64Array.from({ length: N }, (_, i) => (i * 0.618) % 1000));
  const out = sharedArray(Float64Array, N);
  let sink = 0;

  const rows: Row[] = [
    {
      name: 'map CPU-bound: one thread',
      value: await measure(
        ms(() => {
          for (let i = 0; i < N; i++) out[i] = Math.sqrt(input[i]!) * Math.sin(input[i]!);
        }),
      ),
    },
    {
      name: 'map CPU-bound: parMap',
      value: await measure(
        ms(() => parMap(input, (x) => Math.sqrt(x) * Math.sin(x), { pool, output: out })),
      ),
    },
    {
      name: 'map memory-bound: one thread',
      value: await measure(
        ms(() => {
          for (let i = 0; i < N; i++) out[i] = input[i]! * 2;
        }),
      ),
    },
    {
      name: 'map memory-bound: parMap',
      value: await measure(ms(() => parMap(input, (x) => x * 2, { pool, output: out }))),
    },
    {
      name: 'reduce CPU-bound: one thread',
      value: await measure(
        ms(() => {
          let acc = 0;
          for (let i = 0; i < N; i++) acc += Math.sin(input[i]!);
          sink += acc;
        }),
      ),
    },
    {
      name: 'reduce CPU-bound: parReduce',
      value: await measure(
        ms(async () => (sink += await parReduce(input, (a, x) => a + Math.sin(x), 0, { pool }))),
      ),
    },
    {
      name: 'reduce memory-bound: one thread',
      value: await measure(
        ms(() => {
          let acc = 0;
          for (let i = 0; i < N; i++) acc += input[i]!;
          sink += acc;
        }),
      ),
    },
    {
      name: 'reduce memory-bound: parReduce',
      value: await measure(
        ms(async () => (sink += await parReduce(input, (a, x) => a + x, 0, { pool }))),
      ),
    },
  ];
  const random = Float64Array.from({ length: N }, () => Math.random());
  const work = sharedArray(Float64Array, N);
  const sortMs = async (sorter: () => unknown) => {
    work.set(random);
    const t0 = performance.now();
    await sorter();
    return performance.now() - t0;
  };
  const sorts: Row[] = [
    { name: 'Float64Array.prototype.sort', value: await measure(() => sortMs(() => work.sort())) },
    { name: 'parSort', value: await measure(() => sortMs(() => parSort(work, { pool }))) },
  ];
  if (sink === Math.PI) console.log(sink);
  // Speed-ups: print each parallel row against its one-thread row.
  console.log(
    `\n### Parallel operations on ${N / 1e6}M Float64 elements (${pool.size} pool thread(s) + the caller)\n`,
  );
  console.log('| operation | one thread ms | parallel ms | speed-up |');
  console.log('|---|---:|---:|---:|');
  for (let i = 0; i < rows.length; i += 2) {
    const [a, b] = [rows[i]!, rows[i + 1]!];
    console.log(
      `| ${a.name.replace(': one thread', '')} | ${a.value.toFixed(1)} | ${b.value.toFixed(1)} | ${(a.value / b.value).toFixed(2)}× |`,
    );
  }
  table('Sorting 10M random doubles', 'ms', sorts, 'Float64Array.prototype.sort', false);
  await pool.destroy();
}
