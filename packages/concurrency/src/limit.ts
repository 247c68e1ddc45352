import Denque from 'denque';
import { AbortError } from './errors.js';
import { fn as checkFn, integer } from './internal/validate.js';
import type { Limit } from './types.js';

/** A call waiting for (or holding) a slot. */
interface Call {
  readonly task: (...args: unknown[]) => unknown;
  readonly args: unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

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
  const queue = new Denque<Call>();

  const done = () => {
    active--;
    drain();
  };
  const start = (call: Call) => {
    active++;
    let result: unknown;
    try {
      result = call.task(...call.args);
    } catch (error) {
      call.reject(error);
      done();
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        call.resolve(value);
        done();
      },
      (error: unknown) => {
        call.reject(error);
        done();
      },
    );
  };
  const drain = () => {
    while (active < max && queue.length > 0) start(queue.shift()!);
  };

  const limiter = ((
    task: (...args: unknown[]) => unknown,
    ...args: unknown[]
  ): Promise<unknown> => {
    checkFn('fn', task);
    return new Promise<unknown>((resolve, reject) => {
      const call: Call = { task, args, resolve, reject };
      if (active < max) start(call);
      else queue.push(call);
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
    for (let call = queue.shift(); call !== undefined; call = queue.shift()) {
      call.reject(new AbortError('The queued call was discarded by clearQueue()'));
    }
  };
  limiter.map = <T, R>(
    items: Iterable<T>,
    mapper: (item: T, index: number) => R | PromiseLike<R>,
  ) => Promise.all(Array.from(items, (item, index) => limiter(mapper, item, index)));
  return limiter;
}
