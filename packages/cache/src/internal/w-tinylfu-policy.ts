// W-TinyLFU with an adaptive window, after Caffeine's BoundedLocalCache (Ben Manes) and
// Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache Admission Policy" (2017).
//
//            admission window (LRU)            main space (segmented LRU)
//   new ──▶ [ window  ≥1% ] ──candidate──▶ [ probation ~20% ] ⇄ [ protected ≤80% ]
//                                               │ victim (LRU end)
//                                               ▼
//            TinyLFU: keep whichever of candidate/victim the frequency sketch rates higher
//
// - A new entry enters the window. Entries pushed out of the window become candidates at the
//   MRU end of probation; while the cache is over its bound, candidates duel with the LRU end
//   of probation (the victim) and the less frequent one is evicted.
// - A hit in probation promotes to protected; protected overflow is demoted back to probation.
// - The window adapts on evidence, in the manner of ARC's ghost lists (Megiddo & Modha, FAST
//   2003) rather than by Caffeine's hill climber:
//   - a rejected candidate that is requested again within the next SPAN duels (SPAN = 6.25%
//     of the maximum, Caffeine's climber step) is a hit a window larger by about SPAN would
//     have had: the window grows by its weight;
//   - a hit in probation on an entry with history (hit before since it arrived there) is a hit
//     that a main space smaller by SPAN loses with probability SPAN / probation: the window
//     shrinks by that much.
//   Both measure hits per SPAN entries on either side, so the window settles where the two
//   marginal utilities meet. It stays between the static 1% and protected's share (probation
//   always remains for the admission filter to work in); moves of up to 1,000 entries per
//   write carry the rest over.
//
// Measured against a step-by-step port of Caffeine's design (bench/reference-wtinylfu.ts) on
// the shared real traces and the synthetic workloads (bench/hit-rate-real.ts):
// - aging every 10 × maximum accesses was twice Caffeine's period: its reset halves the sample
//   count with the counters, so in steady state it ages every ~5 × maximum. The longer history
//   made warm loop keys tie with residents (LIRS loop at 500: 44.8% → 48.9%, the reference's);
// - pending hits were halved apart from the sketch, undercounting residents by up to one per
//   aging against non-resident candidates: they now join the sketch before it halves;
// - the random admission (hash-flooding defence) was limited to saturated victims, a
//   workaround for the aging error; it is Caffeine's again (a warm candidate, 1 in 128);
// - the hill climber, Caffeine's or ours, was the wrong mechanism for the window. A window
//   change shows in the hit rate only after the entries it moved have turned over, which takes
//   many capacities of requests when the hit rate is low: with a 0.5 × maximum sample ours
//   followed noise and the delayed penalty of its own steps, and could grow the window over
//   the whole cache (i.e. into LRU) on scan-heavy traces; with Caffeine's 10 × maximum sample
//   it is too slow for recency-biased traces (the reference: Corda at 5000 21.8% against LRU's
//   33.3%; the drift workload 50% against 86%). Ghost evidence needs no sample: Corda 33.3%,
//   OLTP at 1000 40.2% (reference 40.4%), drift 78% (still below LRU's 86%).

import { FrequencySketch } from './frequency-sketch.js';
import { grown } from './grown.js';
import { hashKey } from './hash.js';
import {
  AccessLists,
  PROBATION,
  PROTECTED,
  type Policy,
  type PolicyHost,
  WINDOW,
} from './policy.js';

// Caffeine's constants (BoundedLocalCache), tuned there on its trace corpus.
const PERCENT_MAIN = 0.99;
const PERCENT_MAIN_PROTECTED = 0.8;
/** How far back the ghost evidence looks, × maximum (Caffeine's hill-climber step). */
const SPAN_PERCENT = 0.0625;
const QUEUE_TRANSFER_THRESHOLD = 1000;
/** Ghost table slots at most (16 MiB of Int32 pairs): bounds huge `maximumSize`s. */
const MAX_GHOSTS = 1 << 21;
/** TinyLFU's sample size W: the sketch is halved after 10 × capacity accesses (as Caffeine). */
const AGING_FACTOR = 10;
/** Sketch counters per entry: 16, one 64-bit word per entry (Caffeine's sizing). */
const SKETCH_WORDS_PER_ENTRY = 2;
/** A candidate at least this popular sometimes wins anyway, defeating hash-flooding attacks. */
const ADMIT_HASHDOS_THRESHOLD = 6;
const MAX_FREQUENCY = 15;
/** Layout of a `#meta` byte (see the field). */
const QUEUE_MASK = 0b11;
const PENDING_SHIFT = 2;
const PENDING_ONE = 1 << PENDING_SHIFT;
const PENDING_MAX = MAX_FREQUENCY << PENDING_SHIFT;

