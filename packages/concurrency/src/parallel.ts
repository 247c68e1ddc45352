import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { threadId } from 'node:worker_threads';
import { TaskError } from './errors.js';
import {
  CONTROL_WORDS,
  DONE,
  FAILED,
  OP_FOR_EACH,
  OP_CLASSIFY,
  OP_MAP,
  OP_RANGE,
  OP_REDUCE,
  OP_SCATTER,
  OP_SORT_BUCKETS,
  type ParallelJob,
  runParallel,
  SLOTS,
  TRACE_FIELDS,
} from './internal/par-exec.js';
import { waitAsync } from './internal/park.js';
import { fn as checkFn, integer, show } from './internal/validate.js';
import type { NumericArray, ParallelOptions, ParMapOptions, ParReduceOptions } from './types.js';
import { runParallelTask, WorkerPool } from './worker-pool.js';

/** Smallest chunk: below it the per-chunk atomics and hand-off cost more than they save. */
const MIN_CHUNK = 4096;
/**
 * Chunks per participant. The job ends when the last chunk does, so whoever finishes early idles
 * for up to one chunk: that tail is serial time. Traced on a CPU-bound map of 10M doubles with
 * one pool thread, 8 chunks each left one participant idle 2–26 ms at the end, 32 left it
 * 0.4–15 ms; the two atomics a chunk costs stay far below a chunk's work either way.
 */
const CHUNKS_PER_PARTICIPANT = 32;
/** Fixed chunk of a deterministic reduction (it must not depend on the thread count). */
const DETERMINISTIC_CHUNK = 16_384;
/** Sort: below this length a plain TypedArray sort is used (a split cannot pay for its hand-off). */
const SORT_SEQUENTIAL_MAX = 1 << 15;
/**
 * Sort: buckets per participant. More than one, so a participant that finishes early takes
 * another bucket (sampling never splits exactly evenly); each doubling adds a level to every
 * element's tree walk. A power of two times the participants, at most 256 (a bucket id is a byte).
 */
const BUCKETS_PER_PARTICIPANT = 8;
/** Sort: samples per bucket when choosing splitters (bucket sizes vary by about 1/sqrt of this). */
const OVERSAMPLING = 64;

let sharedPool: WorkerPool | undefined;

/** Steps of parSort / parMap run by the calling thread alone (trace rows with these ops). */
export const PHASE_COPY_IN = 100;
export const PHASE_SPLITTERS = 101;
export const PHASE_OFFSETS = 102;
export const PHASE_COPY_OUT = 103;
export const PHASE_CALL = 104;

let traceRows: Float64Array | undefined;

/**
 * Not public (the bench's phase trace): while `rows` is set, every participant of every parallel
 * job appends a row (see `TRACE_FIELDS` in par-exec.ts) and the calling thread adds rows for the
 * steps it runs alone, so the serial part of a job can be read off in wall and CPU time. Word 0
 * of `rows` (as an Int32) counts the rows; reset it to 0 to start over.
 */
export function traceParallel(rows: Float64Array | undefined): void {
  if (rows !== undefined && !(rows.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError('Expected `rows` to be a Float64Array on a SharedArrayBuffer');
  }
  traceRows = rows;
}

/** This thread's on-CPU and run-queue wait time in ms (Linux schedstat), NaN elsewhere. */
export function threadTimes(): [cpu: number, wait: number] {
  try {
    const f = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
    return [Number(f[0]) / 1e6, Number(f[1]) / 1e6];
  } catch {
    return [Number.NaN, Number.NaN];
  }
}

/** Runs `step` on the calling thread and, while tracing, records it as a row with op `phase`. */
function phase<R>(op: number, step: () => R): R {
  const rows = traceRows;
  if (rows === undefined) return step();
  const wall0 = performance.timeOrigin + performance.now();
  const [cpu0, wait0] = threadTimes();
  const result = step();
  const [cpu1, wait1] = threadTimes();
  const wall1 = performance.timeOrigin + performance.now();
  appendRow(rows, [op, threadId, wall0, wall1, cpu0, cpu1, wait0, wait1, 1]);
  return result;
}

/** Appends one trace row (dropped once `rows` is full); word 0, as an Int32, counts them. */
function appendRow(rows: Float64Array, row: number[]): void {
  const at = 1 + TRACE_FIELDS * Atomics.add(new Int32Array(rows.buffer, 0, 2), 0, 1);
  if (at + TRACE_FIELDS <= rows.length) rows.set(row, at);
}

/** The pool parallel operations use when none is given: `availableParallelism() - 1` threads. */
function defaultPool(): WorkerPool {
  sharedPool ??= new WorkerPool({
    threads: Math.max(1, availableParallelism() - 1),
    idleTimeout: 10_000,
  });
  return sharedPool;
}

const TYPES = [
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
] as const;

function checkArray(name: string, value: unknown): NumericArray {
  if (!TYPES.some((T) => value instanceof T)) {
    throw new TypeError(`Expected \`${name}\` to be a numeric typed array, got ${show(value)}`);
  }
  return value as NumericArray;
}

function kernelSource(fn: unknown): string {
  checkFn('fn', fn);
  const source = String(fn);
  if (source.includes('[native code]')) {
    throw new TypeError(
      'Expected `fn` to be a function with JavaScript source, got a native or bound function',
    );
  }
  return source;
}

/** A copy of `array` on a SharedArrayBuffer (or `array` itself when it already is shared). */
export function toShared<T extends NumericArray>(array: T): T {
  checkArray('array', array);
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as new (b: SharedArrayBuffer, o: number, l: number) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength), 0, array.length);
  copy.set(array as never);
  return copy;
}

