import type { TaskTerminatedError } from './errors.js';
import type { WorkerPool } from './worker-pool.js';

// The vocabulary of @perf/concurrency: options and result shapes, each field with its default.

/** Element type of a number ring or queue. */
export type NumberType = 'int32' | 'float64';

/** Options of `new SpscRing(...)`. */
export interface SpscRingOptions {
  /** Number of slots: a power of two from 2 to 2^28. */
  capacity: number;
  /**
   * Slot type. `'int32'` stores `value | 0`; `'float64'` stores any number.
   * @defaultValue `'float64'`
   */
  type?: NumberType;
}

/** Options of `new SpscByteRing(...)`. */
export interface SpscByteRingOptions {
  /** Size of the data area in bytes: a power of two from 16 to 2^28. Messages may be up to `capacity - 4` bytes. */
  capacity: number;
}

/** Options of `new MpmcQueue(...)`. */
export interface MpmcQueueOptions {
  /** Maximum number of elements: an integer from 1 to 2^26 (need not be a power of two). */
  capacity: number;
  /**
   * Value type.
   * @defaultValue `'float64'`
   */
  type?: NumberType;
}

/** What `compareExchange` saw: whether it swapped, and the value found (the old value). */
export interface CompareExchangeResult<T extends number | bigint> {
  /** True when the value was `expected` and is now `replacement`. */
  readonly ok: boolean;
  /** The value before the call: `expected` on success, the current value on failure. */
  readonly value: T;
}

/** Options of `Semaphore.acquire` / `Semaphore.using`. */
export interface AcquireOptions {
  /**
   * Permits to take at once (≤ the semaphore's `permits`).
   * @defaultValue `1`
   */
  permits?: number;
  /** Gives up waiting (rejecting with an `AbortError`) when this signal aborts. */
  signal?: AbortSignal;
}

/** Options of `limit(...)` and `limitFunction(...)` (p-limit 7's `Options`). */
export interface LimitOptions {
  /** Calls allowed to run at once: an integer ≥ 1, or `Infinity`. */
  readonly concurrency: number;
  /**
   * Reject the calls `clearQueue()` discards with an `AbortError`. Without it their promises
   * stay pending forever, as in p-limit: set it when something awaits them (`Promise.all`).
   * @defaultValue `false`
   */
  readonly rejectOnClear?: boolean;
}

/** A limiter made by `limit(concurrency)`, call-compatible with p-limit 7. */
export interface Limit {
  /**
   * Runs `fn(...args)` when a slot is free (always a microtask later at the earliest, in the
   * caller's async context); resolves or rejects with its outcome.
   */
  <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<R>;
  /** Calls running now, counting those given a slot whose `fn` starts on the next microtask. */
  readonly activeCount: number;
  /** Calls waiting for a slot. */
  readonly pendingCount: number;
  /** Maximum calls at once; raising it starts waiting calls immediately. */
  concurrency: number;
  /**
   * Discards the waiting calls (running ones go on). Their promises stay pending unless the
   * limiter was made with `rejectOnClear: true`, which rejects them with an `AbortError`.
   */
  clearQueue(): void;
  /** Maps `items` through `mapper(item, index)` under this limit, resolving in input order. */
  map<T, R>(
    items: Iterable<T>,
    mapper: (item: T, index: number) => R | PromiseLike<R>,
  ): Promise<R[]>;
}

/** A function made by `limitFunction(fn, options)`: `fn` under its own limiter. */
export type LimitedFunction<A extends unknown[], R> = ((...args: A) => Promise<R>) &
  Pick<Limit, 'clearQueue'>;

/** Options of `mapConcurrent`. */
export interface MapConcurrentOptions {
  /** Stops starting new calls and rejects with an `AbortError` when this signal aborts. */
  signal?: AbortSignal;
}

/** Options of `joinAll`. */
export interface JoinAllOptions {
  /**
   * How many task *functions* run at once (promises are already running).
   * @defaultValue all of them
   */
  concurrency?: number;
}

/** Everything `joinAll` collected. */
export interface JoinAllResult<T> {
  /** True when every task fulfilled. */
  readonly ok: boolean;
  /** Each task's outcome, in input order, shaped like `Promise.allSettled`'s. */
  readonly results: PromiseSettledResult<T>[];
  /** The fulfilled values, in input order. */
  readonly values: T[];
  /** The rejection reasons, in input order. */
  readonly errors: unknown[];
}

/** Where a pool task's code lives: an absolute path, or a `file:`/`data:` URL (string or URL). */
export type TaskModule = string | URL;