export class WTinyLfuPolicy implements Policy {
  readonly #lists: AccessLists;
  /**
   * One byte per slot: the segment the slot is in (bits 0–1: WINDOW, PROBATION, PROTECTED)
   * and its hits not yet added to the sketch (bits 2–5, saturating at 15):
   *
   *   meta[slot] = pending << PENDING_SHIFT | queue
   *
   * A hit only bumps this byte (the 100 kB array stays in cache, the 1 MB sketch does not),
   * and the sketch receives the count when the entry leaves or the sketch ages; the duel reads
   * sketch + pending. Caffeine batches reads in a buffer for the same reason. Measured on bench
   * "get, all hits (int)": the sketch increment was half the cost of a hit. Queue and pending
   * share the byte because a hit reads both: one array, one likely cache miss, not two.
   */
  #meta: Uint8Array;
  #hashes: Int32Array;
  /** Per-slot weights; a Uint8Array of ones without a weigher (1 byte an entry, not 8). */
  #weights: Float64Array | Uint8Array;
  readonly #sketch: FrequencySketch;
  readonly #host: PolicyHost;

  readonly #maximum: number;
  #windowMaximum: number;
  #protectedMaximum: number;
  #weightedSize = 0;
  #windowWeight = 0;
  #protectedWeight = 0;

  /** Accesses since the sketch was last halved. */
  #accesses = 0;
  readonly #agingPeriod: number;
  /** The smallest window: the static policy's 1%. */
  readonly #windowMinimum: number;
  /** Window change still to make (weight; > 0 grows); what one write cannot move carries over. */
  #adjustment = 0;
  /** Fractional evidence not yet turned into a move (see the header). */
  #pressure = 0;
  /**
   * Ghosts of rejected candidates: a direct-mapped table of key hashes and the duel number at
   * rejection (0 = empty). A collision overwrites an older ghost; that only loses evidence.
   */
  readonly #ghostHash: Int32Array;
  readonly #ghostDuel: Int32Array;
  readonly #ghostMask: number;
  /** SPAN: duels a ghost counts for, and the weight a probation hit is weighed against. */
  readonly #span: number;
  #duels = 0;

  /** xorshift32 state for the hash-flooding guard; seeded, so runs are reproducible. */
  #random = 0x9e3779b9;

  /** `adaptive: false` fixes the window at 1% (the static policy of the TinyLFU paper). */
  readonly #adaptive: boolean;

