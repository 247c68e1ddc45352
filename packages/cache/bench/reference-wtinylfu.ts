// A textbook W-TinyLFU with hill climbing, written for clarity rather than speed, as the
// hit-rate yardstick. It follows Caffeine's published design step by step (BoundedLocalCache
// and FrequencySketch, Ben Manes; Einziger, Friedman & Manes, "TinyLFU", 2017; Einziger,
// Eytan, Friedman & Manes, "Adaptive Software Cache Management", Middleware 2018):
//
// - window 1%, main 99% split 20/80 into probation/protected (PERCENT_MAIN,
//   PERCENT_MAIN_PROTECTED);
// - the sketch: 4-bit counters, 16 per entry (one 64-bit word per entry, rounded up to a
//   power of two), the four counters of a key in one 64-byte block; every access increments
//   (a miss counts once, through the insert that follows); after sampleSize = 10 × maximum
//   increments that changed a counter, every counter is halved and the count reduced by half
//   (minus the odd counters' lost halves);
// - admission: the candidate wins if its estimate is higher; a warm candidate (estimate ≥ 6)
//   that loses is still admitted 1 time in 128 at random (hash-flooding defence);
// - hill climbing: after every sampleSize requests (hits + inserts) the hit rate is compared
//   with the previous sample's; the step (6.25% of maximum, starting negative) keeps its sign
//   when the hit rate did not drop and flips when it did; it decays by 0.98 per sample and
//   restarts at full size when the hit rate moved by ≥ 5 points. The window grows only at the
//   protected segment's expense (so it caps near 80%), at most 1,000 entries move per
//   maintenance, and an unfinished adjustment carries over to the next maintenance;
// - sampling starts only once the cache is half full (Caffeine's lazily initialised sketch).
//
// Lists are Maps (insertion order = recency: first = LRU). `climb: false` gives the static
// policy of the 2017 paper (fixed 1% window), used as the second yardstick.

const PERCENT_MAIN = 0.99;
const PERCENT_MAIN_PROTECTED = 0.8;
const RESTART_THRESHOLD = 0.05;
const STEP_PERCENT = 0.0625;
const STEP_DECAY_RATE = 0.98;
const QUEUE_TRANSFER_THRESHOLD = 1000;
const ADMIT_HASHDOS_THRESHOLD = 6;

/** Caffeine's FrequencySketch, with one byte per 4-bit counter for readability. */
class Sketch {
  readonly counters: Uint8Array;
  readonly blockMask: number;
  readonly sampleSize: number;
  size = 0;

  constructor(maximum: number) {
    let words = 8;
    while (words < maximum) words *= 2;
    this.counters = new Uint8Array(words * 16);
    this.blockMask = words / 8 - 1;
    this.sampleSize = 10 * maximum;
  }

  static spread(x: number): number {
    x ^= x >>> 17;
    x = Math.imul(x, 0xed5ad4bb);
    x ^= x >>> 11;
    x = Math.imul(x, 0xac4c1b51);
    x ^= x >>> 15;
    return x;
  }

  /** The counter index of row `i` (0…3) of `key`: block of 8 words, word offset + 2i, nibble. */
  #index(key: number, i: number): number {
    const blockHash = Sketch.spread(key);
    let counterHash = Math.imul(blockHash, 0x31848bab);
    counterHash ^= counterHash >>> 14;
    const block = (blockHash & this.blockMask) << 3;
    const h = counterHash >>> (i << 3);
    const word = block + (h & 1) + (i << 1);
    return word * 16 + ((h >>> 1) & 15);
  }

  frequency(key: number): number {
    let min = 15;
    for (let i = 0; i < 4; i++) min = Math.min(min, this.counters[this.#index(key, i)]!);
    return min;
  }

  increment(key: number): void {
    let added = false;
    for (let i = 0; i < 4; i++) {
      const at = this.#index(key, i);
      if (this.counters[at]! < 15) {
        this.counters[at]!++;
        added = true;
      }
    }
    if (added && ++this.size === this.sampleSize) this.#reset();
  }

  #reset(): void {
    let odd = 0;
    const c = this.counters;
    for (let i = 0; i < c.length; i++) {
      odd += c[i]! & 1;
      c[i]! >>= 1;
    }
    this.size = this.size - (odd >>> 2) - (this.size >>> 1);
  }
}

export class ReferenceWTinyLfu {
  readonly #window = new Map<number, number>();
  readonly #probation = new Map<number, number>();
  readonly #protected = new Map<number, number>();
  readonly #maximum: number;
  readonly #climbs: boolean;
  #windowMax: number;
  #protectedMax: number;
  readonly #sketch: Sketch;
  #initialized = false;
  #hits = 0;
  #misses = 0;
  #previousHitRate = 0;
  #stepSize: number;
  #adjustment = 0;
  #random = 0x2545f491;

  constructor(capacity: number, options: { climb?: boolean } = {}) {
    this.#maximum = capacity;
    this.#climbs = options.climb ?? true;
    this.#windowMax = capacity - Math.floor(capacity * PERCENT_MAIN);
    this.#protectedMax = Math.floor(PERCENT_MAIN_PROTECTED * (capacity - this.#windowMax));
    this.#stepSize = -STEP_PERCENT * capacity;
    this.#sketch = new Sketch(capacity);
  }

