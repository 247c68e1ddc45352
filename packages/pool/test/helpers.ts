/** Fuzz/property runs: modest by default so the suite stays fast; raise with PERF_FUZZ_RUNS. */
export const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 100);

/** The error `f` throws; fails the test when it returns normally. */
export function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
