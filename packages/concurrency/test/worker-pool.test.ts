import { afterEach, describe, expect, it } from 'vitest';
import { TaskTerminatedError, WorkerPool } from '../src/index.js';
import { spinFlag, TASKS, until } from './helpers/pool.js';

const pools: WorkerPool[] = [];
const pool = (options: ConstructorParameters<typeof WorkerPool>[0] = {}) => {
  const p = new WorkerPool({ module: TASKS, threads: 2, ...options });
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.destroy()));
});

describe('WorkerPool: running tasks', () => {
  it('runs a named export or the default one and returns every kind of value', async () => {
    const p = pool();
    expect(await p.run(21, { name: 'double' })).toBe(42);
    const values = [
      undefined,
      null,
      true,
      false,
      -0,
      1.5,
      'héllo',
      { a: [1, 'x'] },
      [1, null, 3],
      new Map([[1, 2]]),
      new Float64Array([1, 2]),
      10n,
    ];
    for (const v of values) expect(await p.run(v)).toEqual(v);
    expect(Object.is(await p.run(-0), -0)).toBe(true);
  });

  it('loads tasks from data: URLs and URL objects, and awaits async tasks', async () => {
    const p = new WorkerPool({ threads: 1 });
    pools.push(p);
    const url = 'data:text/javascript,export const inc = (x) => x + 1;';
    expect(await p.run(1, { module: url, name: 'inc' })).toBe(2);
    expect(
      await p.run({ x: 4, ms: 2 }, { module: new URL(`file://${TASKS}`), name: 'slowDouble' }),
    ).toBe(8);
  });

  it('moves values too big for the ring, and SharedArrayBuffers, through postMessage', async () => {
    const p = pool({ ringBytes: 1024 });
    const big = await p.run<Float64Array>(10_000, { name: 'bigArray' });
    expect(big.length).toBe(10_000);
    expect(big[9_999]).toBe(1.5);
    expect(await p.run('x'.repeat(5000))).toBe('x'.repeat(5000));
    const shared = new SharedArrayBuffer(8 * 100);
    new Float64Array(shared).fill(2);
    expect(await p.run(shared, { name: 'sumShared' })).toBe(200);
  });

  it('shares views on SharedArrayBuffers nested in arguments instead of copying them', async () => {
    const p = pool();
    const view = new Int32Array(new SharedArrayBuffer(16));
    expect(await p.run({ view, value: 7 }, { name: 'fillView' })).toBe(true);
    expect(Array.from(view)).toEqual([7, 7, 7, 7]);
  });

  it('map keeps input order and handles more items than maxQueue', async () => {
    const p = pool({ maxQueue: 8, pipeline: 4 });
    const items = Array.from({ length: 2_000 }, (_, i) => i);
    expect(await p.map(items, { name: 'double' })).toEqual(items.map((i) => i * 2));
    expect(p.completed).toBe(2_000);
  });

  it('answers thousands of concurrent tasks exactly once each', async () => {
    const p = pool({ pipeline: 32 });
    const out = await Promise.all(
      Array.from({ length: 5_000 }, (_, i) => p.run<number>(i, { name: 'double' })),
    );
    expect(out.every((v, i) => v === i * 2)).toBe(true);
    expect(p.running).toBe(0);
  });
});

