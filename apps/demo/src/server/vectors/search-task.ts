// A vector-search task, run on a @perf/concurrency worker thread (built to dist/search-task.js).
// The matrix lives in @perf/simd's shared WebAssembly memory: this thread opens the same memory
// and runs the dotMany kernel over its rows in place — no copy of the matrix crosses threads.
import { createSimd, type Simd, topK, type WasmMemory } from '@perf/simd';

export interface SearchTask {
  memory: WasmMemory;
  /** Byte offset of row 0 in the memory. */
  offset: number;
  dim: number;
  start: number;
  end: number;
  query: Float32Array;
  k: number;
}

let simd: Simd | undefined;
let scores = new Float64Array(0);
let best = new Int32Array(0);

export default function search(t: SearchTask): { rows: number[]; scores: number[] } {
  simd ??= createSimd({ memory: t.memory });
  const n = t.end - t.start;
  const rows = new Float32Array(t.memory.buffer, t.offset + t.start * t.dim * 4, n * t.dim);
  if (scores.length < n) scores = new Float64Array(n);
  if (best.length < t.k) best = new Int32Array(t.k);
  const s = simd.dotMany(rows, t.query, scores.subarray(0, n));
  const top = topK(s, t.k, best);
  return { rows: Array.from(top, (i) => i + t.start), scores: Array.from(top, (i) => s[i]!) };
}