  constructor(
    capacity: number,
    maximum: number,
    sketchCapacity: number,
    host: PolicyHost,
    options: { adaptive?: boolean; weighted?: boolean } = {},
  ) {
    this.#adaptive = options.adaptive ?? true;
    this.#lists = new AccessLists(capacity);
    this.#meta = new Uint8Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#weights =
      options.weighted === true ? new Float64Array(capacity) : new Uint8Array(capacity);
    this.#sketch = new FrequencySketch(SKETCH_WORDS_PER_ENTRY * sketchCapacity);
    this.#host = host;
    this.#maximum = maximum;
    this.#windowMaximum = maximum - Math.floor(PERCENT_MAIN * maximum);
    this.#protectedMaximum = Math.floor(PERCENT_MAIN_PROTECTED * (maximum - this.#windowMaximum));
    this.#windowMinimum = this.#windowMaximum;
    this.#agingPeriod = AGING_FACTOR * Math.max(sketchCapacity, 1);
    this.#span = Math.max(1, Math.round(SPAN_PERCENT * Math.min(sketchCapacity, maximum)));
    // Two slots per ghost keeps collisions rare; the table stops growing at MAX_GHOSTS.
    let ghosts = 16;
    while (ghosts < 2 * this.#span && ghosts < MAX_GHOSTS) ghosts *= 2;
    this.#ghostHash = new Int32Array(ghosts);
    this.#ghostDuel = new Int32Array(ghosts);
    this.#ghostMask = ghosts - 1;
  }

  get weightedSize(): number {
    return this.#weightedSize;
  }

  /** The current window bound (for tests and diagnostics). */
  get windowMaximum(): number {
    return this.#windowMaximum;
  }

  onHit(slot: number): void {
    const meta = this.#meta;
    let m = meta[slot]!;
    if (m < PENDING_MAX) meta[slot] = m += PENDING_ONE;
    if (++this.#accesses === this.#agingPeriod) this.#age();
    const queue = m & QUEUE_MASK;
    if (queue === PROBATION) {
      // Evidence for the main space (see the header): an entry with history, not a candidate
      // on its first hit since it arrived (a larger window would have had that hit too).
      if (m >= 2 * PENDING_ONE && this.#duels !== 0 && this.#adaptive) {
        const probation = this.#weightedSize - this.#windowWeight - this.#protectedWeight;
        this.#pressure -= (this.#span * this.#weights[slot]!) / Math.max(probation, 1);
      }
      this.#promote(slot);
    } else this.#lists.moveToMru(queue, slot);
  }

  onInsert(slot: number, key: unknown, weight: number): void {
    // Like Caffeine's getIfPresent, a miss is not counted in the sketch (the policy is not
    // told of misses): the insert that usually follows counts the access once. A read-only
    // miss costs no hashing at all.
    const hash = hashKey(key);
    this.#sketch.increment(hash);
    if (++this.#accesses === this.#agingPeriod) this.#age();
    // Evidence for the window: a candidate rejected within the last SPAN duels is back.
    const ghost = hash & this.#ghostMask;
    const duel = this.#ghostDuel[ghost]!;
    if (duel !== 0 && this.#ghostHash[ghost] === hash) {
      this.#ghostDuel[ghost] = 0;
      if (this.#duels - duel < this.#span) this.#pressure += weight;
    }
    this.#hashes[slot] = hash;
    this.#meta[slot] = WINDOW;
    this.#weights[slot] = weight;
    this.#lists.append(WINDOW, slot);
    this.#windowWeight += weight;
    this.#weightedSize += weight;
  }

  onUpdate(slot: number, weight: number): void {
    const delta = weight - this.#weights[slot]!;
    this.#weights[slot] = weight;
    this.#weightedSize += delta;
    const m = this.#meta[slot]!;
    const queue = m & QUEUE_MASK;
    if (queue === WINDOW) this.#windowWeight += delta;
    else if (queue === PROTECTED) this.#protectedWeight += delta;
    if (m < PENDING_MAX) this.#meta[slot] = m + PENDING_ONE;
    if (++this.#accesses === this.#agingPeriod) this.#age();
    if (queue === PROBATION) this.#promote(slot);
    else this.#lists.moveToMru(queue, slot);
  }

  onRemove(slot: number): void {
    // The entry's hits outlive it in the sketch: they decide its re-admission.
    const m = this.#meta[slot]!;
    if (m >= PENDING_ONE) this.#sketch.increment(this.#hashes[slot]!, m >>> PENDING_SHIFT);
    this.#meta[slot] = 0;
    const weight = this.#weights[slot]!;
    this.#weightedSize -= weight;
    const queue = m & QUEUE_MASK;
    if (queue === WINDOW) this.#windowWeight -= weight;
    else if (queue === PROTECTED) this.#protectedWeight -= weight;
    this.#lists.unlink(slot);
  }

  evict(): void {
    if (this.#windowWeight > this.#windowMaximum || this.#weightedSize > this.#maximum) {
      this.#evictFromMain(this.#evictFromWindow());
    }
    if (!this.#adaptive) return;
    if (this.#pressure >= 1 || this.#pressure <= -1) {
      const move = Math.trunc(this.#pressure);
      this.#pressure -= move;
      this.#adjustment += move;
    }
    if (this.#adjustment !== 0) this.#adjust();
  }

  resize(capacity: number): void {
    this.#lists.resize(capacity);
    this.#meta = grown(this.#meta, capacity);
    this.#hashes = grown(this.#hashes, capacity);
    this.#weights = grown(this.#weights, capacity);
  }

  /** Probation hit: move to protected, demoting protected's LRU entries if it overflows. */
  #promote(slot: number): void {
    this.#moveTo(PROTECTED, slot);
    this.#protectedWeight += this.#weights[slot]!;
    this.#demoteFromProtected();
  }

  /** Moves a linked slot to the MRU end of another segment. */
  #moveTo(queue: number, slot: number): void {
    this.#lists.unlink(slot);
    this.#lists.append(queue, slot);
    this.#meta[slot] = (this.#meta[slot]! & ~QUEUE_MASK) | queue;
  }

  #demoteFromProtected(): void {
    const lists = this.#lists;
    while (this.#protectedWeight > this.#protectedMaximum) {
      const demoted = lists.first(PROTECTED);
      if (demoted < 0) break;
      this.#moveTo(PROBATION, demoted);
      this.#protectedWeight -= this.#weights[demoted]!;
    }
  }

  /** Moves window overflow to probation's MRU end; returns the first such candidate or -1. */
  #evictFromWindow(): number {
    const lists = this.#lists;
    let first = -1;
    while (this.#windowWeight > this.#windowMaximum) {
      const slot = lists.first(WINDOW);
      if (slot < 0) break;
      this.#moveTo(PROBATION, slot);
      this.#windowWeight -= this.#weights[slot]!;
      if (first < 0) first = slot;
    }
    return first;
  }

  /**
   * Caffeine's `evictFromMain`: candidates (from the MRU side of probation, then the window)
   * duel with victims (probation's LRU end, then protected, then the window) until the bound
   * holds. Zero-weight entries are skipped: evicting them frees nothing.
   */
  #evictFromMain(candidate: number): void {
    const lists = this.#lists;
    const weights = this.#weights;
    let victimQueue = PROBATION;
    let candidateQueue = PROBATION;
    let victim = lists.first(PROBATION);
    while (this.#weightedSize > this.#maximum) {
      if (candidate < 0 && candidateQueue === PROBATION) {
        candidate = lists.first(WINDOW);
        candidateQueue = WINDOW;
      }
      if (candidate < 0 && victim < 0) {
        if (victimQueue === PROBATION) {
          victim = lists.first(PROTECTED);
          victimQueue = PROTECTED;
          continue;
        }
        if (victimQueue === PROTECTED) {
          victim = lists.first(WINDOW);
          victimQueue = WINDOW;
          continue;
        }
        break;
      }
      if (victim >= 0 && weights[victim] === 0) {
        victim = lists.after(victim);
        continue;
      }
      if (candidate >= 0 && weights[candidate] === 0) {
        candidate = lists.after(candidate);
        continue;
      }
      if (victim < 0) {
        const evict = candidate;
        candidate = lists.after(candidate);
        this.#evictSlot(evict);
        continue;
      }
      if (candidate < 0) {
        const evict = victim;
        victim = lists.after(victim);
        this.#evictSlot(evict);
        continue;
      }
      if (candidate === victim) {
        victim = lists.after(victim);
        this.#evictSlot(candidate);
        candidate = -1;
        continue;
      }
      if (weights[candidate]! > this.#maximum) {
        const evict = candidate;
        candidate = lists.after(candidate);
        this.#evictSlot(evict);
        continue;
      }
      this.#duels++;
      if (this.#admit(candidate, victim)) {
        const evict = victim;
        victim = lists.after(victim);
        candidate = lists.after(candidate);
        this.#evictSlot(evict);
      } else {
        const evict = candidate;
        const hash = this.#hashes[evict]!;
        this.#ghostHash[hash & this.#ghostMask] = hash;
        this.#ghostDuel[hash & this.#ghostMask] = this.#duels;
        candidate = lists.after(candidate);
        this.#evictSlot(evict);
      }
    }
  }

  #evictSlot(slot: number): void {
    this.onRemove(slot);
    this.#host.evicted(slot);
  }

  /** The estimated frequency of a resident slot: its sketch count plus its pending hits. */
  #frequency(slot: number): number {
    return Math.min(
      MAX_FREQUENCY,
      this.#sketch.frequency(this.#hashes[slot]!) + (this.#meta[slot]! >>> PENDING_SHIFT),
    );
  }

  /**
   * Aging: the pending hits join the sketch, which is halved. Like Caffeine's reset, which
   * halves its sample count too, the next aging comes after half a period: the halved counters
   * still hold half of the last period's accesses.
   */
  #age(): void {
    this.#accesses = this.#agingPeriod >>> 1;
    const meta = this.#meta;
    const hashes = this.#hashes;
    for (let i = 0; i < meta.length; i++) {
      const m = meta[i]!;
      if (m >= PENDING_ONE) {
        this.#sketch.increment(hashes[i]!, m >>> PENDING_SHIFT);
        meta[i] = m & QUEUE_MASK;
      }
    }
    this.#sketch.halve();
  }

