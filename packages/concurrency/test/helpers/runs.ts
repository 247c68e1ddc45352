/** fast-check runs per property: modest by default so the suite stays fast on a loaded 2-core box. */
export const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 60);
