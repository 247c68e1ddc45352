// W-TinyLFU with an adaptive window, ported from Caffeine's BoundedLocalCache (Ben Manes):
// Einziger, Eytan, Friedman & Manes, "Adaptive Software Cache Management" (Middleware 2018).
//
//            admission window (LRU)            main space (segmented LRU)
//   new ──▶ [ window  ~1% ] ──candidate──▶ [ probation ~20% ] ⇄ [ protected ~80% ]
//                                               │ victim (LRU end)
//                                               ▼
//            TinyLFU: keep whichever of candidate/victim the frequency sketch rates higher
//
// - A new entry enters the window. Entries pushed out of the window become candidates at the
//   MRU end of probation; while the cache is over its bound, candidates duel with the LRU end
//   of probation (the victim) and the less frequent one is evicted.
// - A hit in probation promotes to protected; protected overflow is demoted back to probation.
// - Hill climbing (Caffeine's `climb`): every sample period the hit rate is compared with the
//   previous period's; the window grows or shrinks by a decaying step in the direction that
//   helped, restarting with a full step when the hit rate moves by ≥ 5 points. Recency-heavy
//   workloads thus get a large window (LRU-like), frequency-heavy ones a small one.

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
const HILL_CLIMBER_RESTART_THRESHOLD = 0.05;
const HILL_CLIMBER_STEP_PERCENT = 0.0625;
const HILL_CLIMBER_STEP_DECAY_RATE = 0.98;
const QUEUE_TRANSFER_THRESHOLD = 1000;
/**
 * Requests per hill-climbing step, as a fraction of capacity. Caffeine samples 10 × capacity,
 * which on the bench traces needed tens of millions of requests to move the window: at 10k
 * entries the "recency" trace stayed at 53% hits (LRU 86%). Half the capacity reached 80%
 * there while Zipf, scan and loop moved by < 0.5 point (bench/hit-rate sweep, 2026-11-28).
 */
const SAMPLE_PERIOD_FACTOR = 0.5;
/** Floor of the sample period, so tiny caches do not climb on noise. */
const MIN_SAMPLE_PERIOD = 1000;
/** TinyLFU's sample size W: the sketch is halved every 10 × capacity accesses (as Caffeine). */
const AGING_FACTOR = 10;
/** A candidate at least this popular sometimes wins anyway, defeating hash-flooding attacks. */
const ADMIT_HASHDOS_THRESHOLD = 6;
const MAX_FREQUENCY = 15;

export class WTinyLfuPolicy implements Policy {
  readonly #lists: AccessLists;
  #queue: Uint8Array;
  #hashes: Int32Array;
  /**
   * Hits not yet added to the sketch, per slot (saturating at 15). A hit only bumps this byte
   * — the 100 kB array stays in cache, the 1 MB sketch does not — and the sketch receives the
   * count when the entry leaves; the duel reads sketch + pending. Caffeine batches reads in a
   * buffer for the same reason. Measured on bench "get, all hits (int)": the sketch increment
   * was half the cost of a hit.
   */
  #pending: Uint8Array;
  #weights: Float64Array;
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
  #hitsInSample = 0;
  #missesInSample = 0;
  #previousHitRate = 0;
  #stepSize: number;
  readonly #samplePeriod: number;

  /** xorshift32 state for the hash-flooding guard; seeded, so runs are reproducible. */
  #random = 0x9e3779b9;

  constructor(capacity: number, maximum: number, sketchCapacity: number, host: PolicyHost) {
    this.#lists = new AccessLists(capacity);
    this.#queue = new Uint8Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#pending = new Uint8Array(capacity);
    this.#weights = new Float64Array(capacity);
    this.#sketch = new FrequencySketch(sketchCapacity);
    this.#host = host;
    this.#maximum = maximum;
    this.#windowMaximum = maximum - Math.floor(PERCENT_MAIN * maximum);
    this.#protectedMaximum = Math.floor(PERCENT_MAIN_PROTECTED * (maximum - this.#windowMaximum));
    this.#stepSize = -HILL_CLIMBER_STEP_PERCENT * maximum;
    this.#agingPeriod = AGING_FACTOR * Math.max(sketchCapacity, 1);
    this.#samplePeriod = Math.max(SAMPLE_PERIOD_FACTOR * sketchCapacity, MIN_SAMPLE_PERIOD);
  }

  get weightedSize(): number {
    return this.#weightedSize;
  }

  /** The current window bound (for tests and diagnostics). */
  get windowMaximum(): number {
    return this.#windowMaximum;
  }

