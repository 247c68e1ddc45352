import { randomBytes } from 'node:crypto';

/** Compressible, JSON-like bytes of exactly `n` bytes (deterministic). */
export function jsonBytes(n: number): Buffer {
  const rows: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const row = JSON.stringify({
      id: i,
      name: `user-${i}`,
      active: i % 3 === 0,
      score: (i * 7) % 101,
    });
    rows.push(row);
    len += row.length + 1;
  }
  return Buffer.from(rows.join(',')).subarray(0, n);
}

/** Incompressible bytes. */
export function randomData(n: number): Buffer {
  return randomBytes(n);
}

/** Runs for property tests: modest by default, raise with PERF_FUZZ_RUNS. */
export const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 60);

export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? `untyped: ${String(err)}`;
  }
  return undefined;
}
