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
      loop = (j, start, end, acc) => {
        const src = j.input as unknown as Float64Array;
        const tree = j.tree!;
        const ids = j.ids!;
        const levels = j.levels;
        const buckets = 1 << levels;
        const counts = j.counts!;
        const base = (start / j.chunk) * buckets;
        for (let i = start; i < end; i++) {
          const x = src[i]!;
          let node = 1;
          for (let l = 0; l < levels; l++) node = 2 * node + (x < tree[node]! ? 0 : 1);
          const b = node - buckets;
          ids[i] = b;
          counts[base + b]!++;
        }
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
        const next = j.counts!;
        const base = (start / j.chunk) * buckets;
        for (let i = start; i < end; i++) dst[next[base + ids[i]!]!++] = src[i]!;
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
  let slot = -1;
  let acc = job.identity;
  try {
    for (;;) {
      if (Atomics.load(control, C_FAILED) !== 0) return;
      const k = Atomics.add(control, C_NEXT, 1);
      if (k >= job.chunks) return;
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
  } catch (error) {
    Atomics.store(control, C_FAILED, 1);
    Atomics.notify(control, C_DONE);
    throw error;
  }
}
