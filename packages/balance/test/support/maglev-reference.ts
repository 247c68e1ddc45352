import { murmur3, murmur3Pair } from '@perf/internal';

/**
 * Maglev's population as the first version of src/maglev.ts wrote it (paper's Algorithm 1 with
 * Envoy's weighted turns, doubles and a per-build sort): the oracle the optimised, incremental
 * build must match entry for entry. Returns the id owning each entry (`undefined` when no node
 * has weight > 0).
 */
export function referenceTable(
  nodes: Map<string, number>,
  size: number,
  seed: number,
): (string | undefined)[] {
  const live = [...nodes].filter(([, w]) => w > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  const n = live.length;
  const table: (string | undefined)[] = new Array(size).fill(undefined);
  if (n === 0) return table;
  const next = new Float64Array(n);
  const skip = new Float64Array(n);
  const turns = new Float64Array(n);
  const share = new Float64Array(n);
  const lanes = new Uint32Array(2);
  let maxWeight = 0;
  for (const [, w] of live) maxWeight = Math.max(maxWeight, w);
  live.forEach(([id, w], i) => {
    murmur3Pair(id, seed, lanes);
    next[i] = lanes[0]! % size;
    skip[i] = (lanes[1]! % (size - 1)) + 1;
    share[i] = w / maxWeight;
  });
  let filled = 0;
  for (let round = 1; filled < size; round++) {
    for (let i = 0; i < n && filled < size; i++) {
      if (turns[i]! >= round * share[i]!) continue;
      let c = next[i]!;
      while (table[c] !== undefined) {
        c += skip[i]!;
        if (c >= size) c -= size;
      }
      table[c] = live[i]![0];
      c += skip[i]!;
      next[i] = c >= size ? c - size : c;
      turns[i]!++;
      filled++;
    }
  }
  return table;
}

/**
 * One key per table entry: `keys[e]` is a key that `Maglev` (seed `seed`) looks up at entry e,
 * so picking every one of them reads the whole table through the public API.
 */
export function keyPerEntry(size: number, seed: number): string[] {
  const keys: (string | undefined)[] = new Array(size).fill(undefined);
  let missing = size;
  for (let j = 0; missing > 0; j++) {
    const k = `k${j}`;
    const e = murmur3(k, seed) % size;
    if (keys[e] === undefined) {
      keys[e] = k;
      missing--;
    }
  }
  return keys as string[];
}
