/**
 * Vector search on worker threads. Each lane is a one-thread @perf/concurrency WorkerPool; all
 * lanes open the same shared wasm memory as the index, so a task carries only offsets and the
 * query.
 *
 * - A large collection is split into one row range per lane; each lane returns its top k and
 *   the main thread merges them.
 * - A small search is stateless work that any lane can do: @perf/balance's PowerOfTwoChoices
 *   (Envoy's least-request) sends it to the less busy of two random lanes, so a short search
 *   does not queue behind a long one.
 */
import os from 'node:os';
import { PowerOfTwoChoices } from '@perf/balance';
import { WorkerPool } from '@perf/concurrency';
import type { WasmMemory } from '@perf/simd';
import type { SearchTask } from './search-task.js';
import type { RangeSearcher } from '../types.js';

type Hits = { rows: number[]; scores: number[] };

export class ParallelSearch implements RangeSearcher {
  readonly #memory: WasmMemory;
  readonly #lanes: WorkerPool[];
  readonly #p2c: PowerOfTwoChoices;
  /** Collections at least this large are split over every lane; smaller go to one lane. */
  readonly #splitMin: number;

  constructor(memory: WasmMemory, opts: { lanes?: number; splitMin: number }) {
    this.#memory = memory;
    const n = Math.max(1, opts.lanes ?? os.availableParallelism());
    const module = new URL('./search-task.js', import.meta.url);
    this.#lanes = Array.from(
      { length: n },
      () => new WorkerPool({ module, threads: 1, idleTimeout: Number.POSITIVE_INFINITY }),
    );
    this.#p2c = new PowerOfTwoChoices(this.#lanes.map((_, i) => String(i)));
    this.#splitMin = opts.splitMin;
  }

  async search(
    matrix: Float32Array,
    rows: number,
    dim: number,
    query: Float32Array,
    k: number,
  ): Promise<{ row: number; score: number }[]> {
    const base = { memory: this.#memory, offset: matrix.byteOffset, dim, query, k };
    if (rows < this.#splitMin || this.#lanes.length === 1) {
      const handle = this.#p2c.pick();
      try {
        return flatten(
          [
            await this.#lanes[Number(handle.node)]!.run<Hits>({
              ...base,
              start: 0,
              end: rows,
            } satisfies SearchTask),
          ],
          k,
        );
      } finally {
        handle.release();
      }
    }
    const per = Math.ceil(rows / this.#lanes.length);
    const parts = await Promise.all(
      this.#lanes.map((lane, i) => {
        const start = i * per;
        const end = Math.min(rows, start + per);
        return start < end
          ? lane.run<Hits>({ ...base, start, end } satisfies SearchTask)
          : { rows: [], scores: [] };
      }),
    );
    return flatten(parts, k);
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((l) => l.close()));
  }
}

/** Merges per-lane top-k lists into the overall top k (ties: lower row first, as topK does). */
function flatten(parts: Hits[], k: number): { row: number; score: number }[] {
  const all = parts.flatMap((p) => p.rows.map((row, i) => ({ row, score: p.scores[i]! })));
  all.sort((a, b) => b.score - a.score || a.row - b.row);
  return all.slice(0, k);
}
