import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import Denque from 'denque';
import {
  AbortError,
  ClosedError,
  QueueFullError,
  TaskError,
  TaskTerminatedError,
  WorkerCrashedError,
} from './errors.js';
import { makeCodec } from './internal/codec.js';
import { waitAsync } from './internal/park.js';
import * as P from './internal/protocol.js';
import * as layout from './internal/ring-layout.js';
import {
  fn as checkFn,
  integer,
  powerOfTwo,
  timeout as checkTimeout,
} from './internal/validate.js';
import { workerSource } from './internal/worker-source.js';
import { mapConcurrent } from './join.js';
import { SpscByteRing } from './spsc-byte-ring.js';
import type { RunOptions, WorkerPoolOptions } from './types.js';

interface Task {
  readonly id: number;
  readonly fnId: number;
  readonly arg: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Armed when it was aborted while running: terminates its thread if it does not return. */
  grace: NodeJS.Timeout | undefined;
  /** The thread it was handed to; undefined while it waits in the pool's queue. */
  thread: Thread | undefined;
  settled: boolean;
}

interface Thread {
  readonly worker: Worker;
  readonly threadId: number;
  readonly requests: SpscByteRing;
  readonly responses: SpscByteRing;
  readonly state: Int32Array;
  readonly port: MessagePort;
  /** Tasks handed to this thread, oldest first: answers come back in exactly this order. */
  readonly tasks: Denque<Task>;
  /** FN_IDs this thread has been told about. */
  readonly defined: Set<number>;
  idleSince: number;
  referenced: boolean;
  /** Set when we terminate it on purpose (idle, abort, close): its exit is not a crash. */
  retiring: boolean;
  lastError: unknown;
}

const ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Rebuilds a worker's error (sent as a plain object) as an Error of the same kind. */
function rebuildError(plain: Record<string, unknown>): Error {
  const { name, message, stack, ...fields } = plain;
  const Ctor = ERRORS[String(name)] ?? Error;
  const error = new Ctor(String(message));
  if (error.name !== name) error.name = String(name);
  error.stack = typeof stack === 'string' ? stack : `${String(name)}: ${String(message)}`;
  return Object.assign(error, fields);
}

/** Normalises a task module to the URL string the worker imports. */
function moduleUrl(module: unknown): string {
  if (module instanceof URL) return module.href;
  if (typeof module === 'string') {
    if (/^(file|data):/.test(module)) return module;
    if (isAbsolute(module)) return pathToFileURL(module).href;
  }
  throw new TypeError(
    `Expected \`module\` to be an absolute path or a file:/data: URL, got \`${String(module)}\` (${typeof module})`,
  );
}

/**
 * The parent's Node flags minus `--input-type`: workers inherit execArgv, and under
 * `node --input-type=module` the eval'd (CommonJS) worker script would be parsed as ESM.
 */
function workerExecArgv(): string[] {
  const args: string[] = [];
  const parent = process.execArgv;
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i]!;
    if (arg === '--input-type') i++;
    else if (!arg.startsWith('--input-type=')) args.push(arg);
  }
  return args;
}

/** @internal Hands a parallel job to the pool (see src/parallel.ts); assigned in a static block. */
export let runParallelTask: (pool: WorkerPool, job: unknown) => Promise<unknown>;