/** Options of `new WorkerPool(...)`. */
export interface WorkerPoolOptions {
  /** Module of tasks run without `module` of their own. */
  module?: TaskModule;
  /**
   * Maximum worker threads; they start on demand and stop after `idleTimeout`.
   * @defaultValue `os.availableParallelism()`
   */
  threads?: number;
  /**
   * Tasks allowed to wait for a thread; `run` rejects with a `QueueFullError` beyond it.
   * @defaultValue `65536`
   */
  maxQueue?: number;
  /**
   * Milliseconds a thread may sit idle before it exits (it restarts on demand).
   * `Infinity` keeps threads until `close()`.
   * @defaultValue `30_000`
   */
  idleTimeout?: number;
  /**
   * Tasks handed to one thread ahead of time (its private queue in shared memory). Deeper
   * pipelines amortise wake-ups for short tasks; 1 gives the fairest spread for long ones.
   * @defaultValue `16`
   */
  pipeline?: number;
  /**
   * Bytes of each thread's request ring and of its response ring (a power of two ≥ 1024).
   * Arguments and results that do not fit go through `postMessage` instead.
   * @defaultValue `65536`
   */
  ringBytes?: number;
  /**
   * Times an idle thread re-checks its request ring before sleeping. Higher keeps latency low
   * for bursts at the cost of CPU; 0 sleeps at once.
   * The spin then adapts (halves after a wasted spin, doubles after a useful one, up to this).
   * @defaultValue `20000` (an estimate of one park/wake cycle's worth of ring reads; not tuned)
   */
  spin?: number;
  /**
   * Milliseconds an aborted running task has to return (it sees `context.signal` abort) before
   * its thread is terminated and replaced. `0` terminates at once; `Infinity` never does.
   * @defaultValue `1000`
   */
  abortGrace?: number;
  /**
   * Told when a task that ignored its abort signal had its thread terminated. Its `run()`
   * promise already rejected with an `AbortError`; this reports the runaway task.
   * @defaultValue `process.emitWarning`
   */
  onTaskTerminated?: (error: TaskTerminatedError) => void;
}

/**
 * The second argument of every pool task: `export default (arg, { signal }) => …`.
 *
 * `signal` is an `AbortSignal` that aborts when the caller's `run(arg, { signal })` signal does.
 * Polling `signal.aborted` or `signal.throwIfAborted()` reads shared memory (no message, no
 * event-loop turn), so a CPU-bound loop can check it every iteration; while the task awaits,
 * its `'abort'` event fires, so `setTimeout(ms, v, { signal })`, `fetch` and streams stop too.
 * Its `reason` is a `DOMException` named `'AbortError'` (the caller's reason stays on the main
 * thread, as the `cause` of the `AbortError` that `run()` rejected with).
 */
export interface TaskContext {
  readonly signal: AbortSignal;
}

/** Options of `WorkerPool.run` / `WorkerPool.map`. */
export interface RunOptions {
  /** Module of the task; defaults to the pool's `module`. */
  module?: TaskModule;
  /**
   * Export to call with the argument.
   * @defaultValue `'default'`
   */
  name?: string;
  /**
   * Cancels the task; the promise rejects with an `AbortError` at once. A queued task is dropped
   * unrun; a running one sees its `context.signal` abort and its thread takes the next task once
   * it returns, or is terminated (and replaced) after the pool's `abortGrace`.
   */
  signal?: AbortSignal;
}

/** The typed arrays the parallel operations accept (every numeric kind but BigInt). */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** Options of every parallel operation. */
export interface ParallelOptions {
  /**
   * Pool whose threads help; the calling thread always takes part too.
   * @defaultValue a shared pool of `availableParallelism() - 1` threads, created on first use
   */
  pool?: WorkerPool;
  /**
   * Elements per chunk claimed at a time. Smaller balances better, larger costs fewer atomics.
   * @defaultValue about 1/32 of an equal share per participant, at least 4096 (16384 fixed for a deterministic `parReduce`)
   */
  chunkSize?: number;
  /** Any structured-cloneable value (SharedArrayBuffers and views on them are shared), passed to the kernel as its last argument. */
  context?: unknown;
  /**
   * Let the calling thread work on chunks too (rayon's behaviour, fastest). It then runs its share
   * synchronously, blocking its event loop meanwhile; a server that must keep answering sets
   * `false` and leaves all chunks to the pool's threads.
   * @defaultValue `true`
   */
  useCallingThread?: boolean;
}

/** Options of `parMap`. */
export interface ParMapOptions extends ParallelOptions {
  /**
   * Where results go (same length as the input). Give a view on a SharedArrayBuffer to avoid a
   * copy; any other typed array gets the results copied in at the end.
   * @defaultValue a new shared array of the input's type
   */
  output?: NumericArray;
}

/** Options of `parReduce`. */
export interface ParReduceOptions extends ParallelOptions {
  /**
   * Combines two partial results; must be associative, with `identity` neutral.
   * @defaultValue the reducer itself, called as `reducer(a, b)`
   */
  combine?: (a: number, b: number) => number;
  /**
   * Reduce fixed-size chunks and combine their results in index order, so the result is
   * bit-for-bit the same on every run and every thread count (floating-point addition is not
   * associative). Otherwise each thread folds the chunks it happened to claim.
   * @defaultValue `false`
   */
  deterministic?: boolean;
}
