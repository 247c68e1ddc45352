// The default batch schedule of Loader, DataLoader's `enqueuePostPromiseJob`: after the
// current promise jobs, then `process.nextTick`, so loads issued from `.then` chains of the
// same tick still join the batch. Without `process.nextTick` (browsers) a macrotask:
// `setImmediate`, else `setTimeout`. Picked once, when the module loads.

type Defer = (fn: () => void) => unknown;

export interface Timers {
  nextTick: Defer | undefined | null;
  setImmediate: Defer | undefined | null;
  setTimeout: Defer;
}

export function postPromiseJob(timers: Timers): (fn: () => void) => void {
  const { nextTick, setImmediate } = timers;
  if (typeof nextTick === 'function') {
    const resolved = Promise.resolve();
    return (fn) => {
      resolved.then(() => nextTick(fn));
    };
  }
  if (typeof setImmediate === 'function') return (fn) => void setImmediate(fn);
  const setTimeout = timers.setTimeout;
  return (fn) => void setTimeout(fn);
}

export const enqueuePostPromiseJob = postPromiseJob({
  nextTick: typeof process === 'object' && process !== null ? process.nextTick : undefined,
  setImmediate: typeof setImmediate === 'function' ? setImmediate : undefined,
  setTimeout: (fn) => setTimeout(fn),
});
