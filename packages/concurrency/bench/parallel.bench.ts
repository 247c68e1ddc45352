// parMap / parReduce / parSort against the same work on one thread, with one pool thread (2
// participants: it and the calling thread). Each table's first row is the one-thread baseline.
import { loadavg } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '@perf/internal';
import { amdahl, amdahlParallelFraction } from '@perf/monitor';
import { type BenchReport, formatRatio, markdownTable, timesFaster } from '@perf/monitor/bench';
import {
  parMap,
  parRange,
  parReduce,
  parSort,
  sharedArray,
  toShared,
  WorkerPool,
} from '../src/index.js';
import { printBench } from '@perf/monitor/bench';
import { type PhaseSummary, phaseSummary } from './phases.js';

const N = Number(process.env.PERF_BENCH_ELEMENTS ?? 10_000_000);
const SORT_SIZES = [100_000, 1_000_000, 10_000_000].filter((n) => n <= N);
const THREADS = 2; // participants: one pool thread and the caller
const wall = { clock: 'wall' as const, samples: 7, warmup: 300 };

const ask = (w: Worker, job: object) =>
  new Promise<void>((resolve) => {
    w.once('message', () => resolve());
    w.postMessage(job);
  });

/** The speed-up of `report`'s row `name` over its first row. */
const speedUp = (report: BenchReport, name: string) =>
  timesFaster(report.cases.find((c) => c.name === name)!, report.cases[0]!);

/** Amdahl's parallel fraction for a 2-thread speed-up, when one explains it. */
const fraction = (s: number) =>
  s >= 1 && s <= THREADS ? amdahlParallelFraction(s, THREADS).toFixed(2) : 'n/a (below 1×)';

/**
 * The serial part of a CPU-bound job, traced: each chunk records when it ran and on which
 * thread; the time during which only one participant was working (before the second started,
 * after the first finished for good) is serial time. Median share over `runs` jobs.
 */
async function tracedSerialShare(pool: WorkerPool, input: Float64Array, runs: number) {
  const out = sharedArray(Float64Array, N);
  const shares: number[] = [];
  for (let r = 0; r < runs; r++) {
    const log = sharedArray(Float64Array, 3 * 4096);
    const chunkSize = Math.max(4096, Math.ceil(N / (THREADS * 32)));
    const t0 = performance.timeOrigin + performance.now();
    await parRange(
      N,
      (
        start,
        end,
        ctx: { input: Float64Array; out: Float64Array; log: Float64Array; chunk: number },
      ) => {
        const g = globalThis as { __benchThread?: number };
        g.__benchThread ??= Math.random(); // one tag per thread: each has its own globalThis
        const began = performance.timeOrigin + performance.now();
        for (let i = start; i < end; i++)
          ctx.out[i] = Math.sqrt(ctx.input[i]!) * Math.sin(ctx.input[i]!);
        const k = 3 * (start / ctx.chunk);
        ctx.log[k] = began;
        ctx.log[k + 1] = performance.timeOrigin + performance.now();
        ctx.log[k + 2] = g.__benchThread;
      },
      { pool, chunkSize, context: { input, out, log, chunk: chunkSize } },
    );
    const t1 = performance.timeOrigin + performance.now();
    const spans = new Map<number, [number, number]>();
    for (let k = 0; k < Math.ceil(N / chunkSize); k++) {
      const [a, b, who] = [log[3 * k]!, log[3 * k + 1]!, log[3 * k + 2]!];
      const span = spans.get(who) ?? [a, b];
      spans.set(who, [Math.min(span[0], a), Math.max(span[1], b)]);
    }
    const all = [...spans.values()];
    const overlap =
      all.length < 2
        ? 0
        : Math.max(0, Math.min(...all.map((s) => s[1])) - Math.max(...all.map((s) => s[0])));
    shares.push(1 - overlap / (t1 - t0));
  }
  shares.sort((a, b) => a - b);
  return shares[shares.length >> 1]!;
}