/**
 * A pool of worker threads whose tasks and results travel through shared memory: each thread has
 * a request ring and a response ring ({@link SpscByteRing}), a task costs two ring records and,
 * when the thread was asleep, one `Atomics.notify` — not a `postMessage` round trip.
 *
 * Tasks are named by module and export, like piscina's `filename` and `name`. Each thread runs
 * its tasks one at a time, in order; up to `pipeline` of them may wait in its ring. Results come
 * back FIFO per thread, so the pool matches them without a lookup table.
 *
 * Failure modes, each a typed error with a stable `code` — never a hang:
 * - the task throws → {@link TaskError} (`PERF_CONCURRENCY_TASK_FAILED`), the worker's message and
 *   stack kept, the rebuilt error as `cause`;
 * - the thread dies → {@link WorkerCrashedError} for the task it was running; the tasks queued
 *   behind it never started and go to a new thread;
 * - `signal` aborts → `AbortError` at once. A queued task never runs; a running one sees its
 *   own `signal` (the task's second argument) abort, and its thread takes the next task once it
 *   returns. One still running `abortGrace` ms later has its thread terminated and replaced,
 *   and `onTaskTerminated` gets a {@link TaskTerminatedError}
 *   (`PERF_CONCURRENCY_TASK_TERMINATED`);
 * - the queue is full → {@link QueueFullError}; the pool is closed → {@link ClosedError}.
 */
