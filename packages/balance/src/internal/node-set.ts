import { DuplicateNodeError, EmptyBalancerError, NoAvailableNodeError } from '../errors.js';
import type { BalancerOptions, NodeInfo, NodeInput, NodeState } from '../types.js';
import * as check from './validate.js';

const DEFAULT_CONSECUTIVE_FAILURES = 5;
const DEFAULT_BASE_EJECTION_MS = 30_000;
const DEFAULT_MAX_EJECTION_MS = 300_000;
const DEFAULT_MAX_EJECTION_PERCENT = 10;
const INITIAL_CAPACITY = 8;

/**
 * The membership and health of a balancer's nodes, shared by every strategy.
 *
 * Nodes live in *slots*: indices into parallel typed arrays that never move while the node is
 * in the set, so a strategy's own per-slot arrays (in-flight counts, costs) stay valid across
 * other nodes' removal. A removed slot goes on a free list and its generation is bumped, so a
 * `Handle` taken before the removal (it remembers slot and generation) is recognised as stale
 * and cannot decrement the count of whichever node reuses the slot.
 *
 *   slot:        0      1      2      3
 *   ids:       ["a",  undefined, "c",  "d"]    free = [1]   order = [0, 2, 3] (insertion order)
 *   gen:        [1,    2,     1,     1]
 *   ok:         [1,    0,     0,     1]        "c" is down, ejected or has weight 0
 *
 * Invariant: `ok[s] === 1` exactly when slot `s` is live, its weight is > 0, it is not marked
 * down and not ejected; `usable` counts those slots. Strategies take their fast path (no health
 * checks at all) while `usable === order.length`.
 */
export class NodeSet {
  capacity = 0;
  ids: (string | undefined)[] = [];
  gen = new Uint32Array(0);
  weight = new Float64Array(0);
  down = new Uint8Array(0);
  /** Clock time the ejection ends; 0 = not ejected. */
  ejectedUntil = new Float64Array(0);
  failures = new Uint32Array(0);
  /** Ejections in a row: the back-off multiplier. */
  ejections = new Uint32Array(0);
  /** When the last ejection ended; a node that stays in for `baseEjection` resets `ejections`. */
  returnedAt = new Float64Array(0);
  ok = new Uint8Array(0);
  /** Live slots in insertion order. */
  order: number[] = [];
  readonly index = new Map<string, number>();
  readonly #free: number[] = [];
  #usable = new Int32Array(0);
  #usableVersion = -1;
  usable = 0;
  /** True while some live node is unusable, or none is live: the strategies' slow path. */
  degraded = true;
  /** Earliest `ejectedUntil` of an ejected node; `refresh` does nothing before it. */
  nextExpiry = Infinity;
  /** Bumped whenever membership, weights or health change. */
  version = 0;

  readonly now: () => number;
  readonly #threshold: number;
  readonly #baseEjection: number;
  readonly #maxEjection: number;
  readonly #maxEjectionPercent: number;