/** A zeroed typed array of `length` elements on a SharedArrayBuffer. */
export function sharedArray<T extends NumericArray>(
  Type: new (buffer: SharedArrayBuffer, offset: number, length: number) => T,
  length: number,
): T {
  integer('length', length, 0);
  const bytes = (Type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return new Type(new SharedArrayBuffer(length * bytes), 0, length);
}

interface Plan {
  op: number;
  /** False: the calling thread only waits (options.useCallingThread). */
  caller?: boolean;
  source: string;
  input: NumericArray;
  output?: NumericArray;
  partials?: Float64Array;
  identity?: number;
  context?: unknown;
  chunk: number;
  chunks: number;
  length: number;
  deterministic?: boolean;
  plan?: Float64Array;
  tree?: Float64Array;
  levels?: number;
  ids?: Uint8Array;
  counts?: Int32Array;
}

/** Threads that may help (the pool's size) — the caller makes one more participant. */
const helpersOf = (pool: WorkerPool): number => pool.size;

/**
 * Runs a job on the calling thread and up to `helpers` pool threads; resolves when every chunk
 * is done (with the job's control words). The caller works synchronously first — by the time it is done, helpers have either
 * joined or there is nothing left for them, so waiting is short.
 */
async function execute(plan: Plan, pool: WorkerPool, helpers: number): Promise<Int32Array> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const job: ParallelJob = {
    op: plan.op,
    source: plan.source,
    input: plan.input as ParallelJob['input'],
    output: plan.output as ParallelJob['output'],
    partials: plan.partials,
    identity: plan.identity ?? 0,
    context: plan.context,
    control,
    chunk: plan.chunk,
    chunks: plan.chunks,
    length: plan.length,
    deterministic: plan.deterministic ?? false,
    plan: plan.plan,
    tree: plan.tree,
    levels: plan.levels ?? 0,
    ids: plan.ids,
    counts: plan.counts,
    trace: traceRows,
  };
  const tasks: Promise<unknown>[] = [];
  let failure: unknown;
  let wake: () => void = () => {};
  const caller = plan.caller !== false;
  const n = Math.min(helpers, caller ? plan.chunks - 1 : plan.chunks);
  for (let i = 0; i < n; i++) {
    const task = runParallelTask(pool, job);
    task.catch((error: unknown) => {
      failure ??= error;
      Atomics.store(control, FAILED, 1);
      wake();
    });
    tasks.push(task);
  }
  try {
    if (caller) runParallel(job);
  } catch (error) {
    failure ??= new TaskError(
      '<kernel>',
      error instanceof Error ? error : new Error(String(error)),
    );
  }
  while (failure === undefined && Atomics.load(control, DONE) < plan.chunks) {
    const seen = Atomics.load(control, DONE);
    if (seen >= plan.chunks) break;
    if (Atomics.load(control, FAILED) !== 0) {
      await Promise.allSettled(tasks); // the failing helper's rejection sets `failure`
      continue;
    }
    const r = waitAsync(control, DONE, seen);
    if (r.async) await Promise.race([r.value, new Promise<void>((resolve) => (wake = resolve))]);
  }
  // A traced helper writes its row as it leaves, after the last chunk: wait for it.
  if (failure === undefined && job.trace !== undefined) await Promise.allSettled(tasks);
  if (failure !== undefined) throw failure;
  return control;
}