  get windowMaximum(): number {
    return this.#windowMax;
  }

  get size(): number {
    return this.#window.size + this.#probation.size + this.#protected.size;
  }

  get(key: number): number | undefined {
    let value = this.#window.get(key);
    if (value !== undefined) {
      this.#window.delete(key);
      this.#window.set(key, value);
    } else if ((value = this.#protected.get(key)) !== undefined) {
      this.#protected.delete(key);
      this.#protected.set(key, value);
    } else if ((value = this.#probation.get(key)) !== undefined) {
      this.#probation.delete(key);
      this.#protected.set(key, value);
    } else {
      return undefined;
    }
    this.#sketch.increment(key);
    this.#hits++;
    return value;
  }

  /** Cache-aside insert after a miss: counts the access once, then maintenance. */
  set(key: number, value: number): void {
    this.#window.set(key, value);
    if (this.size >= this.#maximum >>> 1) this.#initialized = true;
    this.#sketch.increment(key);
    this.#misses++;
    this.#evict();
    if (this.#climbs) this.#climb();
  }

  #evict(): void {
    // evictFromWindow: window overflow goes to probation's MRU end as candidates.
    const candidates: number[] = [];
    while (this.#window.size > this.#windowMax) {
      const [k, v] = this.#window.entries().next().value!;
      this.#window.delete(k);
      this.#probation.set(k, v);
      candidates.push(k);
    }
    // evictFromMain: candidates (newest first) duel with victims (probation's LRU end).
    while (this.size > this.#maximum) {
      const victim = this.#probation.keys().next().value;
      let candidate = candidates.pop();
      while (candidate !== undefined && !this.#probation.has(candidate))
        candidate = candidates.pop();
      if (victim === undefined) {
        const from = this.#protected.size > 0 ? this.#protected : this.#window;
        from.delete(from.keys().next().value!);
      } else if (candidate === undefined || candidate === victim) {
        this.#probation.delete(victim);
      } else if (this.#admit(candidate, victim)) {
        this.#probation.delete(victim);
      } else {
        this.#probation.delete(candidate);
      }
    }
  }

  #admit(candidate: number, victim: number): boolean {
    const victimFreq = this.#sketch.frequency(victim);
    const candidateFreq = this.#sketch.frequency(candidate);
    if (candidateFreq > victimFreq) return true;
    if (candidateFreq < ADMIT_HASHDOS_THRESHOLD) return false;
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }

  #climb(): void {
    // determineAdjustment
    if (!this.#initialized) {
      this.#previousHitRate = 0;
      this.#hits = this.#misses = 0;
    } else if (this.#hits + this.#misses >= this.#sketch.sampleSize) {
      const hitRate = this.#hits / (this.#hits + this.#misses);
      const change = hitRate - this.#previousHitRate;
      const amount = change >= 0 ? this.#stepSize : -this.#stepSize;
      this.#stepSize =
        Math.abs(change) >= RESTART_THRESHOLD
          ? STEP_PERCENT * this.#maximum * (amount >= 0 ? 1 : -1)
          : STEP_DECAY_RATE * amount;
      this.#previousHitRate = hitRate;
      this.#adjustment = Math.trunc(amount);
      this.#hits = this.#misses = 0;
    }
    this.#demoteFromProtected();
    if (this.#adjustment > 0) this.#increaseWindow();
    else if (this.#adjustment < 0) this.#decreaseWindow();
  }

  #demoteFromProtected(): void {
    for (
      let i = 0;
      i < QUEUE_TRANSFER_THRESHOLD && this.#protected.size > this.#protectedMax;
      i++
    ) {
      const [k, v] = this.#protected.entries().next().value!;
      this.#protected.delete(k);
      this.#probation.set(k, v);
    }
  }

  #increaseWindow(): void {
    if (this.#protectedMax === 0) return;
    let quota = Math.min(this.#adjustment, this.#protectedMax);
    this.#protectedMax -= quota;
    this.#windowMax += quota;
    this.#demoteFromProtected();
    for (let i = 0; i < QUEUE_TRANSFER_THRESHOLD && quota > 0; i++) {
      const from = this.#probation.size > 0 ? this.#probation : this.#protected;
      const first = from.entries().next().value;
      if (first === undefined) break;
      from.delete(first[0]);
      this.#window.set(first[0], first[1]);
      quota--;
    }
    this.#protectedMax += quota;
    this.#windowMax -= quota;
    this.#adjustment = quota;
  }

  #decreaseWindow(): void {
    if (this.#windowMax <= 1) return;
    let quota = Math.min(-this.#adjustment, Math.max(0, this.#windowMax - 1));
    this.#protectedMax += quota;
    this.#windowMax -= quota;
    for (let i = 0; i < QUEUE_TRANSFER_THRESHOLD && quota > 0; i++) {
      const first = this.#window.entries().next().value;
      if (first === undefined) break;
      this.#window.delete(first[0]);
      this.#probation.set(first[0], first[1]);
      quota--;
    }
    this.#protectedMax -= quota;
    this.#windowMax += quota;
    this.#adjustment = -quota;
  }
}
