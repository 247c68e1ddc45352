import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { placement } from './support/placement.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./support/placement.ts', import.meta.url));

async function inChild(seed: number): Promise<Record<string, string[]>> {
  // Different V8 random and string-hash seeds per process: nothing may depend on them.
  const { stdout } = await run(
    process.execPath,
    [`--random-seed=${seed}`, `--hash-seed=${seed}`, '--import', 'tsx', script],
    { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  return JSON.parse(stdout);
}

describe('placement is the same in every process', () => {
  // Two child processes that load TypeScript through tsx: seconds each when the CPU is shared.
  it('two separate processes and this one agree on every key-based strategy', {
    timeout: 120_000,
  }, async () => {
    const [a, b] = await Promise.all([inChild(1), inChild(987654321)]);
    const here = placement(false);
    expect(a).toEqual(here);
    expect(b).toEqual(here);
    // And the run is not trivially constant.
    expect(new Set(here.maglev).size).toBe(24);
  });
});
