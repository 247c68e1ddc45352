import { expected } from '@perf/internal';
import { NodeSet } from './internal/node-set.js';
import type { BalancerOptions, BalancerStats, Key, NodeInfo, NodeInput } from './types.js';

/**
 * What every strategy shares: a set of nodes with weights and health, and `pick`.
 *
 * Membership and weights change at any time (`add`, `remove`, `setWeight`), even between a
 * stateful strategy's `pick` and the handle's `release`. Health comes from the operator
 * (`markDown`/`markUp`) and from outlier ejection fed by `report` or by handles. Every strategy
 * skips unavailable nodes; when none is left `pick` throws `NoAvailableNodeError`
 * (`PERF_BALANCE_UNAVAILABLE`), and on an empty set `EmptyBalancerError` (`PERF_BALANCE_EMPTY`).
 *
 * @typeParam P - What `pick` returns: a node id, or a `Handle` for stateful strategies.
 */
export abstract class Balancer<P = string> {
  /** @internal */
  protected readonly set: NodeSet;

  constructor(options: BalancerOptions | undefined) {
    this.set = new NodeSet(options);
  }

  /**
   * Chooses a node. Key-based strategies require a key and map it to the same node in every
   * process; the others ignore it.
   */
  abstract pick(key?: Key): P;

  /** Number of nodes in the set (whatever their health). */
  get size(): number {
    return this.set.size;
  }

  /** Whether a node with this id is in the set. */
  has(id: string): boolean {
    return this.set.index.has(id);
  }

  /**
   * Adds a node. Throws `DuplicateNodeError` when the id is already there, and a `RangeError`
   * when the strategy cannot hold it (Maglev's table is full, a ring would exceed 2^24 points);
   * after a throw the balancer is exactly as before.
   */
  add(node: NodeInput): void {
    const s = this.set.add(node);
    this.reset(s);
    const id = this.set.ids[s]!;
    this.#rebuildOr(() => this.set.remove(id));
  }

  /** Removes a node; returns false when it was not there. Outstanding handles stay valid. */
  remove(id: string): boolean {
    if (!this.set.remove(id)) return false;
    this.rebuild();
    return true;
  }

  /**
   * Changes a node's weight (0 drains it); returns false for an unknown id. Like `add`, a weight
   * the strategy cannot hold throws a `RangeError` and changes nothing.
   */
  setWeight(id: string, weight: number): boolean {
    const s = this.set.slot(id);
    const before = s < 0 ? 0 : this.set.weight[s]!;
    if (!this.set.setWeight(id, weight)) return false;
    this.#rebuildOr(() => this.set.setWeight(id, before));
    return true;
  }

  /** Takes a node out of rotation until `markUp`; returns false for an unknown id. */
  markDown(id: string): boolean {
    return this.#health(this.set.setDown(id, true));
  }

  /** Puts a node marked down back in rotation; returns false for an unknown id. */
  markUp(id: string): boolean {
    return this.#health(this.set.setDown(id, false));
  }

  /**
   * Reports the outcome of a request sent to a node picked earlier, for outlier ejection:
   * `health.consecutiveFailures` failures in a row eject it for a growing back-off. Stateful
   * strategies get this from `Handle.release` instead. Unknown ids are ignored.
   */
  report(id: string, ok: boolean): void {
    const s = this.set.slot(id);
    if (s >= 0 && this.set.record(s, ok !== false)) this.healthChanged();
  }

  /**
   * Counters of the set's health: nodes usable, down, ejected, drained and warming up, and
   * whether the balancer is in panic (too few healthy nodes, so ejection is ignored).
   */
  stats(): BalancerStats {
    this.#recover();
    return this.set.stats();
  }

  /** A snapshot of every node, in insertion order. */
  nodes(): NodeInfo[] {
    this.#recover();
    return this.set.info();
  }

  /**
   * Called by `pick` when `set.degraded`: returns expired ejections, throws when no node is
   * usable, and tells whether the slow (health-checking) path is still needed.
   * @internal
   */
  protected recover(): boolean {
    this.#recover();
    if (this.set.usable === 0) this.set.fail();
    return this.set.degraded;
  }

  /** @internal Membership or weights changed: rebuild tables. Also the end of construction. */
  protected abstract rebuild(): void;

  /** @internal A node went down, came up, was ejected or returned. */
  protected healthChanged(): void {}

  /** @internal A node was placed in slot `s`: clear the strategy's per-slot state. */
  protected reset(_s: number): void {}

  /** @internal Adds the constructor's nodes; subclasses call it last in their constructor. */
  protected init(nodes: Iterable<NodeInput>): void {
    if (
      nodes === null ||
      typeof (nodes as Partial<Iterable<NodeInput>>)[Symbol.iterator] !== 'function'
    ) {
      throw new TypeError(expected('nodes', 'an iterable of node ids or specs', nodes));
    }
    // The constructor's nodes are the cluster as it is: they start warm (PeakEwma calls init
    // twice, the second time with the nodes).
    this.set.ready = false;
    for (const node of nodes) this.reset(this.set.add(node));
    // From now on a joining node is new to the cluster: slow start ramps it.
    this.set.ready = true;
    this.rebuild();
  }

  /** Rebuilds; if the strategy refuses the change, undoes it and rebuilds the old tables. */
  #rebuildOr(undo: () => void): void {
    try {
      this.rebuild();
    } catch (e) {
      undo();
      this.rebuild();
      throw e;
    }
  }

  #recover(): void {
    if (this.set.refresh()) this.healthChanged();
  }

  #health(changed: boolean): boolean {
    if (changed) this.healthChanged();
    return changed;
  }
}