  constructor(options: BalancerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected options to be an object, got \`${String(options)}\``);
    }
    this.now = check.fn('now', options.now) ?? (() => performance.now());
    const h = options.health ?? {};
    this.#threshold = check.number(
      'health.consecutiveFailures',
      h.consecutiveFailures ?? DEFAULT_CONSECUTIVE_FAILURES,
      1,
    );
    this.#baseEjection = check.number(
      'health.baseEjectionTime',
      h.baseEjectionTime ?? DEFAULT_BASE_EJECTION_MS,
      0,
    );
    this.#maxEjection = check.number(
      'health.maxEjectionTime',
      h.maxEjectionTime ?? DEFAULT_MAX_EJECTION_MS,
      this.#baseEjection,
    );
    this.#maxEjectionPercent = check.number(
      'health.maxEjectionPercent',
      h.maxEjectionPercent ?? DEFAULT_MAX_EJECTION_PERCENT,
      0,
      100,
    );
  }

  get size(): number {
    return this.order.length;
  }

  /** Usable slots in insertion order; cached until the next change. Do not mutate. */
  usableSlots(): Int32Array<ArrayBuffer> {
    if (this.#usableVersion !== this.version) {
      this.#usable = Int32Array.from(this.order.filter((s) => this.ok[s] === 1));
      this.#usableVersion = this.version;
    }
    return this.#usable;
  }

  /**
   * Live slots sorted by id (code-unit order): what key-based strategies build their tables
   * from, so placement depends only on the set of ids, not on the order they were added in.
   */
  sortedSlots(): number[] {
    const ids = this.ids;
    return [...this.order].sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1));
  }

  slot(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** Adds a node; returns its slot. */
  add(input: NodeInput): number {
    const spec = typeof input === 'string' ? { id: input } : input;
    if (typeof spec !== 'object' || spec === null) check.id(spec);
    const id = check.id(spec.id);
    const weight = check.number(`weight of ${JSON.stringify(id)}`, spec.weight ?? 1, 0, 1e9);
    if (this.index.has(id)) throw new DuplicateNodeError(id);
    let s = this.#free.pop();
    if (s === undefined) {
      s = this.ids.length;
      if (s >= this.capacity) this.#grow(Math.max(INITIAL_CAPACITY, this.capacity * 2));
    }
    this.ids[s] = id;
    this.gen[s] = (this.gen[s]! + 1) >>> 0;
    this.weight[s] = weight;
    this.down[s] = 0;
    this.ejectedUntil[s] = 0;
    this.failures[s] = 0;
    this.ejections[s] = 0;
    this.returnedAt[s] = Number.NEGATIVE_INFINITY;
    this.index.set(id, s);
    this.order.push(s);
    this.#update(s);
    return s;
  }

  remove(id: string): boolean {
    const s = this.slot(id);
    if (s < 0) return false;
    this.index.delete(id);
    this.order.splice(this.order.indexOf(s), 1);
    this.ids[s] = undefined;
    this.gen[s] = (this.gen[s]! + 1) >>> 0;
    this.#update(s);
    this.#free.push(s);
    return true;
  }

  setWeight(id: string, weight: number): boolean {
    const s = this.slot(id);
    check.number('weight', weight, 0, 1e9);
    if (s < 0) return false;
    this.weight[s] = weight;
    this.#update(s);
    return true;
  }

  setDown(id: string, down: boolean): boolean {
    const s = this.slot(id);
    if (s < 0) return false;
    this.down[s] = down ? 1 : 0;
    if (!down) this.failures[s] = 0;
    this.#update(s);
    return true;
  }

  /**
   * Records a request's outcome for outlier ejection (Envoy's consecutive-failure detector).
   * Returns true when availability changed (the node was ejected, or expired ones returned).
   */
  record(s: number, ok: boolean): boolean {
    if (ok) {
      this.failures[s] = 0;
      return false;
    }
    const failures = ++this.failures[s]!;
    if (failures < this.#threshold) return false;
    // Expired ejections (this node's included) must not count or block a new one.
    const returned = this.refresh();
    if (this.ejectedUntil[s] !== 0 || !this.#mayEject()) return returned;
    const t = this.now();
    // The multiplier grows while a node keeps failing soon after it returns and resets once it
    // has stayed in for a whole base ejection time.
    if (t - this.returnedAt[s]! >= this.#baseEjection) this.ejections[s] = 0;
    const n = ++this.ejections[s]!;
    const until = t + Math.min(this.#baseEjection * n, this.#maxEjection);
    this.ejectedUntil[s] = until;
    this.failures[s] = 0;
    if (until < this.nextExpiry) this.nextExpiry = until;
    this.#update(s);
    return true;
  }

  /** Returns ejected nodes whose back-off has expired; true when any came back. */
  refresh(): boolean {
    if (this.nextExpiry === Infinity) return false;
    const t = this.now();
    if (t < this.nextExpiry) return false;
    let next = Infinity;
    for (const s of this.order) {
      const until = this.ejectedUntil[s]!;
      if (until === 0) continue;
      if (until <= t) {
        this.ejectedUntil[s] = 0;
        // The expiry time, not the time we noticed: back-off must not depend on who looked when.
        this.returnedAt[s] = until;
        this.#update(s);
      } else if (until < next) next = until;
    }
    this.nextExpiry = next;
    return true;
  }

  /** Throws the error that explains why no node can be picked. */
  fail(): never {
    if (this.order.length === 0) throw new EmptyBalancerError();
    let down = 0;
    let ejected = 0;
    let drained = 0;
    for (const s of this.order) {
      if (this.down[s]) down++;
      else if (this.ejectedUntil[s] !== 0) ejected++;
      else if (this.weight[s] === 0) drained++;
    }
    throw new NoAvailableNodeError(this.order.length, down, ejected, drained);
  }

  state(s: number): NodeState {
    if (this.down[s]) return 'down';
    return this.ejectedUntil[s] !== 0 ? 'ejected' : 'up';
  }

  info(): NodeInfo[] {
    return this.order.map((s) => ({
      id: this.ids[s]!,
      weight: this.weight[s]!,
      state: this.state(s),
      consecutiveFailures: this.failures[s]!,
      ejectedUntil: this.ejectedUntil[s]!,
    }));
  }

  #mayEject(): boolean {
    let ejected = 0;
    for (const s of this.order) if (this.ejectedUntil[s] !== 0) ejected++;
    return ejected < Math.max(1, Math.floor((this.order.length * this.#maxEjectionPercent) / 100));
  }

  #update(s: number): void {
    const ok =
      this.ids[s] !== undefined &&
      this.weight[s]! > 0 &&
      this.down[s] === 0 &&
      this.ejectedUntil[s] === 0
        ? 1
        : 0;
    this.usable += ok - this.ok[s]!;
    this.ok[s] = ok;
    this.degraded = this.usable === 0 || this.usable !== this.order.length;
    this.version++;
  }

  #grow(capacity: number): void {
    this.capacity = capacity;
    this.gen = grow(this.gen, capacity);
    this.weight = grow(this.weight, capacity);
    this.down = grow(this.down, capacity);
    this.ejectedUntil = grow(this.ejectedUntil, capacity);
    this.failures = grow(this.failures, capacity);
    this.ejections = grow(this.ejections, capacity);
    this.returnedAt = grow(this.returnedAt, capacity);
    this.ok = grow(this.ok, capacity);
  }
}

type Typed = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** A copy of `array` with room for `capacity` elements (new ones zero). */
export function grow<T extends Typed>(array: T, capacity: number): T {
  if (array.length >= capacity) return array;
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array as never);
  return next;
}
