import { expected } from '@perf/internal';
import { Balancer } from './balancer.js';
import { Lease, type Settle } from './internal/lease.js';
import { grow } from './internal/node-set.js';
import type { BalancerOptions, Handle, Key, Outcome } from './types.js';

/**
 * A strategy that tracks requests in flight: `pick` returns a `Handle` whose node counts as busy
 * until `release`. The count lives in a per-slot typed array; a handle carries its slot and the
 * slot's generation, so release is O(1), happens at most once, and after the node's removal
 * touches nothing.
 */
export abstract class StatefulBalancer extends Balancer<Handle> {
  /** @internal In-flight requests per slot. */
  protected active = new Int32Array(0);
  /** @internal Whether handles read the clock at pick time (only latency-aware strategies). */
  protected readonly timed: boolean = false;
  readonly #settle: Settle;

  constructor(options: BalancerOptions | undefined) {
    super(options);
    this.#settle = (lease, outcome) => this.#release(lease, outcome);
  }

  /** Chooses a node and counts a request on it until the handle is released. */
  override pick(key?: Key): Handle {
    const s = this.choose(key);
    this.active[s]!++;
    this.acquired(s);
    const set = this.set;
    return new Lease(this.#settle, set.ids[s]!, s, set.gen[s]!, this.timed ? set.now() : 0);
  }

  /** Requests in flight on a node (picked and not yet released); 0 for an unknown id. */
  inFlight(id: string): number {
    const s = this.set.slot(id);
    return s < 0 ? 0 : this.active[s]!;
  }

  /** @internal The slot to send the next request to (throws when none is available). */
  protected abstract choose(key: Key | undefined): number;

  /** @internal `active[s]` was just incremented. */
  protected acquired(_s: number): void {}

  /**
   * @internal `active[s]` was just decremented; `latency` is in ms, `t` the clock at release
   * (0 unless `timed`).
   */
  protected released(_s: number, _ok: boolean, _latency: number, _t: number): void {}

  protected override reset(s: number): void {
    if (s >= this.active.length) this.active = grow(this.active, this.set.capacity);
    this.active[s] = 0;
  }

  #release(lease: Lease, outcome: Outcome | undefined): void {
    const set = this.set;
    const s = lease.slot;
    // A stale handle: its node was removed (and the slot maybe reused) since the pick.
    if (set.gen[s] !== lease.gen) return;
    this.active[s]!--;
    const ok = outcome?.ok !== false;
    const t = this.timed ? set.now() : 0;
    let latency = outcome?.latency;
    if (latency === undefined) latency = t - lease.start;
    else if (typeof latency !== 'number' || !(latency >= 0)) {
      this.released(s, ok, 0, t);
      throw new TypeError(expected('latency', 'a number from 0 and up', latency));
    }
    this.released(s, ok, latency, t);
    if (set.record(s, ok)) this.healthChanged();
  }
}
