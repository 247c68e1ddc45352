import Denque from 'denque';
import { AbortError } from './errors.js';
import { fn as checkFn, integer } from './internal/validate.js';
import type { Limit } from './types.js';

/**
 * A concurrency limiter with p-limit's call shape: `limit(fn, ...args)` runs `fn` when fewer
 * than `concurrency` calls are running and resolves with its result; `activeCount`,
 * `pendingCount`, `concurrency` (settable), `clearQueue()` and `map()` behave as in p-limit 7.
 * One difference: `clearQueue()` rejects the discarded calls with an `AbortError` instead of
 * leaving their promises pending forever.
 *
 * @param concurrency - calls allowed to run at once (integer ≥ 1).
 */
export function limit(concurrency: number): Limit {
  let max = integer('concurrency', concurrency, 1);
  let active = 0;
  const queue = new Denque<() => void>();
  const rejecters = new Denque<(error: unknown) => void>();

  const drain = () => {
    while (active < max && queue.length > 0) {
      rejecters.shift();
      queue.shift()!();
    }
  };

  const limiter = (<A extends unknown[], R>(
    task: (...args: A) => R | PromiseLike<R>,
    ...args: A
  ): Promise<R> => {
    checkFn('fn', task);
    return new Promise<R>((resolve, reject) => {
      const start = async () => {
        active++;
        try {
          resolve(await task(...args));
        } catch (error) {
          reject(error);
        } finally {
          active--;
          drain();
        }
      };
      if (active < max) void start();
      else {
        queue.push(() => void start());
        rejecters.push(reject);
      }
    });
  }) as Limit;

  Object.defineProperties(limiter, {
    activeCount: { get: () => active },
    pendingCount: { get: () => queue.length },
    concurrency: {
      get: () => max,
      set: (value: number) => {
        max = integer('concurrency', value, 1);
        drain();
      },
    },
  });
  limiter.clearQueue = () => {
    queue.clear();
    for (let reject = rejecters.shift(); reject !== undefined; reject = rejecters.shift()) {
      reject(new AbortError('The queued call was discarded by clearQueue()'));
    }
  };
  limiter.map = <T, R>(
    items: Iterable<T>,
    mapper: (item: T, index: number) => R | PromiseLike<R>,
  ) => Promise.all(Array.from(items, (item, index) => limiter(mapper, item, index)));
  return limiter;
}
