import { show } from './internal/validate.js';

/**
 * Indices of the `k` largest `scores`, best first: ties go to the lower index, and NaN ranks
 * below every number. O(n log k) with a k-element min-heap kept in the result array itself,
 * so passing `out` (length ≥ k) makes the call allocation-free. Returns `out.subarray(0, k')`
 * where k' = min(k, scores.length), or a new Int32Array.
 *
 * Meant for the output of `dotMany`: nearest vectors by dot product.
 */
export function topK(scores: Float64Array | Float32Array, k: number, out?: Int32Array): Int32Array {
  if (!(scores instanceof Float64Array || scores instanceof Float32Array)) {
    throw new TypeError(
      `Expected \`scores\` to be a Float64Array or Float32Array, got ${show(scores)}`,
    );
  }
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 0) {
    throw new TypeError(`Expected \`k\` to be an integer from 0 and up, got ${show(k)}`);
  }
  const m = Math.min(k, scores.length);
  if (out !== undefined) {
    if (!(out instanceof Int32Array)) {
      throw new TypeError(`Expected \`out\` to be an Int32Array, got ${show(out)}`);
    }
    if (out.length < m) {
      throw new RangeError(`Expected \`out\` to hold at least ${m} elements, got ${out.length}`);
    }
  }
  const heap = (out ?? new Int32Array(m)).subarray(0, m);
  if (m === 0) return heap;
  // heap[0] is the worst index kept; a new index enters only when it beats it.
  for (let i = 0; i < m; i++) {
    heap[i] = i;
    siftUp(scores, heap, i);
  }
  for (let i = m; i < scores.length; i++) {
    if (better(scores, i, heap[0]!)) {
      heap[0] = i;
      siftDown(scores, heap, 0, m);
    }
  }
  // Heap sort: moving the worst to the end leaves the array best-first.
  for (let end = m - 1; end > 0; end--) {
    const worst = heap[0]!;
    heap[0] = heap[end]!;
    heap[end] = worst;
    siftDown(scores, heap, 0, end);
  }
  return heap;
}

/** Whether index i ranks above index j. */
function better(s: Float64Array | Float32Array, i: number, j: number): boolean {
  const a = s[i]!;
  const b = s[j]!;
  if (a > b) return true;
  if (a < b) return false;
  const aNaN = Number.isNaN(a);
  if (aNaN !== Number.isNaN(b)) return !aNaN; // a number beats NaN
  return i < j;
}

function siftUp(s: Float64Array | Float32Array, heap: Int32Array, at: number): void {
  const x = heap[at]!;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    const p = heap[parent]!;
    if (!better(s, p, x)) break; // parent must be the worse one
    heap[at] = p;
    at = parent;
  }
  heap[at] = x;
}

function siftDown(
  s: Float64Array | Float32Array,
  heap: Int32Array,
  at: number,
  size: number,
): void {
  const x = heap[at]!;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && better(s, heap[child]!, heap[child + 1]!)) child++;
    const c = heap[child]!;
    if (!better(s, x, c)) break;
    heap[at] = c;
    at = child;
  }
  heap[at] = x;
}