export class WorkerPool {
  readonly #size: number;
  readonly #maxQueue: number;
  readonly #idleTimeout: number;
  readonly #pipeline: number;
  readonly #ringBytes: number;
  readonly #spin: number;
  readonly #abortGrace: number;
  readonly #onTaskTerminated: (error: TaskTerminatedError) => void;
  readonly #threads: Thread[] = [];
  readonly #queue = new Denque<Task>();
  /** Live (unsettled) tasks in #queue; settled ones are skipped lazily. */
  #queued = 0;
  #inflight = 0;
  #completed = 0;
  #nextId = 0;
  readonly #control = new Int32Array(new SharedArrayBuffer(P.CONTROL_WORDS * 4));
  readonly #cancels = new Int32Array(new SharedArrayBuffer(P.CANCEL_SLOTS * 4));
  /** FN_ID → [module URL, export]; FN_ID 0 is the built-in parallel executor. */
  readonly #fnDefs: [string, string][] = [['', '']];
  readonly #fnIds = new Map<string, number>();
  readonly #defaultModule: string | undefined;
  #defaultFnId = -1;
  readonly #codec = makeCodec(v8);
  readonly #outbox: Uint8Array;
  readonly #outView: DataView;
  readonly #inbox: Uint8Array;
  readonly #inView: DataView;
  readonly #utf8 = new TextEncoder();
  #pumping = false;
  #closed = false;
  #destroyed = false;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  static {
    runParallelTask = (pool, job) => pool.#enqueue(P.FN_PARALLEL, job, undefined);
  }

  constructor(options: WorkerPoolOptions = {}) {
    this.#size = integer('threads', options.threads ?? availableParallelism(), 1, 1024);
    this.#maxQueue = integer('maxQueue', options.maxQueue ?? 65_536, 0);
    this.#idleTimeout = checkTimeout('idleTimeout', options.idleTimeout ?? 30_000);
    this.#pipeline = integer('pipeline', options.pipeline ?? 16, 1, 1024);
    this.#ringBytes = powerOfTwo('ringBytes', options.ringBytes ?? 65_536, 1024, 2 ** 28);
    this.#spin = integer('spin', options.spin ?? 20_000, 0);
    this.#abortGrace = checkTimeout('abortGrace', options.abortGrace ?? 1_000);
    const onTerminated = options.onTaskTerminated ?? ((error) => process.emitWarning(error));
    checkFn('onTaskTerminated', onTerminated);
    this.#onTaskTerminated = onTerminated;
    if (options.module !== undefined) {
      this.#defaultModule = moduleUrl(options.module);
      this.#defaultFnId = this.#fnIdOf(this.#defaultModule, 'default');
    }
    this.#outbox = new Uint8Array(this.#ringBytes - 4);
    this.#outView = new DataView(this.#outbox.buffer);
    this.#inbox = new Uint8Array(this.#ringBytes - 4);
    this.#inView = new DataView(this.#inbox.buffer);
  }

  /** Most threads the pool runs at once (the `threads` option). */
  get size(): number {
    return this.#size;
  }

  /** Threads running now (they start on demand). */
  get threads(): number {
    return this.#threads.length;
  }

  /** Tasks waiting for a thread. */
  get queued(): number {
    return this.#queued;
  }

  /** Tasks handed to threads and not yet answered. */
  get running(): number {
    return this.#inflight;
  }

  /** Tasks answered so far (fulfilled, failed or skipped). */
  get completed(): number {
    return this.#completed;
  }

  /**
   * Runs `export(arg)` of the task module on a worker thread; resolves with its (awaited)
   * result. `arg` and the result are copied (structured clone semantics; SharedArrayBuffers are
   * shared).
   * @throws TypeError when no module is given here or in the pool's options.
   */
  run<R = unknown>(arg?: unknown, options?: RunOptions): Promise<R> {
    let fnId = this.#defaultFnId;
    let signal: AbortSignal | undefined;
    if (options !== undefined) {
      signal = options.signal;
      if (options.module !== undefined || options.name !== undefined) {
        const module =
          options.module === undefined ? this.#defaultModule : moduleUrl(options.module);
        if (module === undefined) fnId = -1;
        else
          fnId = this.#fnIdOf(
            module,
            options.name === undefined ? 'default' : String(options.name),
          );
      }
    }
    if (fnId < 0) {
      throw new TypeError('Expected a task `module` in the run() options or the pool options');
    }
    return this.#enqueue(fnId, arg, signal) as Promise<R>;
  }

  /**
   * Runs the task once per item, keeping at most `threads × pipeline` in flight so a long input
   * never overflows `maxQueue`; resolves with the results in input order, or rejects with the
   * first failure.
   */
  map<T, R = unknown>(items: Iterable<T>, options?: RunOptions): Promise<R[]> {
    return mapConcurrent(items, this.#size * this.#pipeline, (item) => this.run<R>(item, options));
  }

  /**
   * Stops accepting tasks, lets queued and running ones finish, then stops the threads.
   * Resolves when all of that is done. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#closing = new Promise<void>((resolve) => {
        this.#drained = resolve;
      }).then(() => this.#terminateAll());
      this.#checkDrained();
    }
    return this.#closing;
  }

  /**
   * Stops at once: rejects queued and running tasks with a {@link ClosedError} and
   * terminates the threads.
   */
  async destroy(): Promise<void> {
    this.#closed = true;
    this.#destroyed = true;
    const error = () => new ClosedError();
    for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
      this.#settle(task, error(), false);
    }
    this.#queued = 0;
    for (const thread of this.#threads) {
      for (const task of thread.tasks.toArray()) this.#settle(task, error(), false);
    }
    await this.#terminateAll();
    this.#drained?.();
  }

  #fnIdOf(module: string, name: string): number {
    const key = `${module}\0${name}`;
    let id = this.#fnIds.get(key);
    if (id === undefined) {
      id = this.#fnDefs.push([module, name]) - 1;
      this.#fnIds.set(key, id);
    }
    return id;
  }

  #enqueue(fnId: number, arg: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#closed) return Promise.reject(new ClosedError());
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    return new Promise<unknown>((resolve, reject) => {
      this.#nextId = (this.#nextId % 0x7fff_fffe) + 1; // ids 1..2^31-1; 0 means "no task"
      const task: Task = {
        id: this.#nextId,
        fnId,
        arg,
        resolve,
        reject,
        signal,
        onAbort: undefined,
        grace: undefined,
        thread: undefined,
        settled: false,
      };
      if (signal !== undefined) {
        task.onAbort = () => this.#abort(task);
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.#queue.push(task);
      this.#queued++;
      this.#dispatch();
      // Whatever a thread could not take at once must fit in maxQueue.
      if (task.thread === undefined && !task.settled && this.#queued > this.#maxQueue) {
        this.#queued--; // left in the denque, skipped by #dispatch
        this.#settle(task, new QueueFullError(this.#maxQueue), false);
      }
    });
  }

  #settle(task: Task, error: unknown, ok: boolean, value?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    if (task.onAbort !== undefined) task.signal!.removeEventListener('abort', task.onAbort);
    if (ok) task.resolve(value);
    else task.reject(error);
  }

  #abort(task: Task): void {
    if (task.settled) return;
    const thread = task.thread;
    this.#settle(task, new AbortError(task.signal?.reason), false);
    if (thread === undefined) {
      this.#queued--; // left in the denque, skipped by #dispatch
      this.#checkDrained();
      return;
    }
    // The cancel table is written before CURRENT is read, and the worker publishes CURRENT before
    // it reads the table (Dekker order): either it skips the task, or we see it running here.
    Atomics.store(this.#cancels, task.id & P.CANCEL_MASK, task.id);
    if (Atomics.load(thread.state, P.CURRENT) !== task.id) return;
    // Running: abort its signal; its thread goes on with the next task once it returns.
    Atomics.store(thread.state, P.ABORT, task.id);
    Atomics.notify(thread.state, P.ABORT);
    if (this.#abortGrace === 0) this.#terminateRunaway(thread, task);
    else if (this.#abortGrace !== Number.POSITIVE_INFINITY) {
      task.grace = setTimeout(() => {
        task.grace = undefined;
        if (Atomics.load(thread.state, P.CURRENT) === task.id) this.#terminateRunaway(thread, task);
      }, this.#abortGrace);
    }
  }

  /** The aborted task did not return in time: only terminating its thread stops it. */
  #terminateRunaway(thread: Thread, task: Task): void {
    if (thread.retiring) return;
    this.#retire(thread);
    const name = this.#fnDefs[task.fnId]![1];
    this.#onTaskTerminated(new TaskTerminatedError(name, thread.threadId, this.#abortGrace));
  }

  /** Hands queued tasks to threads while some thread has room. */
  #dispatch(): void {
    const queue = this.#queue;
    while (queue.length > 0) {
      const task = queue.peekFront()!;
      if (task.settled) {
        queue.shift();
        continue;
      }
      const thread = this.#pickThread();
      if (thread === undefined || !this.#send(thread, task)) return;
      queue.shift();
      this.#queued--;
    }
  }

  /** The least-loaded thread with room; a new one when every thread has work and we may grow. */
  #pickThread(): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.#threads) {
      if (best === undefined || thread.tasks.length < best.tasks.length) best = thread;
    }
    if ((best === undefined || best.tasks.length > 0) && this.#threads.length < this.#size) {
      return this.#spawn();
    }
    return best !== undefined && best.tasks.length < this.#pipeline ? best : undefined;
  }

  /** Writes the task into the thread's request ring; false when the ring has no room yet. */
  #send(thread: Thread, task: Task): boolean {
    const out = this.#outbox;
    const view = this.#outView;
    if (task.fnId !== P.FN_PARALLEL && !thread.defined.has(task.fnId)) {
      out[P.KIND] = P.REQ_DEFINE;
      view.setInt32(P.FN_ID, task.fnId, true);
      const text = JSON.stringify(this.#fnDefs[task.fnId]);
      const { written } = this.#utf8.encodeInto(text, out.subarray(P.BODY));
      if (!thread.requests.tryPush(out.subarray(0, P.BODY + written))) return false;
      thread.defined.add(task.fnId);
    }
    out[P.KIND] = P.REQ_RUN;
    view.setInt32(P.TASK_ID, task.id, true);
    view.setInt32(P.FN_ID, task.fnId, true);
    // Parallel jobs always hold SharedArrayBuffers: straight to the port, without first letting
    // v8.serialize copy the shared arrays only to find they cannot go through the ring.
    let end = task.fnId === P.FN_PARALLEL ? -1 : this.#codec.encode(task.arg, out, view, P.BODY);
    if (end < 0) {
      // Too big for the ring, or only structured clone can copy it: the value goes through the
      // thread's port and a RUN_POSTED record holds its place in the order.
      if (thread.requests.capacity - thread.requests.usedBytes < P.BODY + 4) return false;
      try {
        thread.port.postMessage({ arg: task.arg });
      } catch (error) {
        this.#settle(task, error, false);
        return true;
      }
      out[P.KIND] = P.REQ_RUN_POSTED;
      end = P.BODY;
    }
    if (!thread.requests.tryPush(out.subarray(0, end))) return false;
    task.thread = thread;
    thread.tasks.push(task);
    this.#inflight++;
    if (!thread.referenced) {
      thread.worker.ref();
      thread.referenced = true;
    }
    if (!this.#pumping) {
      this.#pumping = true;
      void this.#pump();
    }
    return true;
  }

  /**
   * Collects answers while tasks are in flight: drain every response ring, hand out more work,
   * and sleep in Atomics.waitAsync on the doorbell that workers ring after each answer.
   */
  async #pump(): Promise<void> {
    const control = this.#control;
    while (this.#inflight > 0) {
      const bell = Atomics.load(control, P.DOORBELL);
      let any = false;
      for (const thread of this.#threads) while (this.#receive(thread)) any = true;
      if (any) {
        this.#dispatch();
        this.#checkDrained();
        await undefined; // let the callers' continuations run (and submit more) first
        continue;
      }
      Atomics.add(control, P.MAIN_WAITERS, 1);
      const r = waitAsync(control, P.DOORBELL, bell);
      if (r.async) await r.value;
      Atomics.sub(control, P.MAIN_WAITERS, 1);
    }
    this.#pumping = false;
  }

  /** Wakes the pump (after a crash or an abort changed the books without a response). */
  #kick(): void {
    Atomics.add(this.#control, P.DOORBELL, 1);
    Atomics.notify(this.#control, P.DOORBELL);
  }

  /** Takes one answer from the thread's response ring; false when there is none. */
  #receive(thread: Thread): boolean {
    const inbox = this.#inbox;
    const length = thread.responses.tryPopInto(inbox);
    if (length < 0) return false;
    const task = thread.tasks.shift()!;
    if (task.grace !== undefined) clearTimeout(task.grace); // it returned within its grace
    this.#inflight--;
    this.#completed++;
    if (thread.tasks.length === 0) this.#becameIdle(thread);
    switch (inbox[P.KIND]) {
      case P.RES_OK:
        this.#settle(
          task,
          undefined,
          true,
          this.#codec.decode(inbox, this.#inView, P.BODY, length),
        );
        break;
      case P.RES_OK_POSTED: {
        // The port message was sent before the record, so it is there; if not, say so loudly.
        const posted = receiveMessageOnPort(thread.port)?.message as { value: unknown } | undefined;
        if (posted === undefined) {
          this.#settle(
            task,
            new TaskError(
              this.#fnDefs[task.fnId]![1],
              new Error('The result was lost between threads'),
            ),
            false,
          );
        } else this.#settle(task, undefined, true, posted.value);
        break;
      }
      case P.RES_ERROR: {
        const plain = this.#codec.decode(inbox, this.#inView, P.BODY, length) as Record<
          string,
          unknown
        >;
        const fnDef = this.#fnDefs[task.fnId]!;
        this.#settle(
          task,
          new TaskError(task.fnId === P.FN_PARALLEL ? '<kernel>' : fnDef[1], rebuildError(plain)),
          false,
        );
        break;
      }
      default: // RES_SKIPPED: it was aborted before it started and is settled already
    }
    return true;
  }

  #spawn(): Thread {
    const requests = new SpscByteRing({ capacity: this.#ringBytes });
    const responses = new SpscByteRing({ capacity: this.#ringBytes });
    const state = new Int32Array(new SharedArrayBuffer(P.STATE_WORDS * 4));
    const { port1, port2 } = new MessageChannel();
    const init: P.WorkerInit = {
      request: requests.buffer,
      response: responses.buffer,
      state: state.buffer as SharedArrayBuffer,
      control: this.#control.buffer as SharedArrayBuffer,
      cancels: this.#cancels.buffer as SharedArrayBuffer,
      port: port2,
      layout: {
        HEAD: layout.HEAD,
        TAIL: layout.TAIL,
        TAIL_WAITERS: layout.TAIL_WAITERS,
        HEAD_WAITERS: layout.HEAD_WAITERS,
        HEADER_BYTES: layout.HEADER_BYTES,
      },
      protocol: Object.fromEntries(
        Object.entries(P).filter((e): e is [string, number] => typeof e[1] === 'number'),
      ),
      spin: this.#spin,
    };
    const worker = new Worker(workerSource(), {
      eval: true,
      execArgv: workerExecArgv(),
      workerData: init,
      transferList: [port2],
      name: '@perf/concurrency pool',
    });
    port1.unref();
    const thread: Thread = {
      worker,
      threadId: worker.threadId,
      requests,
      responses,
      state,
      port: port1,
      tasks: new Denque<Task>(),
      defined: new Set<number>(),
      idleSince: performance.now(),
      referenced: true,
      retiring: false,
      lastError: undefined,
    };
    worker.on('error', (error) => {
      thread.lastError = error;
    });
    worker.on('exit', (code) => this.#onExit(thread, code));
    this.#threads.push(thread);
    return thread;
  }

  #onExit(thread: Thread, code: number): void {
    const at = this.#threads.indexOf(thread);
    if (at >= 0) this.#threads.splice(at, 1);
    while (this.#receive(thread)) {} // answers written before it died still count
    const current = Atomics.load(thread.state, P.CURRENT);
    const orphans: Task[] = [];
    for (let task = thread.tasks.shift(); task !== undefined; task = thread.tasks.shift()) {
      this.#inflight--;
      if (task.grace !== undefined) clearTimeout(task.grace);
      if (task.settled) continue;
      // The running task is to blame; with none running (it died between tasks), the next one
      // is, so a thread that dies on every start cannot loop forever.
      const blamed =
        task.id === current || (current === 0 && orphans.length === 0 && !thread.retiring);
      if (this.#destroyed) this.#settle(task, new ClosedError(), false);
      else if (blamed && !thread.retiring) {
        this.#settle(
          task,
          new WorkerCrashedError(thread.threadId, code, { cause: thread.lastError }),
          false,
        );
      } else {
        task.thread = undefined;
        orphans.push(task);
      }
    }
    for (let i = orphans.length - 1; i >= 0; i--) this.#queue.unshift(orphans[i]!);
    this.#queued += orphans.length;
    thread.port.close();
    this.#kick();
    if (!this.#destroyed) this.#dispatch();
    this.#checkDrained();
  }

  #retire(thread: Thread): void {
    if (thread.retiring) return;
    thread.retiring = true;
    const at = this.#threads.indexOf(thread);
    if (at >= 0) this.#threads.splice(at, 1);
    void thread.worker.terminate();
  }

  #becameIdle(thread: Thread): void {
    thread.idleSince = performance.now();
    if (thread.referenced) {
      thread.worker.unref(); // an idle pool must not keep the process alive
      thread.referenced = false;
    }
    if (this.#idleTimer === undefined && this.#idleTimeout !== Number.POSITIVE_INFINITY) {
      this.#idleTimer = setTimeout(() => this.#reapIdle(), this.#idleTimeout).unref();
    }
  }

  #reapIdle(): void {
    this.#idleTimer = undefined;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const thread of [...this.#threads]) {
      if (thread.tasks.length > 0) continue;
      const idle = now - thread.idleSince;
      if (idle >= this.#idleTimeout) this.#retire(thread);
      else next = Math.min(next, this.#idleTimeout - idle);
    }
    if (next !== Number.POSITIVE_INFINITY) {
      this.#idleTimer = setTimeout(() => this.#reapIdle(), next).unref();
    }
  }

  #checkDrained(): void {
    if (this.#drained !== undefined && this.#queued === 0 && this.#inflight === 0) {
      const done = this.#drained;
      this.#drained = undefined;
      done();
    }
  }

  async #terminateAll(): Promise<void> {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    const threads = this.#threads.splice(0);
    for (const thread of threads) thread.retiring = true;
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
