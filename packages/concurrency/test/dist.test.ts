// The built package as a consumer meets it: dist/index.js imported as ESM and dist/index.cjs
// required as CJS, each in a fresh Node process, each starting real pool workers from the eval'd
// worker script of that build. The root `pnpm test` builds before testing; run `npx tsup` first
// when running this file alone. Without a build the suite is skipped locally, but fails in CI
// (CI set): there a missing dist/ means the build step is broken, and a skip would hide it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const built = existsSync(dist('index.js')) && existsSync(dist('index.cjs'));

const body = `
  const pool = new WorkerPool({ threads: 2 });
  const inc = 'data:text/javascript,export default (x) => x + 1; export const boom = () => { throw new RangeError("no") };';
  const out = [await pool.run(41, { module: inc })];
  out.push(await pool.run(0, { module: inc, name: 'boom' }).catch((e) => e.code + ':' + e.cause.name));
  const spin = 'data:text/javascript,export default (b, { signal }) => { Atomics.store(new Int32Array(b), 0, 1); while (!signal.aborted) {} return 0; };';
  const word = new Int32Array(new SharedArrayBuffer(4));
  const controller = new AbortController();
  const spinning = pool.run(word.buffer, { module: spin, signal: controller.signal }).catch((e) => e.code);
  while (Atomics.load(word, 0) === 0) await new Promise((r) => setTimeout(r, 1));
  controller.abort();
  out.push(await spinning);
  const a = Float64Array.from({ length: 100000 }, (_, i) => (i * 7919) % 100003);
  out.push((await parMap(a, (x) => x * 2, { pool }))[1]);
  const sorted = await parSort(a.slice(), { pool });
  out.push(sorted.every((x, i) => i === 0 || sorted[i - 1] <= x));
  await pool.close();
  console.log(JSON.stringify(out));
`;
const expected = [
  42,
  'PERF_CONCURRENCY_TASK_FAILED:RangeError',
  'PERF_CONCURRENCY_ABORTED',
  15838,
  true,
];

describe.skipIf(!built && !process.env.CI)('the built package (dist/)', () => {
  it('exists: dist/index.js and dist/index.cjs were built', () => {
    expect(built, `no build in ${dist('')}: run the build before the tests`).toBe(true);
  });

  it('runs pool tasks and parallel kernels from the ESM build', () => {
    const script = `import { WorkerPool, parMap, parSort } from ${JSON.stringify(dist('index.js'))};\n${body}`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it('runs pool tasks and parallel kernels from the CJS build', () => {
    const script = `const { WorkerPool, parMap, parSort } = require(${JSON.stringify(dist('index.cjs'))});\n(async () => {${body}})();`;
    const stdout = execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual(expected);
  });
});