function chunkOf(length: number, participants: number, chunkSize: number | undefined): number {
  if (chunkSize !== undefined) return integer('chunkSize', chunkSize, 1);
  return Math.max(MIN_CHUNK, Math.ceil(length / (participants * CHUNKS_PER_PARTICIPANT)));
}

function poolOf(options: ParallelOptions | undefined): WorkerPool {
  const pool = options?.pool ?? defaultPool();
  if (!(pool instanceof WorkerPool)) {
    throw new TypeError(`Expected \`pool\` to be a WorkerPool, got ${show(pool)}`);
  }
  return pool;
}

/** The plan of an element-wise job over `[0, length)` in `chunk`-sized pieces. */
function planOf(
  op: number,
  source: string,
  input: NumericArray,
  length: number,
  helpers: number,
  options: ParallelOptions | undefined,
  chunk = chunkOf(length, helpers + 1, options?.chunkSize),
): Plan {
  const caller = options?.useCallingThread;
  const chunks = Math.ceil(length / chunk);
  return { op, caller, source, input, context: options?.context, chunk, chunks, length };
}

/** Runs a plan that has chunks; resolves when it is done. */
function runPlan(plan: Plan, pool: WorkerPool, helpers: number): Promise<void> {
  return plan.chunks > 0 ? execute(plan, pool, helpers).then(() => undefined) : Promise.resolve();
}

function setup(input: unknown, options: ParallelOptions | undefined) {
  const array = phase(PHASE_COPY_IN, () => toShared(checkArray('input', input)));
  const pool = poolOf(options);
  return { array, pool, helpers: helpersOf(pool) };
}

type ArrayType = new (buffer: SharedArrayBuffer, offset: number, length: number) => NumericArray;
const typeOf = (array: NumericArray): ArrayType => array.constructor as ArrayType;

/**
 * `output[i] = fn(input[i], i, context)` for every element, on the calling thread and the pool's
 * threads at once. `fn` travels as source text: it must not use variables from outside its own
 * body (pass data through `options.context`). Resolves with the output array.
 */
export function parMap<T extends NumericArray>(
  input: T,
  fn: (value: number, index: number, context: never) => number,
  options?: ParMapOptions,
): Promise<T> {
  const wall0 = performance.timeOrigin + performance.now();
  const source = kernelSource(fn);
  const { array, pool, helpers } = setup(input, options);
  const wanted = options?.output;
  if (wanted !== undefined && checkArray('output', wanted).length !== input.length) {
    throw new RangeError(
      `Expected \`output\` to have ${input.length} elements, got ${wanted.length}`,
    );
  }
  const output =
    wanted === undefined
      ? sharedArray(typeOf(array), array.length)
      : wanted.buffer instanceof SharedArrayBuffer
        ? wanted
        : sharedArray(typeOf(wanted), wanted.length);
  const plan = { ...planOf(OP_MAP, source, array, array.length, helpers, options), output };
  return (async () => {
    await runPlan(plan, pool, helpers);
    if (wanted !== undefined && wanted !== output) {
      phase(PHASE_COPY_OUT, () => wanted.set(output as never));
    }
    traceCall(wall0);
    return (wanted ?? output) as T;
  })();
}

/** Calls `fn(input[i], i, context)` for every element in parallel (see {@link parMap} about `fn`). */
export function parForEach(
  input: NumericArray,
  fn: (value: number, index: number, context: never) => void,
  options?: ParallelOptions,
): Promise<void> {
  const source = kernelSource(fn);
  const { array, pool, helpers } = setup(input, options);
  return runPlan(planOf(OP_FOR_EACH, source, array, array.length, helpers, options), pool, helpers);
}

/**
 * Calls `fn(start, end, context)` over chunks covering `[0, length)` in parallel — rayon's
 * `par_chunks` for work that is not one element at a time (a row of a matrix, a slice of a
 * vector index). Share inputs and outputs through SharedArrayBuffers in `context`.
 */
export function parRange(
  length: number,
  fn: (start: number, end: number, context: never) => void,
  options?: ParallelOptions,
): Promise<void> {
  const source = kernelSource(fn);
  integer('length', length, 0);
  const pool = poolOf(options);
  const helpers = helpersOf(pool);
  const plan = planOf(OP_RANGE, source, new Float64Array(0), length, helpers, options);
  return runPlan(plan, pool, helpers);
}

