// The executor of parallel jobs. Self-contained (see worker-source.ts): the calling thread runs
// this function directly and every pool worker runs its pasted `toString()`, so all participants
// execute literally the same code on the same shared memory.
//
// Work is split into `chunks` claimed with one atomic counter (rayon-style dynamic chunking):
// a participant that finishes early simply claims more,
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
  /** Sort buckets: chunk k sorts [plan[2k], plan[2k+1]) of `output` and copies it to `input`. */
  plan: Float64Array | undefined;
  /** Sample sort: the splitter tree (implicit, 1-based: node j's children are 2j and 2j+1). */
  tree: Float64Array | undefined;
  /** Sample sort: log2 of the bucket count (the tree's depth). */
  levels: number;
  /** Sample sort: each element's bucket, written by OP_CLASSIFY, read by OP_SCATTER. */
  ids: Uint8Array | undefined;
  /** Sample sort: per chunk, per bucket: counts (OP_CLASSIFY), then write offsets (OP_SCATTER). */
  counts: Int32Array | undefined;
  /**
   * When set (the bench's phase trace, see parallel.ts `traceParallel`): each participant appends
   * one row of TRACE_FIELDS doubles when it leaves the job. Word 0 (as Int32) counts the rows;
   * rows start at element 1.
   */
  trace: Float64Array | undefined;
}

export const OP_MAP = 0;
export const OP_FOR_EACH = 1;
export const OP_REDUCE = 2;
export const OP_RANGE = 3;
export const OP_CLASSIFY = 4;
export const OP_SCATTER = 5;
export const OP_SORT_BUCKETS = 6;
export const NEXT = 0;
export const DONE = 1;
export const FAILED = 2;
export const SLOTS = 3;
export const CONTROL_WORDS = 4;
/**
 * A trace row: op, thread id, wall start, wall end (ms since the epoch), on-CPU start, on-CPU end,
 * run-queue wait start, wait end (ms of this thread, from Linux's /proc/thread-self/schedstat; NaN
 * elsewhere), chunks this participant ran.
 */
export const TRACE_FIELDS = 9;

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
      // Sample sort, pass 1 (Sanders & Winkel, "Super Scalar Sample Sort", ESA 2004): find each
      // element's bucket by walking the implicit splitter tree, without a data-dependent branch
      // per level; count the buckets of this chunk. `!(x < t)` sends NaN right at every level,
      // so NaN lands in the last bucket, as TypedArray.prototype.sort puts it last; -0 and +0
      // always share a bucket (no splitter separates them), so every bucket holds one
      // contiguous range of the sorted order and the bucket sorts finish the job.
      //
      // The walk is branch-free: `1 - +(x < t)` is a 0/1 the compiler turns into a flag set,
      // where `x < t ? 0 : 1` stayed a branch that random data mispredicts at every level (on
      // one thread, 10M doubles through 16 buckets: 52 ms of CPU against 215 ms). Counts go to
      // a local array first, not to shared memory element by element.
      loop = (j, start, end, acc) => {
        const src = j.input as unknown as Float64Array;
        const tree = j.tree!;
        const ids = j.ids!;
        const levels = j.levels;
        const buckets = 1 << levels;
        const local = new Int32Array(buckets);
        for (let i = start; i < end; i++) {
          const x = src[i]!;
          let node = 1;
          for (let l = 0; l < levels; l++) node = 2 * node + 1 - +(x < tree[node]!);
          node -= buckets;
          ids[i] = node;
          local[node]!++;
        }
        const counts = j.counts!;
        const base = (start / j.chunk) * buckets;
        for (let b = 0; b < buckets; b++) counts[base + b] = local[b]!;
        return acc;
      };
    } else if (job.op === 5) {
      // Pass 2: move each element to its bucket's next slot; `counts` now holds, per chunk and
      // bucket, where that chunk's share of the bucket starts, so chunks never write the same slot.
      loop = (j, start, end, acc) => {
        const src = j.input as unknown as Float64Array;
        const dst = j.output as unknown as Float64Array;
        const ids = j.ids!;
        const buckets = 1 << j.levels;
        const base = (start / j.chunk) * buckets;
        const next = j.counts!.slice(base, base + buckets); // local cursors, not shared words
        for (let i = start; i < end; i++) dst[next[ids[i]!]!++] = src[i]!;
        return acc;
      };
    } else {
      // Pass 3: sort one bucket with the built-in sort and copy it back into place.
      loop = (j, start, _end, acc) => {
        const dst = j.output as unknown as Float64Array;
        const from = j.plan![2 * start]!;
        const to = j.plan![2 * start + 1]!;
        if (to - from > 1) dst.subarray(from, to).sort();
        (j.input as unknown as Float64Array).set(dst.subarray(from, to), from);
        return acc;
      };
    }
    loops.set(key, loop);
  }

  const control = job.control;
  // The phase trace: this thread's wall clock, on-CPU time and run-queue wait (schedstat, ns)
  // at entry and exit. Off unless the caller asked for it (a file read costs ~15 µs).
  const trace = job.trace;
  const sched = (): number[] => {
    try {
      const fs = (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule(
        'node:fs',
      ) as { readFileSync(path: string, enc: string): string };
      const f = fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
      return [Number(f[0]) / 1e6, Number(f[1]) / 1e6];
    } catch {
      return [Number.NaN, Number.NaN];
    }
  };
  const wall0 = trace === undefined ? 0 : performance.timeOrigin + performance.now();
  const cpu0 = trace === undefined ? [0, 0] : sched();
  let ran = 0;
  const record = () => {
    if (trace === undefined) return;
    const cpu1 = sched();
    const wall1 = performance.timeOrigin + performance.now();
    const row = Atomics.add(new Int32Array(trace.buffer, 0, 2), 0, 1);
    const at = 1 + 9 * row;
    if (at + 9 > trace.length) return;
    const g = globalThis as unknown as { __perfThreadId?: number };
    g.__perfThreadId ??= (
      (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule(
        'node:worker_threads',
      ) as { threadId: number }
    ).threadId;
    const fields = [
      job.op,
      g.__perfThreadId,
      wall0,
      wall1,
      cpu0[0]!,
      cpu1[0]!,
      cpu0[1]!,
      cpu1[1]!,
      ran,
    ];
    for (let f = 0; f < 9; f++) trace[at + f] = fields[f]!;
  };
  let slot = -1;
  let acc = job.identity;
  try {
    for (;;) {
      if (Atomics.load(control, C_FAILED) !== 0) break;
      const k = Atomics.add(control, C_NEXT, 1);
      if (k >= job.chunks) break;
      ran++;
      if (job.op === 6) {
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
    record();
  } catch (error) {
    Atomics.store(control, C_FAILED, 1);
    Atomics.notify(control, C_DONE);
    throw error;
  }
}
