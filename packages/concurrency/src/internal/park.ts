// Spin-then-park waiting on an Int32 word of shared memory.
//
// Waking a thread parked in Atomics.wait costs 30–70 µs on an idle 2-core machine (futex wake
// plus rescheduling), while a store becomes visible to a spinning reader in well under 1 µs. So a
// waiter first re-reads the word SPIN_LOADS times and only then parks. Before parking it raises a
// waiter count that the other side reads after every publish: notify (a futex syscall) is paid
// only when somebody really sleeps. The count is raised *before* the final Atomics.wait, which
// re-checks the word atomically, and the publisher stores the word *before* reading the count —
// both sequentially consistent — so a wake-up cannot be lost (Dekker's pattern).

/**
 * How many times a waiter re-reads the word before parking. Chosen, not tuned: 2^12 loads is a
 * few microseconds, a small fraction of one park/wake cycle (30–70 µs on an idle 2-core
 * machine). Tune it with the "Round trips" table of bench/rings.bench.ts on free cores: on a
 * machine with more runnable threads than cores, spinning only steals the other side's CPU.
 */
export const SPIN_LOADS = 4096;

type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };

// ES2024 `Atomics.waitAsync` (in Node since 16) is not in the ES2023 lib this repo compiles with.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number, t?: number): WaitAsyncResult;
  }
).waitAsync;

/** Milliseconds left until `deadline` (a `performance.now()` time); Infinity stays Infinity. */
export const remaining = (deadline: number): number => deadline - performance.now();

/** Deadline for a wait of `timeout` ms starting now. */
export const deadlineOf = (timeout: number): number =>
  timeout === Number.POSITIVE_INFINITY ? timeout : performance.now() + timeout;

/**
 * Blocks until `words[index] !== value` or `deadline` passes (false). `words[waiters]` counts
 * sleepers so publishers know when to call `Atomics.notify(words, index)`.
 */
export function waitForChange(
  words: Int32Array,
  index: number,
  value: number,
  waiters: number,
  deadline: number,
): boolean {
  for (let i = 0; i < SPIN_LOADS; i++) if (Atomics.load(words, index) !== value) return true;
  const left = remaining(deadline);
  if (left <= 0) return false;
  Atomics.add(words, waiters, 1);
  const r = Atomics.wait(words, index, value, left);
  Atomics.sub(words, waiters, 1);
  return r !== 'timed-out';
}

/** The `Atomics.waitAsync` form of {@link waitForChange}: never blocks the event loop. */
export async function waitForChangeAsync(
  words: Int32Array,
  index: number,
  value: number,
  waiters: number,
  deadline: number,
): Promise<boolean> {
  const left = remaining(deadline);
  if (left <= 0) return Atomics.load(words, index) !== value;
  Atomics.add(words, waiters, 1);
  const r = waitAsync(words, index, value, left);
  const outcome = r.async ? await r.value : r.value;
  Atomics.sub(words, waiters, 1);
  return outcome !== 'timed-out';
}

/** Wakes sleepers on `words[index]` if `words[waiters]` says there are any. */
export function notifyIfWaiting(words: Int32Array, index: number, waiters: number): void {
  if (Atomics.load(words, waiters) !== 0) Atomics.notify(words, index);
}

export { waitAsync };

/**
 * Calls `attempt` until it returns something other than `undefined`, sleeping between tries
 * until `words[index]` moves (spin, then `Atomics.wait`). `undefined` once `timeout` ms pass.
 */
export function retryBlocking<T>(
  attempt: () => T | undefined,
  words: Int32Array,
  index: number,
  waiters: number,
  timeout: number,
): T | undefined {
  const deadline = deadlineOf(timeout);
  for (;;) {
    const seen = Atomics.load(words, index);
    const result = attempt();
    if (result !== undefined) return result;
    if (!waitForChange(words, index, seen, waiters, deadline)) return attempt();
  }
}

/** {@link retryBlocking} with `Atomics.waitAsync`: the event loop keeps running meanwhile. */
export async function retryAsync<T>(
  attempt: () => T | undefined,
  words: Int32Array,
  index: number,
  waiters: number,
  timeout: number,
): Promise<T | undefined> {
  const deadline = deadlineOf(timeout);
  for (;;) {
    const seen = Atomics.load(words, index);
    const result = attempt();
    if (result !== undefined) return result;
    if (!(await waitForChangeAsync(words, index, seen, waiters, deadline))) return attempt();
  }
}