  #admit(candidate: number, victim: number): boolean {
    const candidateFrequency = this.#frequency(candidate);
    const victimFrequency = this.#frequency(victim);
    if (candidateFrequency > victimFrequency) return true;
    // A hash-flooding attacker raises the victims' counts so that nothing new is admitted:
    // a warm candidate that loses is still admitted 1 time in 128 (Caffeine's defence).
    if (candidateFrequency < ADMIT_HASHDOS_THRESHOLD) return false;
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }

  /** Applies (part of) the pending window adjustment; keeps what no entry could take. */
  #adjust(): void {
    this.#demoteFromProtected();
    const amount = this.#adjustment;
    if (amount > 0) this.#adjustment = this.#increaseWindow(amount);
    else if (amount < 0) this.#adjustment = -this.#decreaseWindow(-amount);
  }

  /**
   * Grows the window by up to `amount` at the protected segment's expense (Caffeine's
   * `increaseWindow`), moving entries from the LRU ends of probation, then protected. Returns
   * the quota no entry took (it carries over). Probation keeps its share, so the window tops
   * out near 80% and the admission filter always has a segment to protect.
   */
  #increaseWindow(amount: number): number {
    let quota = Math.min(amount, this.#protectedMaximum);
    if (quota <= 0) return 0;
    this.#protectedMaximum -= quota;
    this.#windowMaximum += quota;
    this.#demoteFromProtected();
    const lists = this.#lists;
    for (let i = 0; i < QUEUE_TRANSFER_THRESHOLD; i++) {
      let slot = lists.first(PROBATION);
      let fromProbation = true;
      if (slot < 0 || quota < this.#weights[slot]!) {
        slot = lists.first(PROTECTED);
        fromProbation = false;
      }
      if (slot < 0) break;
      const weight = this.#weights[slot]!;
      if (quota < weight) break;
      quota -= weight;
      if (!fromProbation) this.#protectedWeight -= weight;
      this.#moveTo(WINDOW, slot);
      this.#windowWeight += weight;
    }
    this.#protectedMaximum += quota;
    this.#windowMaximum -= quota;
    return quota;
  }

  /** Shrinks the window by up to `amount` (not below 1%), moving its LRU entries to probation. */
  #decreaseWindow(amount: number): number {
    let quota = Math.min(amount, Math.max(0, this.#windowMaximum - this.#windowMinimum));
    if (quota <= 0) return 0;
    this.#protectedMaximum += quota;
    this.#windowMaximum -= quota;
    const lists = this.#lists;
    for (let i = 0; i < QUEUE_TRANSFER_THRESHOLD; i++) {
      const slot = lists.first(WINDOW);
      if (slot < 0) break;
      const weight = this.#weights[slot]!;
      if (quota < weight) break;
      quota -= weight;
      this.#windowWeight -= weight;
      this.#moveTo(PROBATION, slot);
    }
    this.#protectedMaximum -= quota;
    this.#windowMaximum += quota;
    return quota;
  }
}
