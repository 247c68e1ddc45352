// Runs a TypeScript fixture in a real worker thread. Workers cannot load .ts sources, so the
// fixture is bundled with esbuild (already a root devDependency) into one CommonJS string and
// started with `eval: true` — the worker then runs the very source under test, not dist/.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const cache = new Map<string, string>();

function bundle(fixture: string): string {
  let code = cache.get(fixture);
  if (code === undefined) {
    const entry = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
    const out = buildSync({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
    });
    code = out.outputFiles[0]!.text;
    cache.set(fixture, code);
  }
  return code;
}

/** Starts `fixture` (a file in test/fixtures) in a worker; resolves with its first message. */
export function runFixture<T>(fixture: string, workerData: unknown): Promise<T> {
  const worker = new Worker(bundle(fixture), { eval: true, workerData });
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (m: T) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fixture ${fixture} exited with ${code}`)));
  });
}
