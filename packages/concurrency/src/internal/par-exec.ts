// placeholder, replaced below
export function runParallel(job: unknown): unknown {
  return job;
}
