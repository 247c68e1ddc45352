import type { Handle, Outcome } from '../types.js';

/** How a lease hands itself back to its balancer; one closure per balancer, not per pick. */
export type Settle = (lease: Lease, outcome: Outcome | undefined) => void;

/**
 * The `Handle` of stateful strategies. It remembers the slot and the slot's generation at pick
 * time, so releasing it after its node was removed (and the slot reused) touches no count.
 * Dropping `#settle` on the first release is what makes release idempotent.
 */
export class Lease implements Handle {
  readonly node: string;
  /** @internal */
  readonly slot: number;
  /** @internal */
  readonly gen: number;
  /** @internal Clock time of the pick, for latency when the caller does not give one. */
  readonly start: number;
  #settle: Settle | null;

  constructor(settle: Settle, node: string, slot: number, gen: number, start: number) {
    this.#settle = settle;
    this.node = node;
    this.slot = slot;
    this.gen = gen;
    this.start = start;
  }

  release(outcome?: Outcome): boolean {
    const settle = this.#settle;
    if (settle === null) return false;
    this.#settle = null;
    settle(this, outcome);
    return true;
  }
}