describe('WorkerPool: failures are typed errors, never hangs', () => {
  it('a throwing task rejects with TASK_FAILED, keeping message, stack and fields', async () => {
    const p = pool();
    const error = await p.run('bad input', { name: 'fail' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PERF_CONCURRENCY_TASK_FAILED',
      name: 'TaskError',
      task: 'fail',
      message: 'bad input',
    });
    const cause = (error as Error).cause as Error & { code: string; detail: unknown };
    expect(cause).toBeInstanceOf(RangeError);
    expect(cause.code).toBe('E_TASK');
    expect(cause.detail).toEqual({ n: 1 });
    expect((error as Error).stack).toContain('tasks.mjs');
    expect(await p.run(null, { name: 'throwString' }).catch((e) => e.code)).toBe(
      'PERF_CONCURRENCY_TASK_FAILED',
    );
    const rejected = (await p.run('later', { name: 'rejectLater' }).catch((e) => e)) as Error;
    expect(rejected.cause).toBeInstanceOf(TypeError);
    expect(await p.run(2, { name: 'double' })).toBe(4); // the thread is still fine
  });

  it('a missing export, a bad module or an unclonable value reject instead of hanging', async () => {
    const p = pool();
    expect(await p.run(1, { name: 'nope' }).catch((e) => e.code)).toBe(
      'PERF_CONCURRENCY_TASK_FAILED',
    );
    expect(await p.run(1, { name: 'notAFunction' }).catch((e) => e.cause?.name)).toBe('TypeError');
    expect(await p.run(1, { module: '/nonexistent/x.mjs' }).catch((e) => e.code)).toBe(
      'PERF_CONCURRENCY_TASK_FAILED',
    );
    await expect(p.run(() => 1)).rejects.toThrow();
    await expect(p.run(null, { name: 'returnsFunction' })).rejects.toThrow();
    expect(await p.run(3, { name: 'double' })).toBe(6);
  });

  it('a crashing worker rejects its task with WORKER_CRASHED; tasks queued behind it still run', async () => {
    const p = pool({ threads: 1, pipeline: 8 });
    const crash = p.run(7, { name: 'crash' });
    const after = [1, 2, 3].map((x) => p.run(x, { name: 'double' }));
    const error = await crash.catch((e) => e);
    expect(error).toMatchObject({ code: 'PERF_CONCURRENCY_WORKER_CRASHED', exitCode: 7 });
    expect(await Promise.all(after)).toEqual([2, 4, 6]);
  });

  it('abort while queued in the pool drops the task', async () => {
    const p = pool({ threads: 1, pipeline: 1 });
    const flag = spinFlag();
    const blocker = p.run(flag.buffer, { name: 'spinUntil' });
    await flag.running();
    const controller = new AbortController();
    const queued = p.run(1, { name: 'double', signal: controller.signal });
    expect(p.queued).toBe(1);
    controller.abort(new Error('not needed'));
    const error = await queued.catch((e) => e);
    expect(error).toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED', name: 'AbortError' });
    expect((error as Error).cause).toEqual(new Error('not needed'));
    expect(p.queued).toBe(0);
    flag.release();
    expect(await blocker).toBe('released');
  });

  it('abort while waiting in a thread ring skips the task: it never runs', async () => {
    const p = pool({ threads: 1, pipeline: 4 });
    const flag = spinFlag();
    const counter = new SharedArrayBuffer(4);
    const blocker = p.run(flag.buffer, { name: 'spinUntil' });
    await flag.running();
    const controller = new AbortController();
    const cancelled = p.run(counter, { name: 'countCall', signal: controller.signal });
    const kept = p.run(counter, { name: 'countCall' });
    expect(p.running).toBe(3); // all three are in the thread's ring
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    flag.release();
    expect(await blocker).toBe('released');
    expect(await kept).toBe('counted');
    expect(Atomics.load(new Int32Array(counter), 0)).toBe(1);
  });

  it('a task that ignores its signal is terminated after abortGrace, with TASK_TERMINATED', async () => {
    const terminated: unknown[] = [];
    const p = pool({ threads: 1, abortGrace: 50, onTaskTerminated: (e) => terminated.push(e) });
    const before = await p.run(0, { name: 'whoAmI' });
    const flag = spinFlag();
    const controller = new AbortController();
    const running = p.run(flag.buffer, { name: 'spinUntil', signal: controller.signal });
    const behind = p.run(5, { name: 'double' }); // queued in the same thread's ring
    await flag.running();
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    expect(await behind).toBe(10); // moved to the replacement thread
    await until(() => terminated.length === 1);
    expect(terminated[0]).toBeInstanceOf(TaskTerminatedError);
    expect(terminated[0]).toMatchObject({
      code: 'PERF_CONCURRENCY_TASK_TERMINATED',
      task: 'spinUntil',
      threadId: before,
      grace: 50,
    });
    expect(await p.run(0, { name: 'whoAmI' })).not.toBe(before);
  });

  it('abortGrace 0 terminates a running aborted task at once', async () => {
    const terminated: unknown[] = [];
    const p = pool({ threads: 1, abortGrace: 0, onTaskTerminated: (e) => terminated.push(e) });
    const flag = spinFlag();
    const controller = new AbortController();
    const running = p.run(flag.buffer, { name: 'spinUntil', signal: controller.signal });
    await flag.running();
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    expect(terminated).toHaveLength(1);
    expect(await p.run(5, { name: 'double' })).toBe(10);
  });
  it('maxQueue 0 accepts only what a thread takes at once', async () => {
    const p = pool({ threads: 1, pipeline: 1, maxQueue: 0 });
    const flag = spinFlag();
    const blocker = p.run(flag.buffer, { name: 'spinUntil' });
    await flag.running();
    expect(await p.run(1, { name: 'double' }).catch((e) => e.code)).toBe(
      'PERF_CONCURRENCY_QUEUE_FULL',
    );
    flag.release();
    expect(await blocker).toBe('released');
    expect(await p.run(2, { name: 'double' })).toBe(4);
  });

  it('a full queue rejects with QUEUE_FULL', async () => {
    const p = pool({ threads: 1, pipeline: 1, maxQueue: 2 });
    const flag = spinFlag();
    const blocker = p.run(flag.buffer, { name: 'spinUntil' });
    await flag.running();
    const a = p.run(1, { name: 'double' });
    const b = p.run(2, { name: 'double' });
    const error = await p.run(3, { name: 'double' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'PERF_CONCURRENCY_QUEUE_FULL', maxQueue: 2 });
    expect(p.queued).toBe(2);
    flag.release();
    expect(await Promise.all([blocker, a, b])).toEqual(['released', 2, 4]);
  });

  it('close() while busy refuses new tasks, drains the queued ones, then stops the threads', async () => {
    const p = pool({ threads: 1, pipeline: 1 });
    const flag = spinFlag();
    const blocker = p.run(flag.buffer, { name: 'spinUntil' });
    await flag.running();
    const queued = [1, 2].map((x) => p.run(x, { name: 'double' }));
    const closing = p.close();
    expect(await p.run(1).catch((e) => e.code)).toBe('PERF_CONCURRENCY_POOL_CLOSED');
    flag.release();
    expect(await Promise.all([blocker, ...queued])).toEqual(['released', 2, 4]);
    await closing;
    expect(p.threads).toBe(0);
    expect(p.close()).toBe(closing);
  });

  it('destroy() while busy rejects queued and running tasks with POOL_CLOSED', async () => {
    const p = pool({ threads: 1, pipeline: 1 });
    const flag = spinFlag();
    const running = p.run(flag.buffer, { name: 'spinUntil' });
    await flag.running();
    const queued = p.run(1, { name: 'double' });
    const outcomes = Promise.allSettled([running, queued]);
    await p.destroy();
    for (const r of await outcomes) {
      expect(r.status === 'rejected' && r.reason).toMatchObject({
        code: 'PERF_CONCURRENCY_POOL_CLOSED',
      });
    }
    expect(p.threads).toBe(0);
  });

  it('idle threads exit after idleTimeout and come back on demand', async () => {
    const p = pool({ threads: 2, idleTimeout: 20 });
    await Promise.all([1, 2, 3, 4].map((x) => p.run(x, { name: 'double' })));
    expect(p.threads).toBeGreaterThan(0);
    await until(() => p.threads === 0);
    expect(await p.run(4, { name: 'double' })).toBe(8);
  });
});

