/**
 * Maglev's table population (Eisenbud et al., NSDI 2016, §3.4, "Algorithm 1"), with Envoy's
 * weighted turns, over preallocated integer arrays.
 *
 * Node `i` (in id order) walks its own permutation of the M entries, `next[i], next[i] +
 * step[i], …  (mod M)`; in every round each node whose turn it is claims the first entry of its
 * permutation that no one holds yet. The order of claims is the whole algorithm: the same nodes
 * in the same id order give the same table in every process.
 *
 *   owner (M = 7, nodes a b c):   [ b | a | c | a | b | c | a ]    -1 = not claimed yet
 *
 * Cost: every probe is one read of `owner`. A fill makes 0.4–0.7 M probes at M = 65,537 (10
 * to 1000 nodes, counted), so the loop keeps everything a probe touches in int32 registers:
 * cursors and steps in `Int32Array`s (a double index is converted on every read) and the
 * wrap-around `c ≥ M ? c − M : c` as a mask, since whether a step wraps is a coin toss the
 * branch predictor loses (the branch made the fill 1.4–2.7× slower, measured). With
 * `node --cpu-prof` the fill was 90 % of a rebuild before, and is all of it now.
 */

/** Entry → slot during a fill; shared by every table (a fill is synchronous), grown on demand. */
let scratch = new Int32Array(0);

/**
 * Fills `out` (length `size`) with the slot owning each entry.
 * @param size - M, a prime larger than `n`.
 * @param n - Nodes taking part (weight > 0), in id order.
 * @param next - Per node: its permutation's first entry (`offset`); advanced in place.
 * @param step - Per node: its permutation's `skip`, in [1, M − 1].
 * @param slots - Per node: the value written to the entries it claims.
 * @param share - Per node: weight ÷ the largest weight, or `null` when all weights are equal.
 * @param turns - Per node: claims so far (zeroed here); unused when `share` is null.
 */
export function fill(
  out: Uint16Array | Uint32Array,
  size: number,
  n: number,
  next: Int32Array,
  step: Int32Array,
  slots: Int32Array,
  share: Float64Array | null,
  turns: Float64Array,
): void {
  if (scratch.length < size) scratch = new Int32Array(size);
  const owner = scratch.subarray(0, size).fill(-1);
  if (share === null) fillEqual(owner, size, n, next, step, slots);
  else fillWeighted(owner, size, n, next, step, slots, share, turns.fill(0, 0, n));
  // One native conversion instead of a store per probe into a Uint16Array | Uint32Array,
  // which would make the probe loop polymorphic.
  out.set(owner);
}

/** Equal weights: every node claims once per round, so no turn bookkeeping at all. */
function fillEqual(
  owner: Int32Array,
  M: number,
  n: number,
  next: Int32Array,
  step: Int32Array,
  slots: Int32Array,
): void {
  let filled = 0;
  for (;;) {
    for (let i = 0; i < n; i++) {
      // (c + s) mod M as c + (s − M), plus M if that is negative (c >> 31 is −1): four
      // dependent integer operations per probe, the loop's critical path.
      const back = step[i]! - M;
      let c = next[i]!;
      while (owner[c] !== -1) {
        c += back;
        c += M & (c >> 31);
      }
      owner[c] = slots[i]!;
      c += back;
      next[i] = c + (M & (c >> 31));
      if (++filled === M) return;
    }
  }
}

/**
 * Envoy's `MaglevTable` turns: in round r node i claims an entry while its claims trail
 * r × share[i] (floating point, exactly as Envoy and the earlier build of this package compute it).
 */
function fillWeighted(
  owner: Int32Array,
  M: number,
  n: number,
  next: Int32Array,
  step: Int32Array,
  slots: Int32Array,
  share: Float64Array,
  turns: Float64Array,
): void {
  let filled = 0;
  for (let round = 1; ; round++) {
    for (let i = 0; i < n; i++) {
      if (turns[i]! >= round * share[i]!) continue;
      const back = step[i]! - M;
      let c = next[i]!;
      while (owner[c] !== -1) {
        c += back;
        c += M & (c >> 31);
      }
      owner[c] = slots[i]!;
      c += back;
      next[i] = c + (M & (c >> 31));
      turns[i]!++;
      if (++filled === M) return;
    }
  }
}
