import { expected } from '@perf/internal';
import { DuplicateNodeError, EmptyBalancerError, NoAvailableNodeError } from '../errors.js';
import type {
  BalancerOptions,
  BalancerStats,
  NodeInfo,
  NodeInput,
  NodeState,
  RequestOptions,
} from '../types.js';
import * as check from './validate.js';

const DEFAULT_CONSECUTIVE_FAILURES = 5;
const DEFAULT_BASE_EJECTION_MS = 30_000;
const DEFAULT_MAX_EJECTION_MS = 300_000;
const DEFAULT_MAX_EJECTION_PERCENT = 10;
const DEFAULT_PANIC_THRESHOLD = 50;
const DEFAULT_AGGRESSION = 1;
const DEFAULT_MIN_WEIGHT_PERCENT = 10;
/** Envoy's floor of the slow-start time factor: one second, whatever the window. */
const SLOW_START_FLOOR_MS = 1000;
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
 * down, and it is not ejected or the set is in panic; `usable` counts those slots. Strategies
 * take their fast path (no health checks at all) while `usable === order.length` and there is no
 * panic.
 *
 * Panic (Envoy's healthy panic threshold): `eligible` counts live slots of weight > 0 not marked
 * down, `ejectedCount` those of them that are ejected. When fewer than `panicThreshold` % of
 * the eligible slots are not ejected, ejected slots count as usable again; flipping in or out
 * rewrites `ok` for every slot (rare, O(n)).
 *
 * Slow start: `effective[s] = weight[s] × factor[s]`, where `factor` is 1 for a warm node and
 * ramps from Envoy's formula for a node in `warming`. Strategies balance on `effective` and call
 * `ramp` (only while `warming` is non-empty) to bring the factors up to the clock.
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
  /** Weight after slow start: `weight × factor`. What request-level strategies balance on. */
  effective = new Float64Array(0);
  /** Slow-start multiplier in (0, 1]; 1 for a warm node. */
  factor = new Float64Array(0);
  /** Clock time the node joined or came back; what its ramp is measured from. */
  startedAt = new Float64Array(0);
  /** Slots whose factor is still below 1 (no duplicates: `#isWarming` guards). */
  readonly warming: number[] = [];
  #isWarming = new Uint8Array(0);
  /** Per slot: counted in `#eligible` / `#ejectedCount` (see the panic invariant). */
  #eligibleAt = new Uint8Array(0);
  #ejectedAt = new Uint8Array(0);
  #eligible = 0;
  #ejectedCount = 0;
  /** True while too few eligible nodes are healthy: ejected ones are used again. */
  panic = false;
  /** Times the set entered panic. */
  panics = 0;
  /** False while the constructor adds its nodes: they start warm, later ones ramp. */
  ready = false;
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
  readonly #panicThreshold: number;
  /** Slow-start window in ms; 0 = off. */
  readonly #window: number;
  readonly #inverseAggression: number;
  readonly #minFactor: number;

  constructor(options: BalancerOptions & RequestOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(expected('options', 'an object', options));
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
    this.#panicThreshold = check.number(
      'health.panicThreshold',
      h.panicThreshold ?? DEFAULT_PANIC_THRESHOLD,
      0,
      100,
    );
    const slow = options.slowStart;
    if (slow === undefined) {
      this.#window = 0;
      this.#inverseAggression = 1;
      this.#minFactor = 1;
    } else {
      if (typeof slow !== 'object' || slow === null) {
        throw new TypeError(expected('slowStart', 'an object', slow));
      }
      this.#window = check.number('slowStart.window', slow.window, Number.MIN_VALUE);
      const aggression = check.number(
        'slowStart.aggression',
        slow.aggression ?? DEFAULT_AGGRESSION,
        Number.MIN_VALUE,
      );
      this.#inverseAggression = 1 / aggression;
      this.#minFactor =
        check.number(
          'slowStart.minWeightPercent',
          slow.minWeightPercent ?? DEFAULT_MIN_WEIGHT_PERCENT,
          0,
          100,
        ) / 100;
    }
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
    this.factor[s] = 1;
    this.effective[s] = weight;
    this.#isWarming[s] = 0;
    this.index.set(id, s);
    this.order.push(s);
    if (this.ready) this.#warm(s, this.now());
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
    this.effective[s] = weight * this.factor[s]!;
    this.#update(s);
    return true;
  }

  setDown(id: string, down: boolean): boolean {
    const s = this.slot(id);
    if (s < 0) return false;
    if (!down && this.down[s] === 1) this.#warm(s, this.now());
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
        this.#warm(s, until);
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

  /**
   * Brings the slow-start factors up to clock time `t`: calls `changed(s)` for every warming
   * slot (its `effective` weight moved), and drops the ones whose window is over (factor 1).
   */
  ramp(t: number, changed: (s: number) => void): void {
    const warming = this.warming;
    let kept = 0;
    for (let i = 0; i < warming.length; i++) {
      const s = warming[i]!;
      if (this.ids[s] === undefined) {
        this.#isWarming[s] = 0;
        continue;
      }
      const f = this.#rampFactor(t - this.startedAt[s]!);
      this.factor[s] = f;
      this.effective[s] = this.weight[s]! * f;
      changed(s);
      if (f < 1) warming[kept++] = s;
      else this.#isWarming[s] = 0;
    }
    warming.length = kept;
  }

  stats(): BalancerStats {
    let down = 0;
    let ejected = 0;
    let drained = 0;
    for (const s of this.order) {
      if (this.down[s]) down++;
      else if (this.ejectedUntil[s] !== 0) ejected++;
      else if (this.weight[s] === 0) drained++;
    }
    let warming = 0;
    const t = this.now();
    for (const s of this.warming) {
      if (this.ids[s] !== undefined && this.#rampFactor(t - this.startedAt[s]!) < 1) warming++;
    }
    return {
      nodes: this.order.length,
      usable: this.usable,
      down,
      ejected,
      drained,
      warming,
      panic: this.panic,
      panics: this.panics,
    };
  }

  /** Envoy's slow-start multiplier after `elapsed` ms in the window. */
  #rampFactor(elapsed: number): number {
    if (elapsed >= this.#window) return 1;
    const time = Math.max(elapsed, SLOW_START_FLOOR_MS) / this.#window;
    if (time >= 1) return 1;
    return Math.max(this.#minFactor, time ** this.#inverseAggression);
  }

  /** Starts slot `s`'s ramp at clock time `t` (no-op when slow start is off). */
  #warm(s: number, t: number): void {
    if (this.#window === 0) return;
    this.startedAt[s] = t;
    const f = this.#rampFactor(this.now() - t);
    this.factor[s] = f;
    this.effective[s] = this.weight[s]! * f;
    if (f < 1 && this.#isWarming[s] === 0) {
      this.#isWarming[s] = 1;
      this.warming.push(s);
    }
  }

  info(): NodeInfo[] {
    const t = this.now();
    return this.order.map((s) => ({
      id: this.ids[s]!,
      weight: this.weight[s]!,
      effectiveWeight:
        this.#isWarming[s] === 1
          ? this.weight[s]! * this.#rampFactor(t - this.startedAt[s]!)
          : this.weight[s]!,
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
    const eligible = this.ids[s] !== undefined && this.weight[s]! > 0 && this.down[s] === 0 ? 1 : 0;
    const ejected = eligible === 1 && this.ejectedUntil[s] !== 0 ? 1 : 0;
    this.#eligible += eligible - this.#eligibleAt[s]!;
    this.#ejectedCount += ejected - this.#ejectedAt[s]!;
    this.#eligibleAt[s] = eligible;
    this.#ejectedAt[s] = ejected;
    const panic =
      this.#ejectedCount > 0 &&
      (this.#eligible - this.#ejectedCount) * 100 < this.#panicThreshold * this.#eligible;
    if (panic !== this.panic) {
      this.panic = panic;
      if (panic) this.panics++;
      for (const o of this.order) this.#setOk(o);
    }
    this.#setOk(s);
    this.degraded = panic || this.usable === 0 || this.usable !== this.order.length;
    this.version++;
  }

  #setOk(s: number): void {
    const ok = this.#eligibleAt[s] === 1 && (this.#ejectedAt[s] === 0 || this.panic) ? 1 : 0;
    this.usable += ok - this.ok[s]!;
    this.ok[s] = ok;
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
    this.effective = grow(this.effective, capacity);
    this.factor = grow(this.factor, capacity);
    this.startedAt = grow(this.startedAt, capacity);
    this.#isWarming = grow(this.#isWarming, capacity);
    this.#eligibleAt = grow(this.#eligibleAt, capacity);
    this.#ejectedAt = grow(this.#ejectedAt, capacity);
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