describe('WorkerPool: bad options', () => {
  it('throws TypeError/RangeError at construction and for a task without a module', () => {
    expect(() => new WorkerPool({ threads: 0 })).toThrow(RangeError);
    expect(() => new WorkerPool({ pipeline: 1.5 })).toThrow(TypeError);
    expect(() => new WorkerPool({ ringBytes: 1000 })).toThrow(RangeError);
    expect(() => new WorkerPool({ idleTimeout: -1 })).toThrow(TypeError);
    expect(() => new WorkerPool({ module: 'relative/path.mjs' })).toThrow(TypeError);
    expect(() => new WorkerPool().run(1)).toThrow(TypeError);
  });
});

describe('WorkerPool: cooperative cancellation of a running task', () => {
  // Each task below sets word 1 of its flag when it runs and word 2 when it has returned.
  const flagOf = () => {
    const buffer = new SharedArrayBuffer(12);
    const words = new Int32Array(buffer);
    return { buffer, words, returned: () => Atomics.load(words, 2) };
  };

  it('a polling task sees signal.aborted, returns, and its thread takes the next task', async () => {
    const terminated: unknown[] = [];
    const p = pool({ threads: 1, abortGrace: 60_000, onTaskTerminated: (e) => terminated.push(e) });
    const before = await p.run(0, { name: 'whoAmI' });
    const own = flagOf();
    const controller = new AbortController();
    const running = p.run(own.buffer, { name: 'spinUntilAborted', signal: controller.signal });
    const behind = p.run(4, { name: 'double' });
    await until(() => Atomics.load(own.words, 1) === 1);
    controller.abort(new Error('stop'));
    const error = await running.catch((e) => e);
    expect(error).toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED', name: 'AbortError' });
    expect((error as Error).cause).toEqual(new Error('stop'));
    expect(await behind).toBe(8);
    await until(() => own.returned() === 1);
    expect(await p.run(0, { name: 'whoAmI' })).toBe(before); // same thread: not terminated
    expect(terminated).toEqual([]);
  });

  it('throwIfAborted() throws an AbortError in the task', async () => {
    const p = pool({ threads: 1, abortGrace: 60_000 });
    const before = await p.run(0, { name: 'whoAmI' });
    const own = flagOf();
    const controller = new AbortController();
    const running = p.run(own.buffer, { name: 'spinThrowIfAborted', signal: controller.signal });
    await until(() => Atomics.load(own.words, 1) === 1);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    await until(() => own.returned() !== 0);
    expect(own.returned()).toBe(1); // it caught a DOMException named AbortError
    expect(await p.run(0, { name: 'whoAmI' })).toBe(before);
  });

  it("an awaiting task's signal fires 'abort', so a timer given the signal rejects", async () => {
    const p = pool({ threads: 1, abortGrace: 60_000 });
    const before = await p.run(0, { name: 'whoAmI' });
    const own = flagOf();
    const controller = new AbortController();
    const running = p.run(own.buffer, { name: 'sleepWithSignal', signal: controller.signal });
    await until(() => Atomics.load(own.words, 1) === 1);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    await until(() => own.returned() !== 0);
    expect(own.returned()).toBe(1);
    expect(await p.run(0, { name: 'whoAmI' })).toBe(before);
  });

  it('a task that is not aborted sees a live AbortSignal', async () => {
    const p = pool({ threads: 1 });
    expect(await p.run(0, { name: 'signalState' })).toEqual({ aborted: false, isSignal: true });
    const controller = new AbortController();
    expect(await p.run(0, { name: 'signalState', signal: controller.signal })).toEqual({
      aborted: false,
      isSignal: true,
    });
  });

  it('an abort aimed at one task never reaches the next task on the same thread', async () => {
    const p = pool({ threads: 1, pipeline: 4, abortGrace: 60_000 });
    const own = flagOf();
    const controller = new AbortController();
    const first = p.run(own.buffer, { name: 'spinUntilAborted', signal: controller.signal });
    const next = p.run(0, { name: 'signalState' });
    await until(() => Atomics.load(own.words, 1) === 1);
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    expect(await next).toEqual({ aborted: false, isSignal: true });
  });
});
