import type { Entry } from '../types.js';

const enc = new TextEncoder();

/** One sorted run to merge, and whether it stopped early (more entries follow its last). */
export interface Run {
  entries: Entry[];
  more: boolean;
}

/**
 * K-way merge of per-shard (or per-node) sorted runs, by UTF-8 byte order (the store's key
 * order). A run that stopped early says nothing about keys past its last one, so the merge
 * stops at the smallest such last key (largest, in reverse): everything returned is complete
 * up to there, and `more` tells the caller to continue after the last key returned.
 */
export function mergeRuns(runs: Run[], reverse: boolean, limit: number): Run {
  if (runs.length === 1) {
    const only = runs[0]!;
    return only.entries.length > limit
      ? { entries: only.entries.slice(0, limit), more: false }
      : only;
  }
  const sign = reverse ? -1 : 1;
  const keyed = runs.map((r) => r.entries.map((e) => ({ e, b: enc.encode(e[0]) })));
  let bound: Uint8Array | undefined;
  let cut = false;
  runs.forEach((r, i) => {
    const last = keyed[i]![keyed[i]!.length - 1];
    if (!r.more || last === undefined) return;
    cut = true;
    if (bound === undefined || sign * Buffer.compare(last.b, bound) < 0) bound = last.b;
  });
  const pos = runs.map(() => 0);
  const out: Entry[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let i = 0; i < keyed.length; i++) {
      const cand = keyed[i]![pos[i]!];
      if (!cand) continue;
      if (best < 0 || sign * Buffer.compare(cand.b, keyed[best]![pos[best]!]!.b) < 0) best = i;
    }
    if (best < 0) break;
    const next = keyed[best]![pos[best]!]!;
    if (bound !== undefined && sign * Buffer.compare(next.b, bound) > 0) break;
    out.push(next.e);
    pos[best]!++;
  }
  return { entries: out, more: cut && out.length < limit };
}