/**
 * Folds `input` with `reducer(acc, value, index, context)` from `identity` in parallel chunks,
 * then combines the partial results with `options.combine` (default: `reducer`). `identity` must
 * be neutral and the combination associative. See `deterministic` for bit-exact results.
 */
export function parReduce(
  input: NumericArray,
  reducer: (acc: number, value: number, index: number, context: never) => number,
  identity: number,
  options?: ParReduceOptions,
): Promise<number> {
  const source = kernelSource(reducer);
  if (typeof identity !== 'number')
    throw new TypeError(`Expected \`identity\` to be a number, got ${show(identity)}`);
  const combine = options?.combine ?? (reducer as unknown as (a: number, b: number) => number);
  checkFn('combine', combine);
  const { array, pool, helpers } = setup(input, options);
  const deterministic = options?.deterministic === true;
  const chunk = deterministic
    ? options?.chunkSize === undefined
      ? DETERMINISTIC_CHUNK
      : integer('chunkSize', options.chunkSize, 1)
    : chunkOf(array.length, helpers + 1, options?.chunkSize);
  const base = planOf(OP_REDUCE, source, array, array.length, helpers, options, chunk);
  const chunks = base.chunks;
  if (chunks === 0) return Promise.resolve(identity);
  const partials = new Float64Array(
    new SharedArrayBuffer(8 * (deterministic ? chunks : helpers + 1)),
  );
  const plan = { ...base, partials, identity, deterministic };
  return execute(plan, pool, helpers).then((control) => {
    const used = deterministic ? chunks : Atomics.load(control, SLOTS);
    let acc = identity;
    for (let i = 0; i < used; i++) acc = combine(acc, partials[i]!);
    return acc;
  });
}

/**
 * Sorts `input` in place, numerically, on the calling thread and the pool's threads; the result
 * is element-for-element what `input.sort()` gives (-0 before +0, NaN last). A parallel sample
 * sort: splitters chosen from a random sample cut the values into buckets, every participant
 * classifies and moves chunks of the input into their buckets in a scratch array, then sorts
 * whole buckets with the built-in sort and copies them back. Resolves with `input`.
 *
 * An input on a SharedArrayBuffer is sorted where it is; any other is copied to shared memory
 * and back, on the calling thread (a non-shared buffer cannot be read by the others). The scratch
 * memory of a parallel sort (the input's size in bytes plus one byte per element) is kept for 2 s
 * after it ends and reused by the next sort that fits, so its pages are mapped once.
 */
export function parSort<T extends NumericArray>(
  input: T,
  options?: Omit<ParallelOptions, 'context' | 'chunkSize'>,
): Promise<T> {
  checkArray('input', input);
  const pool = poolOf(options);
  if (input.length <= SORT_SEQUENTIAL_MAX) {
    input.sort();
    return Promise.resolve(input);
  }
  return sortInParallel(input, pool, helpersOf(pool), options?.useCallingThread);
}

/**
 * Splitters for `buckets` buckets from a random sample of `src`, as the implicit tree the
 * classify pass walks (tree[1] the median splitter; node j's children 2j and 2j+1), or
 * undefined when the sample holds no number but NaN.
 */
function splitterTree(src: NumericArray, buckets: number): Float64Array | undefined {
  const length = src.length;
  const sample = new Float64Array(buckets * OVERSAMPLING);
  let seed = 0x9e3779b9 ^ length; // xorshift32: any spread of positions will do, it needs no quality
  let m = 0;
  for (let i = 0; i < sample.length; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const x = src[(seed >>> 0) % length]!;
    if (!Number.isNaN(x)) sample[m++] = x; // NaN never splits: it sorts last, into the last bucket
  }
  if (m === 0) return undefined;
  const sorted = sample.subarray(0, m).sort();
  const tree = new Float64Array(buckets);
  for (let level = 1, width = buckets >> 1; width >= 1; level *= 2, width >>= 1) {
    // Level nodes j = level … 2·level−1 split at sorted ranks (2t+1)·width of `buckets` parts.
    for (let t = 0; t < level; t++) {
      const rank = Math.min(m - 1, Math.floor(((2 * t + 1) * width * m) / buckets));
      tree[level + t] = sorted[rank]!;
    }
  }
  return tree;
}

/** A sort's scratch: the bucketed copy of the values and each value's bucket id. */
interface Scratch {
  values: SharedArrayBuffer;
  ids: SharedArrayBuffer;
}

