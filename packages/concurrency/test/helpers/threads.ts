// Runs a TypeScript fixture in a real worker thread through @perf/internal's worker runner, so
// the worker runs the very sources under test (src/), not dist/.
import { startWorker } from '@perf/internal';

/** Starts `fixture` (a file in test/fixtures) in a worker; resolves with its first message. */
export function runFixture<T>(fixture: string, workerData: unknown): Promise<T> {
  const worker = startWorker(new URL(`../fixtures/${fixture}`, import.meta.url), { workerData });
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (m: T) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fixture ${fixture} exited with ${code}`)));
  });
}
