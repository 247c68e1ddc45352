// The phase trace of parSort / parMap (src/parallel.ts `traceParallel`), read back as per-phase
// wall, on-CPU and run-queue times. On-CPU time counts only while the thread really ran (Linux
// schedstat), so it does not grow with other processes' load; the run-queue wait is what that
// load cost the thread. Together they say what two free cores would give, on a loaded machine.
import { amdahlParallelFraction } from '@perf/monitor';
import { markdownTable } from '@perf/monitor/bench';
import { sharedArray } from '../src/index.js';
import { TRACE_FIELDS } from '../src/internal/par-exec.js';
import {
  PHASE_CALL,
  PHASE_COPY_IN,
  PHASE_COPY_OUT,
  PHASE_OFFSETS,
  PHASE_SPLITTERS,
  threadTimes,
  traceParallel,
} from '../src/parallel.js';

export const PHASE_NAMES: Record<number, string> = {
  0: 'map (chunks)',
  4: 'classify (splitter tree, counts)',
  5: 'scatter into buckets',
  6: 'sort buckets, copy back',
  [PHASE_COPY_IN]: 'copy into shared memory',
  [PHASE_SPLITTERS]: 'sample splitters',
  [PHASE_OFFSETS]: 'prefix sums, bucket order',
  [PHASE_COPY_OUT]: 'copy out',
};

interface Row {
  op: number;
  thread: number;
  wall0: number;
  wall1: number;
  cpu: number;
  wait: number;
  chunks: number;
}

/** One traced call: its rows, and its wall time. */
export async function traceOnce(
  call: () => Promise<unknown>,
): Promise<{ rows: Row[]; wall: number }> {
  const buffer = sharedArray(Float64Array, 1 + TRACE_FIELDS * 1024);
  traceParallel(buffer);
  try {
    await call();
  } finally {
    traceParallel(undefined);
  }
  const count = new Int32Array(buffer.buffer)[0]!;
  const rows: Row[] = [];
  let wall = 0;
  for (let r = 0; r < count; r++) {
    const f = buffer.subarray(1 + TRACE_FIELDS * r, 1 + TRACE_FIELDS * (r + 1));
    if (f[0] === PHASE_CALL) wall = f[3]! - f[2]!;
    else {
      rows.push({
        op: f[0]!,
        thread: f[1]!,
        wall0: f[2]!,
        wall1: f[3]!,
        cpu: f[5]! - f[4]!,
        wait: f[7]! - f[6]!,
        chunks: f[8]!,
      });
    }
  }
  return { rows, wall };
}

/** On-CPU and run-queue ms of `fn` on this thread (the one-thread baseline). */
export function timeOnThread(fn: () => unknown): { cpu: number; wait: number; wall: number } {
  const [c0, w0] = threadTimes();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const [c1, w1] = threadTimes();
  return { cpu: c1 - c0, wait: w1 - w0, wall };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[s.length >> 1]!;
};
/**
 * CPU and run-queue times are averaged, not medians: the kernel brings a running thread's
 * counters up to date at scheduler ticks and switches only, so one reading is off by up to a tick
 * (a few ms here) while the mean over runs that start at random points of the tick is not.
 */
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));

export interface PhaseSummary {
  /** Markdown: one row per phase. */
  table: string;
  /** Mean one-thread baseline CPU ms (CPU figures are means, see `mean`). */
  baseline: number;
  /** Mean CPU ms the calling thread spent alone (steps no other thread can share). */
  serial: number;
  /** Mean CPU ms of all participants in the parallel phases. */
  parallel: number;
  /** Baseline / (serial + parallel / participants): the speed-up two free cores allow. */
  projected: number;
  /** Wall ms of a traced call outside every phase: dispatch, wake-ups, awaiting (median). */
  gaps: number;
  /** `projected` with `gaps` counted as serial time too (an upper bound on it: load inflates them). */
  projectedWithGaps: number;
  /** Serial CPU / (serial + parallel). */
  serialFraction: number;
  /** Amdahl's parallel fraction for `projected` on `participants` (monitor's inverse). */
  parallelFraction: number;
  /** Median wall ms of the traced calls, and of the baseline. */
  wall: number;
  baselineWall: number;
  /** Mean run-queue wait of the traced calls (all participants), ms. */
  wait: number;
}

/**
 * Runs `call` traced and `baseline` on this thread `runs` times, interleaved, and summarises the
 * per phase (wall: medians; CPU and waits: means). A phase is serial when only the calling thread runs it (op ≥ 100).
 */