  onHit(slot: number): void {
    const pending = this.#pending;
    if (pending[slot]! < MAX_FREQUENCY) pending[slot]!++;
    if (++this.#accesses === this.#agingPeriod) this.#age();
    this.#hitsInSample++;
    const queue = this.#queue[slot]!;
    if (queue === PROBATION) this.#promote(slot);
    else this.#lists.moveToMru(queue, slot);
  }

  onMiss(): void {
    // Like Caffeine's getIfPresent, a miss is not counted in the sketch: the insert that
    // usually follows counts the access once. A read-only miss costs no hashing at all.
    this.#missesInSample++;
  }

  onInsert(slot: number, key: unknown, weight: number): void {
    const hash = hashKey(key);
    this.#sketch.increment(hash);
    if (++this.#accesses === this.#agingPeriod) this.#age();
    this.#hashes[slot] = hash;
    this.#pending[slot] = 0;
    this.#weights[slot] = weight;
    this.#queue[slot] = WINDOW;
    this.#lists.append(WINDOW, slot);
    this.#windowWeight += weight;
    this.#weightedSize += weight;
  }

  onUpdate(slot: number, weight: number): void {
    const delta = weight - this.#weights[slot]!;
    this.#weights[slot] = weight;
    this.#weightedSize += delta;
    const queue = this.#queue[slot]!;
    if (queue === WINDOW) this.#windowWeight += delta;
    else if (queue === PROTECTED) this.#protectedWeight += delta;
    if (this.#pending[slot]! < MAX_FREQUENCY) this.#pending[slot]!++;
    if (++this.#accesses === this.#agingPeriod) this.#age();
    if (queue === PROBATION) this.#promote(slot);
    else this.#lists.moveToMru(queue, slot);
  }

  onRemove(slot: number): void {
    // The entry's hits outlive it in the sketch: they decide its re-admission.
    const pending = this.#pending[slot]!;
    if (pending !== 0) this.#sketch.increment(this.#hashes[slot]!, pending);
    const weight = this.#weights[slot]!;
    this.#weightedSize -= weight;
    const queue = this.#queue[slot]!;
    if (queue === WINDOW) this.#windowWeight -= weight;
    else if (queue === PROTECTED) this.#protectedWeight -= weight;
    this.#lists.unlink(slot);
  }

  evict(): void {
    if (this.#hitsInSample + this.#missesInSample >= this.#samplePeriod) this.#climb();
    if (this.#windowWeight <= this.#windowMaximum && this.#weightedSize <= this.#maximum) return;
    this.#evictFromMain(this.#evictFromWindow());
  }

  resize(capacity: number): void {
    this.#lists.resize(capacity);
    this.#queue = grown(this.#queue, capacity);
    this.#hashes = grown(this.#hashes, capacity);
    this.#pending = grown(this.#pending, capacity);
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
    this.#queue[slot] = queue;
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
      if (this.#admit(candidate, victim)) {
        const evict = victim;
        victim = lists.after(victim);
        candidate = lists.after(candidate);
        this.#evictSlot(evict);
      } else {
        const evict = candidate;
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
      this.#sketch.frequency(this.#hashes[slot]!) + this.#pending[slot]!,
    );
  }

  /** Aging: halve the sketch and the pending hits alike. */
  #age(): void {
    this.#accesses = 0;
    this.#sketch.halve();
    const pending = this.#pending;
    for (let i = 0; i < pending.length; i++) pending[i]! >>= 1;
  }

  #admit(candidate: number, victim: number): boolean {
    const candidateFrequency = this.#frequency(candidate);
    const victimFrequency = this.#frequency(victim);
    if (candidateFrequency > victimFrequency) return true;
    // Caffeine admits a warm candidate at random (1/128) to defeat hash flooding. Here only
    // against a saturated victim — the flood's signature: against any warm victim it churned
    // equal-frequency loops (LIRS-like "loop" at 10k: 70.6% → 74.6%, textbook 75.9%).
    if (candidateFrequency < ADMIT_HASHDOS_THRESHOLD || victimFrequency < MAX_FREQUENCY) {
      return false;
    }
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }

  #climb(): void {
    const requests = this.#hitsInSample + this.#missesInSample;
    const hitRate = this.#hitsInSample / requests;
    const change = hitRate - this.#previousHitRate;
    const amount = change >= 0 ? this.#stepSize : -this.#stepSize;
    this.#stepSize =
      Math.abs(change) >= HILL_CLIMBER_RESTART_THRESHOLD
        ? HILL_CLIMBER_STEP_PERCENT * this.#maximum * (amount >= 0 ? 1 : -1)
        : HILL_CLIMBER_STEP_DECAY_RATE * amount;
    this.#previousHitRate = hitRate;
    this.#hitsInSample = 0;
    this.#missesInSample = 0;
    if (amount > 0) this.#increaseWindow(amount);
    else if (amount < 0) this.#decreaseWindow(-amount);
  }

  /**
   * Grows the window by up to `amount`, taking entries from the LRU ends of the main space.
   * Unlike Caffeine (which only lends the protected segment's share, capping the window near
   * 80%), the window may take all but one unit of the main space, and protected stays 80% of
   * what main has left: on recency-heavy traces stale-but-once-popular entries otherwise hold
   * the main space and the cache stays far below LRU (measured: 80% vs 86% on bench's
   * "recency" trace at 10k entries).
   */
  #increaseWindow(amount: number): void {
    let quota = Math.min(amount, this.#maximum - this.#windowMaximum - 1);
    if (quota <= 0) return;
    this.#setWindowMaximum(this.#windowMaximum + quota);
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
    // Return the quota that no entry used.
    this.#setWindowMaximum(this.#windowMaximum - quota);
  }

  #setWindowMaximum(windowMaximum: number): void {
    this.#windowMaximum = windowMaximum;
    this.#protectedMaximum = PERCENT_MAIN_PROTECTED * (this.#maximum - windowMaximum);
  }

  /** Shrinks the window by up to `amount`, moving its LRU entries to probation. */
  #decreaseWindow(amount: number): void {
    let quota = Math.min(amount, this.#windowMaximum - 1);
    if (quota <= 0) return;
    this.#setWindowMaximum(this.#windowMaximum - quota);
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
    this.#setWindowMaximum(this.#windowMaximum + quota);
  }
}