/** Prints a phase table and its summary line. */
function printPhases(title: string, p: PhaseSummary, baselineName: string): void {
  console.log(`\n#### Phases of ${title}, traced runs (wall: medians; CPU and waits: means)\n`);
  console.log(p.table);
  console.log(
    `\n${baselineName} on one thread: ${p.baseline.toFixed(1)} ms CPU (${p.baselineWall.toFixed(1)} ms wall). ` +
      `Traced call: ${p.wall.toFixed(1)} ms wall, ${p.wait.toFixed(1)} ms waiting for a CPU (all threads). ` +
      `Serial ${p.serial.toFixed(2)} ms CPU + parallel ${p.parallel.toFixed(1)} ms CPU: serial fraction ` +
      `${(p.serialFraction * 100).toFixed(2)} %; on ${THREADS} free cores ${formatRatio(p.projected)} ` +
      `(Amdahl parallel fraction ${p.parallelFraction.toFixed(3)}); ${p.gaps.toFixed(1)} ms wall between ` +
      `phases (dispatch, wake-ups), ${formatRatio(p.projectedWithGaps)} if that were serial time too.`,
  );
  console.log(
    `\n<sub>load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} when the table was printed</sub>`,
  );
}

export async function run(): Promise<void> {
  const pool = new WorkerPool({ threads: THREADS - 1, idleTimeout: Number.POSITIVE_INFINITY });
  const input = toShared(Float64Array.from({ length: N }, (_, i) => (i * 0.618) % 1000));
  const out = sharedArray(Float64Array, N);
  const halves = [0, 1].map(() =>
    startWorker(new URL('./ceiling-worker.ts', import.meta.url), {
      workerData: { input, output: out },
    }),
  );
  await Promise.all(halves.map((w) => new Promise((r) => w.once('message', r))));
  const label = `${N / 1e6}M`;

  const cpuMap = await printBench(
    `Map, CPU-bound (sqrt × sin), ${label} doubles`,
    [
      {
        name: 'one thread',
        fn: () => {
          for (let i = 0; i < N; i++) out[i] = Math.sqrt(input[i]!) * Math.sin(input[i]!);
        },
      },
      {
        name: 'two threads, no coordination (this machine now)',
        fn: () =>
          Promise.all([
            ask(halves[0]!, { start: 0, end: N / 2 }),
            ask(halves[1]!, { start: N / 2, end: N }),
          ]),
      },
      {
        name: 'parMap',
        fn: () => parMap(input, (x) => Math.sqrt(x) * Math.sin(x), { pool, output: out }),
      },
    ],
    wall,
  );
  const mapPhases = await phaseSummary(
    () => parMap(input, (x) => Math.sqrt(x) * Math.sin(x), { pool, output: out }),
    () => {
      for (let i = 0; i < N; i++) out[i] = Math.sqrt(input[i]!) * Math.sin(input[i]!);
    },
    15,
    THREADS,
  );
  printPhases(`parMap CPU-bound, ${label} doubles`, mapPhases, 'the one-thread loop');
  await printBench(
    `Map, memory-bound (× 2), ${label} doubles`,
    [
      {
        name: 'one thread',
        fn: () => {
          for (let i = 0; i < N; i++) out[i] = input[i]! * 2;
        },
      },
      { name: 'parMap', fn: () => parMap(input, (x) => x * 2, { pool, output: out }) },
    ],
    wall,
  );
  await printBench(
    `Reduce, CPU-bound (Σ sin), ${label} doubles`,
    [
      {
        name: 'one thread',
        fn: () => {
          let acc = 0;
          for (let i = 0; i < N; i++) acc += Math.sin(input[i]!);
          return acc;
        },
      },
      { name: 'parReduce', fn: () => parReduce(input, (a, x) => a + Math.sin(x), 0, { pool }) },
    ],
    wall,
  );
  await printBench(
    `Reduce, memory-bound (Σ x), ${label} doubles`,
    [
      {
        name: 'one thread',
        fn: () => {
          let acc = 0;
          for (let i = 0; i < N; i++) acc += input[i]!;
          return acc;
        },
      },
      { name: 'parReduce', fn: () => parReduce(input, (a, x) => a + x, 0, { pool }) },
    ],
    wall,
  );

  const sorts: [string, number, PhaseSummary][] = [];
  for (const n of SORT_SIZES) {
    const data = Float64Array.from({ length: n }, () => Math.random());
    const work = sharedArray(Float64Array, n);
    const report = await printBench(
      `Sort ${n.toLocaleString('en-US')} random doubles (each call first copies them in)`,
      [
        {
          name: 'Float64Array.prototype.sort',
          fn: () => {
            work.set(data);
            work.sort();
          },
        },
        {
          name: 'parSort',
          fn: () => {
            work.set(data);
            return parSort(work, { pool });
          },
        },
      ],
      { ...wall, samples: n >= 10_000_000 ? 5 : 7 },
    );
    const phases = await phaseSummary(
      () => parSort(work, { pool }),
      () => work.sort(),
      n >= 10_000_000 ? 7 : n >= 1_000_000 ? 15 : 60,
      THREADS,
      () => work.set(data),
    );
    printPhases(
      `parSort ${n.toLocaleString('en-US')} doubles (input already shared)`,
      phases,
      'Float64Array.prototype.sort',
    );
    sorts.push([n.toLocaleString('en-US'), speedUp(report, 'parSort'), phases]);
  }

  const map = speedUp(cpuMap, 'parMap');
  const ceiling = speedUp(cpuMap, 'two threads, no coordination (this machine now)');
  const serial = await tracedSerialShare(pool, input, 7);
  console.log('\n#### Speed-ups with 2 threads, from the tables above\n');
  console.log(
    markdownTable(
      ['operation', 'speed-up', 'Amdahl parallel fraction'],
      [
        ['CPU-bound map: two threads, no coordination', formatRatio(ceiling), fraction(ceiling)],
        ['CPU-bound map: parMap', formatRatio(map), fraction(map)],
        ...sorts.map(([n, s]) => [`parSort, ${n}`, formatRatio(s), fraction(s)]),
      ],
    ),
  );
  console.log('\n#### From on-CPU time: what two free cores allow (same run)\n');
  console.log(
    markdownTable(
      [
        'operation',
        'one thread, CPU ms',
        'serial CPU ms',
        'parallel CPU ms (all threads)',
        'serial fraction',
        'hand-off gaps, wall ms',
        'projected speed-up',
        'counting the gaps as serial',
        'Amdahl parallel fraction',
        'wall speed-up (traced runs)',
      ],
      [
        ['parMap CPU-bound', mapPhases] as const,
        ...sorts.map(([n, , p]) => [`parSort, ${n}`, p] as const),
      ].map(([name, p]) => [
        name,
        p.baseline.toFixed(1),
        p.serial.toFixed(2),
        p.parallel.toFixed(1),
        `${(p.serialFraction * 100).toFixed(2)} %`,
        p.gaps.toFixed(1),
        formatRatio(p.projected),
        formatRatio(p.projectedWithGaps),
        p.parallelFraction.toFixed(3),
        formatRatio(p.baselineWall / p.wall),
      ]),
    ),
  );
  console.log(
    `\n<sub>load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} when the table was printed</sub>`,
  );
  console.log(
    `\nparMap CPU-bound, traced: ${(serial * 100).toFixed(1)} % of the job had one participant working alone ` +
      `(serial fraction), which on two free cores allows ${formatRatio(amdahl(1 - serial, THREADS))}.`,
  );
  await Promise.all([pool.destroy(), ...halves.map((w) => w.terminate())]);
}
