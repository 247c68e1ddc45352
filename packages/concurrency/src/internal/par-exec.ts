// The executor of parallel jobs. Self-contained (see worker-source.ts): the calling thread runs
// this function directly and every pool worker runs its pasted `toString()`, so all participants
// execute literally the same code on the same shared memory.
//
// Work is split into `chunks` claimed with one atomic counter (rayon-style dynamic chunking, the
// "atomic chunk counter" of the design): a participant that finishes early simply claims more,
// so a slow or late thread (busy with other tasks, still waking up) never holds the others back.
//
//   control (Int32Array over a SharedArrayBuffer)
//   +------+------+--------+-------+
//   | NEXT | DONE | FAILED | SLOTS |
//   +------+------+--------+-------+
//   NEXT   next chunk to claim (Atomics.add; ≥ chunks means nothing left)
//   DONE   chunks finished; the one who finishes the last notifies the caller
//   FAILED set when a kernel threw; everyone stops claiming
//   SLOTS  per-participant accumulator slots handed out (non-deterministic reduce)

/** What the calling thread sends every participant. */
export interface ParallelJob {
  op: number; // OP_* below
  source: string; // the kernel's source text ('' for sort/merge)
  input: ArrayLike<number> & { subarray(a: number, b: number): { sort(): unknown } };
  output: { [i: number]: number } | undefined;
  partials: Float64Array | undefined;
  identity: number;
  context: unknown;
  control: Int32Array;
  chunk: number;
  chunks: number;
  length: number;
  deterministic: boolean;
  /** sort: run boundaries (chunk k sorts [bounds[k], bounds[k+1])); merge: 5 numbers a piece. */
  plan: Float64Array | undefined;
}

export const OP_MAP = 0;
export const OP_FOR_EACH = 1;
export const OP_REDUCE = 2;
export const OP_RANGE = 3;
export const OP_SORT_RUNS = 4;
export const OP_MERGE = 5;
export const NEXT = 0;
export const DONE = 1;
export const FAILED = 2;
export const SLOTS = 3;
export const CONTROL_WORDS = 4;

type Loop = (job: ParallelJob, start: number, end: number, acc: number) => number;

export function runParallel(job: ParallelJob): void {
  const C_NEXT = 0;
  const C_DONE = 1;
  const C_FAILED = 2;
  const C_SLOTS = 3;
  // Each kernel gets its own compiled loop, so the kernel call inside is monomorphic and V8 can
  // inline it; a shared loop calling many kernels would go megamorphic after a few.
  const g = globalThis as unknown as { __perfParallelLoops?: Map<string, Loop> };
  const loops = (g.__perfParallelLoops ??= new Map<string, Loop>());
  const key = `${job.op}:${job.source}`;
  let loop = loops.get(key);
  if (loop === undefined) {
    const bodies = [
      'for (let i = start; i < end; i++) out[i] = fn(inp[i], i, ctx); return acc;',
      'for (let i = start; i < end; i++) fn(inp[i], i, ctx); return acc;',
      'for (let i = start; i < end; i++) acc = fn(acc, inp[i], i, ctx); return acc;',
      'fn(start, end, ctx); return acc;',
    ];
    if (job.op <= 3) {
      // `__name` is esbuild's keepNames helper (tsx, some bundlers put it inside functions).
      const keepName = (f: unknown) => f;
      let fn: unknown;
      try {
        fn = new Function('__name', `return (${job.source});`)(keepName);
      } catch {
        // method shorthand `f(x) {…}`
        fn = new Function('__name', `return (function ${job.source});`)(keepName);
      }
      loop = new Function(
        'fn',
        `return function (job, start, end, acc) { const inp = job.input, out = job.output, ctx = job.context; ${bodies[job.op]} };`,
      )(fn) as Loop;
    } else if (job.op === 4) {
      loop = (j, start, end, acc) => {
        j.input.subarray(start, end).sort();
        return acc;
      };
    } else {
      // Merge one piece of a pair of sorted runs A = [a0, a0+m), B = [a0+m, a0+m+n) into output
      // ranks [k0, k1) of out[a0 …]. Both ends of the piece are found by the merge-path binary
      // search (Odeh, Green et al., "Merge Path", 2012): the largest i with A[i-1] ≤ B[k-i].
      // Order is that of TypedArray.prototype.sort: -0 before +0, NaN last; ties take A first.
      const less = (y: number, x: number): boolean =>
        y < x || (y === x ? y === 0 && 1 / y < 1 / x : Number.isNaN(x) && !Number.isNaN(y));
      loop = (j, start, end, acc) => {
        const src = j.input as unknown as Float64Array;
        const dst = j.output as unknown as Float64Array;
        const plan = j.plan!;
        for (let p = start; p < end; p++) {
          const a0 = plan[p * 5]!;
          const m = plan[p * 5 + 1]!;
          const n = plan[p * 5 + 2]!;
          const b0 = a0 + m;
          const split = (k: number): number => {
            let lo = Math.max(0, k - n);
            let hi = Math.min(k, m);
            while (lo < hi) {
              const mid = (lo + hi + 1) >> 1;
              if (!less(src[b0 + k - mid]!, src[a0 + mid - 1]!)) lo = mid;
              else hi = mid - 1;
            }
            return lo;
          };
          const k0 = plan[p * 5 + 3]!;
          const k1 = plan[p * 5 + 4]!;
          let i = split(k0);
          let jj = k0 - i;
          const iEnd = split(k1);
          const jEnd = k1 - iEnd;
          let o = a0 + k0;
          while (i < iEnd && jj < jEnd) {
            const x = src[a0 + i]!;
            const y = src[b0 + jj]!;
            if (
              y < x ||
              (y === x ? y === 0 && 1 / y < 1 / x : Number.isNaN(x) && !Number.isNaN(y))
            ) {
              dst[o++] = y;
              jj++;
            } else {
              dst[o++] = x;
              i++;
            }
          }
          while (i < iEnd) dst[o++] = src[a0 + i++]!;
          while (jj < jEnd) dst[o++] = src[b0 + jj++]!;
        }
        return acc;
      };
    }
    loops.set(key, loop);
  }

  const control = job.control;
  let slot = -1;
  let acc = job.identity;
  try {
    for (;;) {
      if (Atomics.load(control, C_FAILED) !== 0) return;
      const k = Atomics.add(control, C_NEXT, 1);
      if (k >= job.chunks) return;
      if (job.op === 4) {
        loop(job, job.plan![k]!, job.plan![k + 1]!, acc);
      } else if (job.op === 5) {
        loop(job, k, k + 1, acc);
      } else {
        const start = k * job.chunk;
        const end = Math.min(job.length, start + job.chunk);
        if (job.op !== 2) loop(job, start, end, acc);
        else if (job.deterministic) job.partials![k] = loop(job, start, end, job.identity);
        else {
          // One accumulator per participant, published after every chunk (before DONE moves,
          // so the caller never combines a stale partial).
          if (slot < 0) slot = Atomics.add(control, C_SLOTS, 1);
          acc = loop(job, start, end, acc);
          job.partials![slot] = acc;
        }
      }
      if (Atomics.add(control, C_DONE, 1) + 1 === job.chunks) Atomics.notify(control, C_DONE);
    }
  } catch (error) {
    Atomics.store(control, C_FAILED, 1);
    Atomics.notify(control, C_DONE);
    throw error;
  }
}
