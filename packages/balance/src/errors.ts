/**
 * Every operational error @perf/balance raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values.
 * All extend the one @perf error base, so `isPerfError(err, 'PERF_BALANCE_*')` from any @perf
 * package recognises them.
 */
import { isPerfError, PerfError } from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the operational errors of @perf/balance. `code` is stable across versions and
 * is what callers should branch on; data lives in fields, not in the message.
 */
export class BalanceError extends PerfError {
  /** True for any @perf/balance error, even one from a duplicate install of the package. */
  static is(value: unknown): value is BalanceError {
    return isPerfError(value, 'PERF_BALANCE_*');
  }
}

/**
 * Thrown by `pick` when the balancer has no nodes at all. Code `PERF_BALANCE_EMPTY`.
 */
export class EmptyBalancerError extends BalanceError {
  constructor() {
    super('PERF_BALANCE_EMPTY', 'The balancer has no nodes');
  }
}

/**
 * Thrown by `pick` when nodes exist but none can take traffic: every node is marked down,
 * ejected (with the panic threshold off, or not reached), has weight 0 or (for `BoundedLoad`)
 * is unusable. Code `PERF_BALANCE_UNAVAILABLE`.
 */
export class NoAvailableNodeError extends BalanceError {
  /** Nodes in the set. */
  readonly total: number;
  /** Nodes marked down by the operator. */
  readonly down: number;
  /** Nodes ejected by outlier detection. */
  readonly ejected: number;
  /** Nodes with weight 0. */
  readonly drained: number;

  constructor(total: number, down: number, ejected: number, drained: number) {
    super(
      'PERF_BALANCE_UNAVAILABLE',
      `None of the ${total} nodes is available (${down} down, ${ejected} ejected, ${drained} with weight 0)`,
    );
    this.total = total;
    this.down = down;
    this.ejected = ejected;
    this.drained = drained;
  }
}

/**
 * Thrown by the constructor or `add` when a node id is already in the set (ids must be unique:
 * they are what keys hash to). Code `PERF_BALANCE_DUPLICATE_NODE`.
 */
export class DuplicateNodeError extends BalanceError {
  /** The id that was given twice. */
  readonly id: string;

  constructor(id: string) {
    super('PERF_BALANCE_DUPLICATE_NODE', `Node ${JSON.stringify(id)} is already in the set`);
    this.id = id;
  }
}
