import { fileURLToPath } from 'node:url';

/** Absolute path of the plain-JS task module the pool tests run. */
export const TASKS = fileURLToPath(new URL('../fixtures/tasks.mjs', import.meta.url));

/** A flag word a `spinUntil` task watches: release() lets it return; running() waits for it. */
export function spinFlag() {
  const buffer = new SharedArrayBuffer(8);
  const words = new Int32Array(buffer);
  return {
    buffer,
    release: () => Atomics.store(words, 0, 1),
    /** Resolves once the task is really executing on its thread. */
    running: async () => {
      while (Atomics.load(words, 1) === 0) {
        const r = (
          Atomics as unknown as {
            waitAsync: (
              a: Int32Array,
              i: number,
              v: number,
              t: number,
            ) => { async: boolean; value: Promise<string> | string };
          }
        ).waitAsync(words, 1, 0, 1000);
        if (r.async) await r.value;
      }
    },
  };
}

/** Polls `condition` every few ms (at most `ms`); for effects that happen on another thread. */
export async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
