import { Worker } from 'node:worker_threads';

/**
 * A worker running a TypeScript file through tsx's API, so worker fixtures import the package
 * source exactly as the tests do (no build step needed). `--import tsx` in a worker's execArgv
 * is not honoured on Node 20, hence the small eval bootstrap.
 */
export function tsWorker(file: URL, workerData: unknown): Worker {
  const boot = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)}))`;
  return new Worker(boot, { eval: true, workerData });
}
