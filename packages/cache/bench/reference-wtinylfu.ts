// A textbook W-TinyLFU, written for clarity rather than speed, as the hit-rate yardstick:
// Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache Admission Policy" (2017),
// with the fixed 1% window and 20/80 segmented-LRU main space of the paper and Caffeine's
// defaults. Lists are Maps (insertion order = recency); the sketch is a 4-row count-min
// sketch of 4-bit counters, halved every 10 × capacity increments; no adaptive window.

export class ReferenceWTinyLfu {
  readonly #window = new Map<number, number>();
  readonly #probation = new Map<number, number>();
  readonly #protected = new Map<number, number>();
  readonly #windowMax: number;
  readonly #protectedMax: number;
  readonly #mainMax: number;
  readonly #rows: Uint8Array[];
  readonly #mask: number;
  readonly #samplePeriod: number;
  #additions = 0;

  constructor(capacity: number) {
    this.#windowMax = Math.max(1, Math.round(capacity * 0.01));
    this.#mainMax = capacity - this.#windowMax;
    this.#protectedMax = Math.floor(this.#mainMax * 0.8);
    let width = 1;
    while (width < capacity) width <<= 1;
    this.#rows = Array.from({ length: 4 }, () => new Uint8Array(width));
    this.#mask = width - 1;
    this.#samplePeriod = 10 * capacity;
  }

  #index(key: number, row: number): number {
    let h = Math.imul(key ^ (row * 0x9e3779b9), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.#mask;
  }

  #record(key: number): void {
    for (let r = 0; r < 4; r++) {
      const row = this.#rows[r]!;
      const i = this.#index(key, r);
      if (row[i]! < 15) row[i]!++;
    }
    if (++this.#additions === this.#samplePeriod) {
      this.#additions = 0;
      for (const row of this.#rows) for (let i = 0; i < row.length; i++) row[i]! >>= 1;
    }
  }

  #frequency(key: number): number {
    let min = 15;
    for (let r = 0; r < 4; r++) min = Math.min(min, this.#rows[r]![this.#index(key, r)]!);
    return min;
  }

  get(key: number): number | undefined {
    this.#record(key);
    let value = this.#window.get(key);
    if (value !== undefined) {
      this.#window.delete(key);
      this.#window.set(key, value);
      return value;
    }
    value = this.#protected.get(key);
    if (value !== undefined) {
      this.#protected.delete(key);
      this.#protected.set(key, value);
      return value;
    }
    value = this.#probation.get(key);
    if (value !== undefined) {
      this.#probation.delete(key);
      this.#protected.set(key, value);
      if (this.#protected.size > this.#protectedMax) {
        const [k, v] = this.#protected.entries().next().value!;
        this.#protected.delete(k);
        this.#probation.set(k, v);
      }
      return value;
    }
    return undefined;
  }

  /** Cache-aside insert after a miss (the miss already counted the access). */
  set(key: number, value: number): void {
    this.#window.set(key, value);
    if (this.#window.size <= this.#windowMax) return;
    const [candidate, candidateValue] = this.#window.entries().next().value!;
    this.#window.delete(candidate);
    if (this.#probation.size + this.#protected.size < this.#mainMax) {
      this.#probation.set(candidate, candidateValue);
      return;
    }
    const victim = this.#probation.keys().next().value;
    if (victim === undefined) return; // main is all protected: drop the candidate
    if (this.#frequency(candidate) > this.#frequency(victim)) {
      this.#probation.delete(victim);
      this.#probation.set(candidate, candidateValue);
    }
  }
}
