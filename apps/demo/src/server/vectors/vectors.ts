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
import { createSimd, type Simd, topK } from '@perf/simd';
import type { RangeSearcher, VectorIndex } from '../types.js';
import { ParallelSearch } from './parallel-search.js';

const INITIAL_ROWS = 1024;

export class Vectors implements VectorIndex {
  readonly dim: number;
  readonly #store: LsmStore;
  readonly #parallelMin: number;
  readonly #simd: Simd;
  #parallel: RangeSearcher | undefined;
  #matrix: Float32Array;
  #rows = 0;
  #ids: string[] = [];
  readonly #rowOf = new Map<string, number>();
  #scores = new Float64Array(INITIAL_ROWS);
  #top = new Int32Array(16);
  /** Searches on other threads still reading rows; a grown-out matrix is freed only at 0. */
  #searching = 0;
  #retired: Float32Array[] = [];

  private constructor(store: LsmStore, dim: number, parallelMin: number) {
    this.#store = store;
    this.dim = dim;
    this.#parallelMin = parallelMin;
    // Our own instance, so its shared memory can be handed to the search threads.
    this.#simd = createSimd();
    this.#matrix = this.#simd.alloc(Float32Array, INITIAL_ROWS * dim);
  }

  /**
   * Opens the index. Searches over `parallelMin` rows or more run on worker threads (when the
   * wasm backend is in use: the threads need its shared memory).
   */
  static async open(dir: string, dim: number, parallelMin: number): Promise<Vectors> {
    const store = await LsmStore.open(dir, { sync: true });
    const v = new Vectors(store, dim, parallelMin);
    const memory = v.#simd.memory;
    if (memory) v.#parallel = new ParallelSearch(memory, { splitMin: parallelMin * 4 });
    const dec = new TextDecoder();
    for await (const [k, bytes] of store.iterator({})) {
      if (bytes.byteLength !== dim * 4) continue; // written with another --vector-dim
      // Copy: the store hands back Buffers that are views into a larger (pooled) block, so
      // `bytes.buffer` is not this row; and a Float32Array needs a 4-aligned offset anyway.
      const row = new Float32Array(dim);
      new Uint8Array(row.buffer).set(bytes);
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
      this.#searching++;
      let hits: { row: number; score: number }[];
      try {
        hits = await this.#parallel.search(view, rows, this.dim, query, k);
      } finally {
        if (--this.#searching === 0) this.#freeRetired();
      }
      return hits.map((h) => ({ id: this.#ids[h.row]!, score: h.score }));
    }
    if (this.#scores.length < rows) this.#scores = new Float64Array(this.#matrix.length / this.dim);
    if (this.#top.length < k) this.#top = new Int32Array(k);
    const scores = this.#simd.dotMany(view, query, this.#scores.subarray(0, rows));
    const best = topK(scores, k, this.#top);
    return Array.from(best, (row) => ({ id: this.#ids[row]!, score: scores[row]! }));
  }

  async close(): Promise<void> {
    await this.#parallel?.close();
    this.#simd.free(this.#matrix);
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
    const bigger = this.#simd.alloc(Float32Array, this.#matrix.length * 2);
    bigger.set(this.#matrix);
    this.#retired.push(this.#matrix);
    this.#matrix = bigger;
    if (this.#searching === 0) this.#freeRetired();
  }

  #freeRetired(): void {
    for (const m of this.#retired) this.#simd.free(m);
    this.#retired = [];
  }
}
