// Seeded request streams for the policy tests (the bench has its own, larger generators).

import { mulberry32, zipf } from '@perf/internal';

/** The seeded PRNG of the streams (mulberry32, uniform in [0, 1)). */
export const random = mulberry32;

/** `length` requests over `keys` keys with Zipf(s) popularity (rank 0 most popular). */
export function zipfStream(length: number, keys: number, s: number, seed: number): Int32Array {
  const rand = random(seed);
  const rank = zipf(keys, s, rand);
  // Popularity ranks are shuffled over the key space, so hashing sees no order.
  const perm = Int32Array.from({ length: keys }, (_, i) => i);
  for (let i = keys - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = perm[rank()]!;
  return out;
}

/**
 * A recency-only stream: each request re-reads one of the `depth` most recent distinct keys,
 * chosen with probability decaying geometrically with its recency rank (mean `mean`), or
 * with probability `fresh` asks for a key never seen before. What was used recently is what
 * is used next; there is no popularity beyond recency, so LRU is the natural policy.
 */
export function recencyStream(
  length: number,
  mean: number,
  fresh: number,
  seed: number,
): Int32Array {
  const rand = random(seed);
  const out = new Int32Array(length);
  // Recency stack of the most recent keys (index 0 = most recent); small, so arrays suffice.
  const depth = Math.ceil(mean * 8);
  const stack: number[] = [];
  let next = 0;
  for (let i = 0; i < length; i++) {
    let key: number;
    if (stack.length === 0 || rand() < fresh) key = next++;
    else {
      const rank = Math.min(stack.length - 1, Math.floor(-Math.log(1 - rand()) * mean));
      key = stack[rank]!;
      stack.splice(rank, 1);
    }
    stack.unshift(key);
    if (stack.length > depth) stack.pop();
    out[i] = key;
  }
  return out;
}

/** Hit rate of a cache-aside replay: get, and set on a miss. */
export function hitRate(
  cache: { get(key: number): unknown; set(key: number, value: number): unknown },
  stream: Int32Array,
): number {
  let hits = 0;
  for (let i = 0; i < stream.length; i++) {
    const key = stream[i]!;
    if (cache.get(key) !== undefined) hits++;
    else cache.set(key, key);
  }
  return hits / stream.length;
}