/**
 * The last sort's scratch, kept for `SCRATCH_IDLE_MS` after it ends. A fresh SharedArrayBuffer is
 * zero pages the kernel fills on first touch: traced on 10M doubles, the scatter pass spent
 * ~125 ms of CPU in those faults and 15 ms moving values once the memory was mapped. Reusing it
 * makes back-to-back sorts pay that once; an idle process gets the memory back.
 */
let spare: Scratch | undefined;
let spareTimer: ReturnType<typeof setTimeout> | undefined;
const SCRATCH_IDLE_MS = 2000;

function takeScratch(bytes: number, length: number): Scratch {
  const s = spare;
  if (s !== undefined && s.values.byteLength >= bytes && s.ids.byteLength >= length) {
    spare = undefined;
    return s;
  }
  return { values: new SharedArrayBuffer(bytes), ids: new SharedArrayBuffer(length) };
}

function keepScratch(s: Scratch): void {
  if (spare !== undefined && spare.values.byteLength > s.values.byteLength) return;
  spare = s;
  clearTimeout(spareTimer);
  spareTimer = setTimeout(() => {
    spare = undefined;
  }, SCRATCH_IDLE_MS);
  spareTimer.unref?.();
}

async function sortInParallel<T extends NumericArray>(
  input: T,
  pool: WorkerPool,
  helpers: number,
  caller: boolean | undefined,
): Promise<T> {
  const wall0 = performance.timeOrigin + performance.now();
  const length = input.length;
  const src: NumericArray = phase(PHASE_COPY_IN, () => toShared(input));
  const participants = helpers + (caller === false ? 0 : 1);
  let levels = 1;
  while (1 << levels < participants * BUCKETS_PER_PARTICIPANT && levels < 8) levels++;
  const buckets = 1 << levels;
  const tree = phase(PHASE_SPLITTERS, () => splitterTree(src, buckets));
  if (tree === undefined) {
    src.sort(); // (almost) all NaN: nothing to split on
  } else {
    const chunk = chunkOf(length, participants, undefined);
    const chunks = Math.ceil(length / chunk);
    const room = takeScratch(src.byteLength, length);
    const ids = new Uint8Array(room.ids, 0, length);
    const counts = new Int32Array(new SharedArrayBuffer(4 * chunks * buckets));
    const dst = new (typeOf(src))(room.values, 0, length);
    const base = { caller, source: '', input: src, output: dst, chunk, chunks, length };
    await execute({ ...base, op: OP_CLASSIFY, tree, levels, ids, counts }, pool, helpers);
    // Bucket b of chunk k starts after every bucket below b, and after bucket b of chunks < k.
    const bounds = phase(PHASE_OFFSETS, () => {
      const bounds = new Float64Array(buckets + 1);
      let at = 0;
      for (let b = 0; b < buckets; b++) {
        bounds[b] = at;
        for (let k = 0; k < chunks; k++) {
          const n = counts[k * buckets + b]!;
          counts[k * buckets + b] = at;
          at += n;
        }
      }
      bounds[buckets] = at;
      return bounds;
    });
    await execute({ ...base, op: OP_SCATTER, levels, ids, counts }, pool, helpers);
    // Largest buckets first, so the last one claimed is small and nobody waits long for it.
    const plan = phase(PHASE_OFFSETS, () => {
      const order = Array.from({ length: buckets }, (_, b) => b).sort(
        (x, y) => bounds[y + 1]! - bounds[y]! - (bounds[x + 1]! - bounds[x]!),
      );
      const plan = new Float64Array(2 * buckets);
      for (let i = 0; i < buckets; i++) {
        plan[2 * i] = bounds[order[i]!]!;
        plan[2 * i + 1] = bounds[order[i]! + 1]!;
      }
      return plan;
    });
    await execute({ ...base, op: OP_SORT_BUCKETS, chunks: buckets, plan }, pool, helpers);
    keepScratch(room);
  }
  if (src !== input) phase(PHASE_COPY_OUT, () => input.set(src as never));
  traceCall(wall0);
  return input;
}

/** While tracing: a row for a whole call, from `wall0` to now (its CPU fields NaN). */
function traceCall(wall0: number): void {
  const rows = traceRows;
  if (rows === undefined) return;
  const wall1 = performance.timeOrigin + performance.now();
  const nan = Number.NaN;
  appendRow(rows, [PHASE_CALL, threadId, wall0, wall1, nan, nan, nan, nan, 0]);
}
