import Denque from 'denque';
import { AbortError } from './errors.js';
import { fn as checkFn, show } from './internal/validate.js';
import type { Limit, LimitedFunction, LimitOptions } from './types.js';

/**
 * What a discarded call's gate is opened with. Never leaves this module: the call's own
 * continuation turns it into an `AbortError` (or, without `rejectOnClear`, the gate is never
 * opened at all and the call stays pending, as in p-limit).
 */
const DISCARDED = Symbol('discarded');

/** Opens the gate of a queued call: `RUN` to start it, `DISCARDED` to reject it. */
type Gate = (signal: typeof RUN | typeof DISCARDED) => void;
const RUN = Symbol('run');

const RESOLVED = Promise.resolve();

function concurrencyOf(value: unknown): number {
  if (
    typeof value !== 'number' ||
    !(Number.isInteger(value) || value === Number.POSITIVE_INFINITY) ||
    value < 1
  ) {
    throw new TypeError(
      `Expected \`concurrency\` to be a number from 1 and up, got ${show(value)}`,
    );
  }
  return value;
}

/**
 * A concurrency limiter with p-limit 7's API and scheduling: `limit(fn, ...args)` runs `fn`
 * when fewer than `concurrency` calls are running and settles with its outcome.
 *
 * - `fn` always starts asynchronously (a microtask later), never inside the `limit()` call, and
 *   a call that gets a slot at once counts in `activeCount` immediately.
 * - `fn` runs in the async context (AsyncLocalStorage) of whoever called `limit()`, not of the
 *   call that freed its slot: a queued call waits on a gate promise whose continuation was
 *   attached in the caller's context, and opening the gate from elsewhere does not change that.
 * - `clearQueue()` discards the waiting calls; their promises stay pending unless
 *   `rejectOnClear: true`, which rejects them with an {@link AbortError}.
 *
 * @param options - calls allowed at once (an integer ≥ 1, or `Infinity`), or
 *   `{ concurrency, rejectOnClear }`.
 */
export function limit(options: number | LimitOptions): Limit {
  let max: number;
  let rejectOnClear = false;
  if (typeof options === 'object' && options !== null) {
    max = concurrencyOf(options.concurrency);
    if (options.rejectOnClear !== undefined) {
      if (typeof options.rejectOnClear !== 'boolean') {
        throw new TypeError(
          `Expected \`rejectOnClear\` to be a boolean, got ${show(options.rejectOnClear)}`,
        );
      }
      rejectOnClear = options.rejectOnClear;
    }
  } else max = concurrencyOf(options);
  let active = 0;
  /** Gates of the calls waiting for a slot, oldest first. */
  const queue = new Denque<Gate>();

  // A call's promise is `start.then(() => fn(...args)).then(fulfilled, rejected)`: the first
  // link runs fn asynchronously in the caller's context and turns a synchronous throw into a
  // rejection; the second frees the slot before anyone awaiting the call resumes. Both
  // handlers are shared by every call, so a call allocates one closure and two promises.
  const release = () => {
    active--;
    if (active < max && queue.length > 0) {
      active++;
      queue.shift()!(RUN);
    }
  };
  const fulfilled = (value: unknown) => {
    release();
    return value;
  };
  const rejected = (error: unknown) => {
    if (error === DISCARDED)
      throw new AbortError(undefined, 'The queued call was discarded by clearQueue()');
    release();
    throw error;
  };

  const limiter = ((fn: (...args: unknown[]) => unknown, ...args: unknown[]): Promise<unknown> => {
    checkFn('fn', fn);
    if (active < max) {
      active++;
      return RESOLVED.then(() => fn(...args)).then(fulfilled, rejected);
    }
    return new Promise<typeof RUN | typeof DISCARDED>((open) => {
      queue.push(open);
    })
      .then((signal) => {
        if (signal === DISCARDED) throw DISCARDED;
        return fn(...args);
      })
      .then(fulfilled, rejected);
  }) as Limit;

  const fill = () => {
    while (active < max && queue.length > 0) {
      active++;
      queue.shift()!(RUN);
    }
  };

  Object.defineProperties(limiter, {
    activeCount: { get: () => active },
    pendingCount: { get: () => queue.length },
    concurrency: {
      get: () => max,
      set: (value: number) => {
        max = concurrencyOf(value);
        fill();
      },
    },
    clearQueue: {
      value: () => {
        if (!rejectOnClear) {
          queue.clear();
          return;
        }
        for (let open = queue.shift(); open !== undefined; open = queue.shift()) open(DISCARDED);
      },
    },
    map: {
      value: <T, R>(items: Iterable<T>, mapper: (item: T, index: number) => R | PromiseLike<R>) => {
        const calls: Promise<R>[] = [];
        try {
          let index = 0;
          for (const item of items) calls.push(limiter(mapper, item, index++));
        } catch (error) {
          // The iterable threw: nobody will await the calls already scheduled, so observe them.
          for (const call of calls) call.catch(() => {});
          return Promise.reject(error);
        }
        return Promise.all(calls);
      },
    },
  });
  return limiter;
}

/**
 * `fn` wrapped in its own {@link limit}: at most `concurrency` calls of it run at once
 * (p-limit's `limitFunction`). The wrapper has the limiter's `clearQueue()`.
 */
export function limitFunction<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  options: number | LimitOptions,
): LimitedFunction<A, R> {
  checkFn('fn', fn);
  const limiter = limit(options);
  const limited = ((...args: A) => limiter(fn, ...args)) as LimitedFunction<A, R>;
  Object.defineProperty(limited, 'clearQueue', { value: limiter.clearQueue });
  return limited;
}
