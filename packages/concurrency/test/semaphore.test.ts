import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Semaphore, SharedSemaphore } from '../src/index.js';
import { RUNS } from './helpers/runs.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('Semaphore', () => {
  it('grants permits in FIFO order and never exceeds them (model-based)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(0)), { maxLength: 60 }),
        async (permits, script) => {
          // positive n: a new waiter for min(n, permits) permits; 0: release the oldest holder
          const sem = new Semaphore(permits);
          const holders: number[] = [];
          const granted: number[] = [];
          const queue: { id: number; n: number }[] = [];
          let id = 0;
          for (const step of script) {
            if (step > 0) {
              const n = Math.min(step, permits);
              const me = id++;
              queue.push({ id: me, n });
              void sem.acquire({ permits: n }).then(() => {
                granted.push(me);
                holders.push(n);
              });
            } else if (holders.length > 0) {
              sem.release(holders.shift()!);
            }
            await tick();
            const used = holders.reduce((a, b) => a + b, 0);
            expect(used + sem.available).toBe(permits);
            expect(used).toBeLessThanOrEqual(permits);
          }
          // FIFO: grants happen in request order
          expect(granted).toEqual([...granted].sort((a, b) => a - b));
          expect(sem.waiting).toBe(queue.length - granted.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('using() releases even when the callback throws', async () => {
    const sem = new Semaphore(1);
    await expect(
      sem.using(() => {
        throw new Error('x');
      }),
    ).rejects.toThrow('x');
    expect(sem.available).toBe(1);
    expect(await sem.using(async () => 42)).toBe(42);
  });

  it('an aborted waiter rejects with PERF_CONCURRENCY_ABORTED and frees its place', async () => {
    const sem = new Semaphore(2);
    await sem.acquire({ permits: 2 });
    const controller = new AbortController();
    const big = sem.acquire({ permits: 2, signal: controller.signal });
    const small = sem.acquire();
    expect(sem.waiting).toBe(2);
    controller.abort(new Error('bye'));
    await expect(big).rejects.toMatchObject({
      code: 'PERF_CONCURRENCY_ABORTED',
      name: 'AbortError',
    });
    expect(sem.waiting).toBe(1);
    sem.release();
    await small;
    expect(sem.available).toBe(0);
    await expect(sem.acquire({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'PERF_CONCURRENCY_ABORTED',
    });
  });

  it('tryAcquire does not jump the queue', async () => {
    const sem = new Semaphore(2);
    expect(sem.tryAcquire(2)).toBe(true);
    const waiter = sem.acquire({ permits: 2 });
    sem.release(1);
    expect(sem.tryAcquire()).toBe(false); // one permit free, but the waiter is first
    sem.release(1);
    await waiter;
  });
});

describe('SharedSemaphore (single thread)', () => {
  it('counts permits, times out, and wakes an async waiter on release', async () => {
    const sem = new SharedSemaphore(1);
    expect(sem.tryAcquire()).toBe(true);
    expect(sem.tryAcquire()).toBe(false);
    expect(sem.acquireSync(5)).toBe(false);
    const waiter = sem.acquire();
    setTimeout(() => sem.release(), 5);
    await waiter;
    expect(sem.available).toBe(0);
    sem.release();
    expect(await SharedSemaphore.from(sem.buffer).using(() => 'in')).toBe('in');
    expect(sem.available).toBe(1);
  });

  it('acquire rejects with an AbortError when its signal aborts while waiting', async () => {
    const sem = new SharedSemaphore(1);
    sem.tryAcquire();
    const controller = new AbortController();
    const waiter = sem.acquire(controller.signal);
    controller.abort();
    await expect(waiter).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    sem.release();
    expect(sem.available).toBe(1);
  });
});
