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
 *
 * The last claims are the dear ones: with F entries free a scan reads about M/F entries, and
 * the last 256 claims made 36–49 % of all probes (counted at 10, 100 and 1000 nodes). So once
 * only `late(M)` entries are free, a node finds its next entry by looking at the free entries
 * instead of at its permutation: the first free entry its scan would meet is the one at the
 * fewest steps `d` from its cursor, d = (e − cursor) · skip⁻¹ mod M. One such pass reads the F
 * free entries (an evaluation costs about as much as 4 probes, measured), so it wins once
 * M/F > 4F, i.e. F < √(M/4): 128 at M = 65537 (a sweep of 32…512 at 10, 100 and 1000 nodes
 * was fastest at 128–256). Same claims in the same order, so the same table.
 */

/** Entry → slot during a fill; shared by every table (a fill is synchronous), grown on demand. */
let scratch = new Int32Array(0);
/** The late phase's free entries (`freeList[0, free)`), and each one's index in it. */
let freeList = new Int32Array(0);
let where = new Int32Array(0);
/** Per node: skip⁻¹ mod M, computed on the node's first late claim (0 = not yet). */
let inverses = new Float64Array(0);
/** Where the first phase stopped: the round, and the next node to take its turn. */
let resumeRound = 1;
let resumeNode = 0;

/** How many free entries are left when the late phase starts (see the file's comment). */
function late(M: number): number {
  return Math.max(1, Math.floor(Math.sqrt(M / 4)));
}

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
  if (scratch.length < size) {
    scratch = new Int32Array(size);
    freeList = new Int32Array(size);
    where = new Int32Array(size);
  }
  if (inverses.length < n) inverses = new Float64Array(Math.max(n, inverses.length * 2));
  const owner = scratch.subarray(0, size).fill(-1);
  const stop = Math.max(0, size - late(size));
  resumeRound = 1;
  resumeNode = 0;
  if (share === null) fillEqual(owner, size, n, next, step, slots, stop);
  else fillWeighted(owner, size, n, next, step, slots, share, turns.fill(0, 0, n), stop);
  finish(owner, size, n, next, step, slots, share, turns, stop);
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
  stop: number,
): void {
  if (stop === 0) return;
  let filled = 0;
  for (let round = 1; ; round++) {
    for (let i = 0; i < n; i++) {
      claim(owner, M, next, step, slots, i);
      if (++filled === stop) {
        resumeRound = round;
        resumeNode = i + 1;
        return;
      }
    }
  }
}

/**
 * Node `i`'s claim in the first phase: the first free entry along its permutation from its
 * cursor, and the cursor moved one step past it. Small enough that V8 inlines it into both
 * loops (timed: no slower than the body written out in each).
 */
function claim(
  owner: Int32Array,
  M: number,
  next: Int32Array,
  step: Int32Array,
  slots: Int32Array,
  i: number,
): void {
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
  stop: number,
): void {
  if (stop === 0) return;
  let filled = 0;
  for (let round = 1; ; round++) {
    for (let i = 0; i < n; i++) {
      if (turns[i]! >= round * share[i]!) continue;
      claim(owner, M, next, step, slots, i);
      turns[i]!++;
      if (++filled === stop) {
        resumeRound = round;
        resumeNode = i + 1;
        return;
      }
    }
  }
}

/**
 * The late phase: the same turns from where the first phase stopped, each claim taking the
 * free entry nearest to the node's cursor along its permutation (what its scan would reach
 * first), found by one pass over the free entries.
 */
function finish(
  owner: Int32Array,
  M: number,
  n: number,
  next: Int32Array,
  step: Int32Array,
  slots: Int32Array,
  share: Float64Array | null,
  turns: Float64Array,
  filled: number,
): void {
  let free = 0;
  for (let e = 0; e < M; e++) {
    if (owner[e] !== -1) continue;
    where[e] = free;
    freeList[free++] = e;
  }
  inverses.fill(0, 0, n);
  const invM = 1 / M;
  for (let round = resumeRound, i = resumeNode; ; round++, i = 0) {
    for (; i < n; i++) {
      if (share !== null && turns[i]! >= round * share[i]!) continue;
      let inv = inverses[i]!;
      if (inv === 0) inv = inverses[i] = inverse(step[i]!, M);
      const c = next[i]!;
      let nearest = M;
      let e = -1;
      for (let x = 0; x < free; x++) {
        const f = freeList[x]!;
        let d = f - c;
        d += M & (d >> 31);
        // (d · inv) mod M in doubles: the product is below M² ≤ 2^52, so it and q·M are exact;
        // the quotient's rounding is off by at most one either way.
        const p = d * inv;
        let r = p - Math.floor(p * invM) * M;
        if (r < 0) r += M;
        else if (r >= M) r -= M;
        if (r < nearest) {
          nearest = r;
          e = f;
        }
      }
      owner[e] = slots[i]!;
      const k = where[e]!;
      const last = freeList[--free]!;
      freeList[k] = last;
      where[last] = k;
      const after = e + step[i]! - M;
      next[i] = after + (M & (after >> 31));
      if (share !== null) turns[i]!++;
      if (++filled === M) return;
    }
  }
}

/** a⁻¹ mod m for a prime m and 0 < a < m (extended Euclid). */
function inverse(a: number, m: number): number {
  let t = 0;
  let nt = 1;
  let r = m;
  let nr = a;
  while (nr !== 0) {
    const q = Math.floor(r / nr);
    const t2 = t - q * nt;
    t = nt;
    nt = t2;
    const r2 = r - q * nr;
    r = nr;
    nr = r2;
  }
  return t < 0 ? t + m : t;
}
