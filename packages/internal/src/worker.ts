/**
 * One way to start a worker thread from a module file, in all three places a package runs:
 *
 * - built ESM (`dist/index.js`): the worker is the `.js` file tsup emits next to it;
 * - built CJS (`dist/index.cjs`): the `.cjs` file next to it (tsup's `shims` supply
 *   `import.meta.url`, which `packageBuild()` turns on);
 * - TypeScript source, under vitest or tsx: the `.ts` file, loaded in the worker through tsx's
 *   `tsImport`, because a worker does not inherit the parent's loader on Node 20 (`--import tsx`
 *   in a worker's `execArgv` is not honoured).
 *
 * The source branch is removed from every build: `packageBuild()` defines `__PERF_DIST__` as
 * `true`, and the bundler drops the dead code, so shipped code never resolves tsx. Run from
 * source, this module is plain TypeScript and the identifier is undefined.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

declare const __PERF_DIST__: boolean | undefined;

/** True in a built package (dist), false when running from TypeScript sources. */
export const FROM_DIST: boolean = typeof __PERF_DIST__ !== 'undefined';

/**
 * The URL of the worker module `name` (no extension) beside the calling module, with the
 * extension the caller itself has: `.ts` from source, `.js` from ESM dist, `.cjs` from CJS dist.
 * In a package, give the worker its own tsup entry so it lands next to `dist/index.*`, and keep
 * its source next to the caller.
 * @param here - The caller's `import.meta.url`.
 * @param name - The worker file's name without extension, relative to `here` (`'./x-worker'`).
 */
export function workerFile(here: string, name: string): URL {
  const ext = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : '.js';
  return new URL(`${name}${ext}`, here);
}

/**
 * Starts a worker thread running `file` (a `.js`, `.mjs`, `.cjs`, or, from source only, `.ts`
 * module). Options are Node's own `WorkerOptions` (`workerData`, `transferList`,
 * `resourceLimits`…); `eval` is set by this function for TypeScript files.
 */
export function startWorker(file: URL, options: WorkerOptions = {}): Worker {
  // `typeof __PERF_DIST__` written out here (not FROM_DIST), so the build folds it to a constant.
  if (typeof __PERF_DIST__ === 'undefined' && /\.[mc]?ts$/.test(file.pathname)) {
    return startTsWorker(file, options);
  }
  return new Worker(file, options);
}

function startTsWorker(file: URL, options: WorkerOptions): Worker {
  // Resolved from the worker file, so the tsx of the package under test is used; by hand from
  // its package.json, because require.resolve would pick the CommonJS build of the API.
  const pkgFile = createRequire(fileURLToPath(file)).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default);
  const href = JSON.stringify(file.href);
  const boot = `import(${JSON.stringify(pathToFileURL(api).href)}).then((api) => api.tsImport(${href}, ${href}))`;
  return new Worker(boot, { ...options, eval: true });
}
