import { AbortError } from './errors.js';
import { fn as checkFn, integer } from './internal/validate.js';
import type { JoinAllOptions, JoinAllResult, MapConcurrentOptions } from './types.js';

/**
 * Maps `items` through `fn` with at most `concurrency` calls in flight; resolves with the results
 * in input order. On the first failure it stops starting new calls and rejects with that error
 * (calls already running are left to finish). Rejects with an `AbortError` if `options.signal`
 * aborts.
 */
export function mapConcurrent<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T, index: number) => R | PromiseLike<R>,
  options?: MapConcurrentOptions,
): Promise<R[]> {
  integer('concurrency', concurrency, 1);
  checkFn('fn', fn);
  const list = Array.from(items);
  const results = new Array<R>(list.length);
  const signal = options?.signal;
  return new Promise<R[]>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = () => fail(new AbortError(signal?.reason));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (list.length === 0) return resolve(results);
    const startNext = () => {
      const index = next++;
      Promise.resolve()
        .then(() => fn(list[index] as T, index))
        .then(
          (value) => {
            results[index] = value;
            if (failed) return;
            if (++done === list.length) {
              signal?.removeEventListener('abort', onAbort);
              resolve(results);
            } else if (next < list.length) startNext();
          },
          (error: unknown) => {
            if (!failed) fail(error);
          },
        );
    };
    for (let i = 0; i < concurrency && i < list.length; i++) startNext();
  });
}

/**
 * Waits for every task and collects both outcomes, like the seed's `join_all`: never rejects
 * because a task failed. Tasks are promises or functions returning values/promises; functions
 * are started at most `options.concurrency` at a time (all at once by default).
 */
export async function joinAll<T>(
  tasks: Iterable<PromiseLike<T> | (() => T | PromiseLike<T>)>,
  options?: JoinAllOptions,
): Promise<JoinAllResult<T>> {
  const list = Array.from(tasks);
  const concurrency = integer('concurrency', options?.concurrency ?? Math.max(1, list.length), 1);
  const results = new Array<PromiseSettledResult<T>>(list.length);
  await mapConcurrent(list, concurrency, async (task, index) => {
    try {
      const value = await (typeof task === 'function' ? task() : task);
      results[index] = { status: 'fulfilled', value };
    } catch (reason) {
      results[index] = { status: 'rejected', reason };
    }
  });
  const values: T[] = [];
  const errors: unknown[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') values.push(r.value);
    else errors.push(r.reason);
  }
  return { ok: errors.length === 0, results, values, errors };
}
