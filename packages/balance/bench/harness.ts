// The few helpers every suite of this bench shares: median-of-batches timing with a sink
// against dead-code elimination, and markdown tables.
import { cpus } from 'node:os';

/** Every measured loop folds its results in here, so V8 cannot drop the work. */
export let sink = 0;

export function consume(x: number): void {
  sink = (sink + x) | 0;
}

/** One measured operation: `batch(i)` performs `ops` operations on the i-th slice of input. */
export interface Case {
  name: string;
  batch: (i: number) => number;
  ops: number;
}

/**
 * Runs every case once per round, `rounds` times, after a warm-up round, and returns each
 * case's median CPU ns per operation. CPU time (`process.cpuUsage`), not wall time: on a
 * shared 2-core machine with a load of 15+ wall time mostly measures how long we were
 * descheduled. Interleaving the cases makes what noise is left (cache and SMT contention) fall
 * on all of them alike; a median of batches ignores GC pauses.
 */
export function compare(cases: Case[], rounds: number): Map<string, number> {
  const times = cases.map(() => [] as number[]);
  for (let round = -1; round < rounds; round++) {
    cases.forEach((c, k) => {
      const t = process.cpuUsage();
      // Each batch gets its own input slice, so no case runs on keys a previous case left hot.
      consume(c.batch((round + 1) * cases.length + k));
      const used = process.cpuUsage(t);
      if (round >= 0) times[k]!.push(((used.user + used.system) * 1e3) / c.ops);
    });
  }
  return new Map(
    cases.map((c, k) => {
      const sorted = times[k]!.sort((a, b) => a - b);
      return [c.name, sorted[sorted.length >> 1]!];
    }),
  );
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function machine(): string {
  const cpu = cpus();
  return `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}`;
}

export const fixed = (x: number, digits = 3) => x.toFixed(digits);
