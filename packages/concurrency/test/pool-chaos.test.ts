// Crash recovery under a random mix of tasks: every task settles exactly as it should — values
// for good ones, TASK_FAILED for throwing ones, WORKER_CRASHED only for the ones that killed
// their thread — whatever else was queued on that thread. Nothing is lost, nothing hangs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/index.js';
import { TASKS } from './helpers/pool.js';

const kind = fc.constantFrom('double', 'double', 'double', 'double', 'fail', 'crash', 'slowDouble');

describe('WorkerPool under crashes (property)', () => {
  it('settles every task with its own outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(kind, { minLength: 5, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        async (kinds, pipeline) => {
          const pool = new WorkerPool({ module: TASKS, threads: 2, pipeline });
          try {
            const outcomes = await Promise.allSettled(
              kinds.map((name, i) =>
                name === 'slowDouble'
                  ? pool.run({ x: i, ms: 1 }, { name })
                  : pool.run(name === 'crash' ? 3 : i, { name }),
              ),
            );
            outcomes.forEach((o, i) => {
              const name = kinds[i];
              if (name === 'double' || name === 'slowDouble')
                expect(o).toEqual({ status: 'fulfilled', value: i * 2 });
              else if (name === 'fail')
                expect(o.status === 'rejected' && o.reason.code).toBe(
                  'PERF_CONCURRENCY_TASK_FAILED',
                );
              else
                expect(o.status === 'rejected' && o.reason.code).toBe(
                  'PERF_CONCURRENCY_WORKER_CRASHED',
                );
            });
            expect(pool.running).toBe(0);
            expect(pool.queued).toBe(0);
          } finally {
            await pool.destroy();
          }
        },
      ),
      { numRuns: Number(process.env.PERF_FUZZ_RUNS ?? 4) },
    );
  }, 300_000); // each run starts threads and replaces crashed ones: seconds on a loaded machine
});
