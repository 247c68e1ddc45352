import type { Entry } from '../types.js';

const enc = new TextEncoder();

/** K-way merge of per-shard (or per-node) sorted runs, by UTF-8 byte order (the store's key order). */
export function mergeSorted(parts: Entry[][], reverse: boolean, limit: number): Entry[] {
  if (parts.length === 1) return parts[0]!.slice(0, limit);
  const keyed = parts.map((p) => p.map((e) => ({ e, b: enc.encode(e[0]) })));
  const pos = parts.map(() => 0);
  const out: Entry[] = [];
  const sign = reverse ? -1 : 1;
  while (out.length < limit) {
    let best = -1;
    for (let i = 0; i < keyed.length; i++) {
      const cand = keyed[i]![pos[i]!];
      if (!cand) continue;
      if (best < 0 || sign * Buffer.compare(cand.b, keyed[best]![pos[best]!]!.b) < 0) best = i;
    }
    if (best < 0) break;
    out.push(keyed[best]![pos[best]!++]!.e);
  }
  return out;
}
