/**
 * The vector index behind `POST /vectors/search`: float32 rows stored contiguously in the
 * @perf/simd module's (shared) WebAssembly memory, so the `dotMany` kernel reads them in place,
 * and `topK` picks the best rows with a k-element heap. Rows persist in their own @perf/lsm
 * store (`<data-dir>/vectors`) and are loaded back at start.
 *
 *   matrix (wasm memory):  | row 0: dim × f32 | row 1 | … | row n-1 | (spare capacity) |
 *   ids[i] ↔ row i;  rowOf: id → i  (an upsert of a known id overwrites its row in place)
 */
import { LsmStore } from '@perf/lsm';
import { alloc, dotMany, free, topK } from '@perf/simd';
import type { VectorIndex } from './routes.js';

const INITIAL_ROWS = 1024;

/** Searches a row range on other threads; set when the index is large (see parallel-search.ts). */
export interface RangeSearcher {
  search(
    matrix: Float32Array,
    rows: number,
    dim: number,
    query: Float32Array,
    k: number,
  ): Promise<{ row: number; score: number }[]>;
  close(): Promise<void>;
}

export class Vectors implements VectorIndex {
  readonly dim: number;
  readonly #store: LsmStore;
  readonly #parallelMin: number;
  #parallel: RangeSearcher | undefined;
  #matrix: Float32Array;
  #rows = 0;
  #ids: string[] = [];
  readonly #rowOf = new Map<string, number>();
  #scores = new Float64Array(INITIAL_ROWS);
  #top = new Int32Array(16);

  private constructor(store: LsmStore, dim: number, parallelMin: number) {
    this.#store = store;
    this.dim = dim;
    this.#parallelMin = parallelMin;
    this.#matrix = alloc(Float32Array, INITIAL_ROWS * dim);
  }

  static async open(
    dir: string,
    dim: number,
    parallelMin: number,
    parallel?: RangeSearcher,
  ): Promise<Vectors> {
    const store = await LsmStore.open(dir, { sync: true });
    const v = new Vectors(store, dim, parallelMin);
    v.#parallel = parallel;
    const dec = new TextDecoder();
    for await (const [k, bytes] of store.iterator({})) {
      if (bytes.byteLength !== dim * 4) continue; // written with another --vector-dim
      const row = new Float32Array(bytes.slice().buffer);
      v.#place(typeof k === 'string' ? k : dec.decode(k), row);
    }
    return v;
  }

  get size(): number {
    return this.#rows;
  }

  async upsert(items: readonly [string, Float32Array][]): Promise<void> {
    await this.#store.batch(
      items.map(([id, row]) => ({
        type: 'put' as const,
        key: id,
        value: new Uint8Array(row.buffer, row.byteOffset, row.byteLength),
      })),
    );
    for (const [id, row] of items) this.#place(id, row);
  }

  async search(query: Float32Array, k: number): Promise<{ id: string; score: number }[]> {
    const rows = this.#rows;
    if (rows === 0) return [];
    const view = this.#matrix.subarray(0, rows * this.dim);
    if (this.#parallel && rows >= this.#parallelMin) {
      const hits = await this.#parallel.search(view, rows, this.dim, query, k);
      return hits.map((h) => ({ id: this.#ids[h.row]!, score: h.score }));
    }
    if (this.#scores.length < rows) this.#scores = new Float64Array(this.#matrix.length / this.dim);
    if (this.#top.length < k) this.#top = new Int32Array(k);
    const scores = dotMany(view, query, this.#scores.subarray(0, rows));
    const best = topK(scores, k, this.#top);
    return Array.from(best, (row) => ({ id: this.#ids[row]!, score: scores[row]! }));
  }

  async close(): Promise<void> {
    await this.#parallel?.close();
    free(this.#matrix);
    await this.#store.close();
  }

  #place(id: string, row: Float32Array): void {
    let r = this.#rowOf.get(id);
    if (r === undefined) {
      r = this.#rows++;
      if (this.#rows * this.dim > this.#matrix.length) this.#grow();
      this.#rowOf.set(id, r);
      this.#ids[r] = id;
    }
    this.#matrix.set(row, r * this.dim);
  }

  #grow(): void {
    const bigger = alloc(Float32Array, this.#matrix.length * 2);
    bigger.set(this.#matrix);
    free(this.#matrix);
    this.#matrix = bigger;
  }
}