export async function phaseSummary(
  call: () => Promise<unknown>,
  baseline: () => unknown,
  runs: number,
  participants: number,
  prepare: () => void = () => {},
): Promise<PhaseSummary> {
  const perPhase = new Map<
    number,
    {
      wall: number[];
      cpuCaller: number[];
      cpuPool: number[];
      chunksCaller: number[];
      chunksPool: number[];
      wait: number[];
    }
  >();
  const base: number[] = [];
  const baseWall: number[] = [];
  const serial: number[] = [];
  const parallel: number[] = [];
  const walls: number[] = [];
  const waits: number[] = [];
  const gaps: number[] = [];
  for (let r = 0; r < runs; r++) {
    prepare();
    const b = timeOnThread(baseline);
    base.push(b.cpu);
    baseWall.push(b.wall);
    prepare();
    const { rows, wall } = await traceOnce(call);
    walls.push(wall);
    let spans = 0;
    const caller = rows.find((x) => x.op >= 100)?.thread ?? rows[0]?.thread;
    const byOp = new Map<number, Row[]>();
    for (const row of rows) byOp.set(row.op, [...(byOp.get(row.op) ?? []), row]);
    let s = 0;
    let p = 0;
    let w = 0;
    for (const [op, list] of byOp) {
      const entry = perPhase.get(op) ?? {
        wall: [],
        cpuCaller: [],
        cpuPool: [],
        chunksCaller: [],
        chunksPool: [],
        wait: [],
      };
      // A serial step may run more than once (its rows add up); a parallel phase runs once and
      // lasts from its first participant's start to its last one's end.
      const span =
        op >= 100
          ? list.reduce((acc, x) => acc + x.wall1 - x.wall0, 0)
          : Math.max(...list.map((x) => x.wall1)) - Math.min(...list.map((x) => x.wall0));
      entry.wall.push(span);
      spans += span;
      const sum = (f: (x: Row) => boolean) => list.filter(f).reduce((acc, x) => acc + x.cpu, 0);
      entry.cpuCaller.push(sum((x) => x.thread === caller));
      entry.cpuPool.push(sum((x) => x.thread !== caller));
      const chunks = (f: (x: Row) => boolean) =>
        list.filter(f).reduce((acc, x) => acc + x.chunks, 0);
      entry.chunksCaller.push(chunks((x) => x.thread === caller));
      entry.chunksPool.push(chunks((x) => x.thread !== caller));
      const wait = list.reduce((acc, x) => acc + x.wait, 0);
      entry.wait.push(wait);
      w += wait;
      perPhase.set(op, entry);
      const cpu = list.reduce((acc, x) => acc + x.cpu, 0);
      if (op >= 100) s += cpu;
      else p += cpu;
    }
    serial.push(s);
    parallel.push(p);
    waits.push(w);
    gaps.push(Math.max(0, wall - spans));
  }
  const order = [...perPhase.keys()].sort((a, b) => firstSeen(a) - firstSeen(b));
  function firstSeen(op: number): number {
    // phases in the order they run: copy in, splitters, classify, offsets, scatter, …
    const rank: Record<number, number> = {
      [PHASE_COPY_IN]: 0,
      [PHASE_SPLITTERS]: 1,
      4: 2,
      [PHASE_OFFSETS]: 3,
      5: 4,
      6: 5,
      0: 2,
      [PHASE_COPY_OUT]: 9,
    };
    return rank[op] ?? 8;
  }
  const table = markdownTable(
    [
      'phase',
      'runs on',
      'wall ms',
      'CPU ms, calling thread',
      'CPU ms, pool thread',
      'run-queue wait ms',
    ],
    order.map((op) => {
      const e = perPhase.get(op)!;
      return [
        PHASE_NAMES[op] ?? String(op),
        op >= 100 ? 'calling thread alone' : 'all participants',
        ms(median(e.wall)),
        op >= 100
          ? ms(mean(e.cpuCaller))
          : `${ms(mean(e.cpuCaller))} (${mean(e.chunksCaller).toFixed(1)} chunks)`,
        op >= 100 ? '–' : `${ms(mean(e.cpuPool))} (${mean(e.chunksPool).toFixed(1)} chunks)`,
        ms(mean(e.wait)),
      ];
    }),
  );
  const sMed = mean(serial);
  const pMed = mean(parallel);
  const baselineCpu = mean(base);
  const projected = baselineCpu / (sMed + pMed / participants);
  const gap = median(gaps);
  const clamp = Math.min(Math.max(projected, 1), participants);
  return {
    table,
    baseline: baselineCpu,
    serial: sMed,
    parallel: pMed,
    projected,
    projectedWithGaps: baselineCpu / (sMed + gap + pMed / participants),
    gaps: gap,
    serialFraction: sMed / (sMed + pMed),
    parallelFraction: amdahlParallelFraction(clamp, participants),
    wall: median(walls),
    baselineWall: median(baseWall),
    wait: mean(waits),
  };
}
