/**
 * One step of nginx's smooth weighted round robin (ngx_http_upstream_get_peer, 2012): add each
 * slot's weight to its `current`, take the slot with the largest `current` (the first on ties)
 * and subtract the total weight from it. Weights {a: 5, b: 1, c: 1} give a a b a c a a, never a
 * burst of five a's. `current` is indexed by slot, so it survives other slots joining and
 * leaving. Returns the chosen slot; `slots` must not be empty.
 */
export function smoothPick(slots: Int32Array, weight: Float64Array, current: Float64Array): number {
  let best = -1;
  let bestCurrent = Number.NEGATIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    const w = weight[s]!;
    const c = current[s]! + w;
    current[s] = c;
    total += w;
    if (c > bestCurrent) {
      bestCurrent = c;
      best = s;
    }
  }
  current[best] = bestCurrent - total;
  return best;
}

/** A `ramp` callback for strategies that read the effective weights directly. */
export function unchanged(_s: number): void {}
