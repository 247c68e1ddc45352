import { grown } from './grown.js';
import { AccessLists, type Policy, type PolicyHost, WINDOW } from './policy.js';

/** Plain LRU: one access-order list; the least recently used entry goes first. */
export class LruPolicy implements Policy {
  readonly #lists: AccessLists;
  /** Per-slot weights; a Uint8Array of ones without a weigher (1 byte an entry, not 8). */
  #weights: Float64Array | Uint8Array;
  readonly #maximum: number;
  readonly #host: PolicyHost;
  #weightedSize = 0;

  constructor(capacity: number, maximum: number, host: PolicyHost, weighted: boolean) {
    this.#lists = new AccessLists(capacity);
    this.#weights = weighted ? new Float64Array(capacity) : new Uint8Array(capacity);
    this.#maximum = maximum;
    this.#host = host;
  }

  get weightedSize(): number {
    return this.#weightedSize;
  }

  onHit(slot: number): void {
    this.#lists.moveToMru(WINDOW, slot);
  }

  onInsert(slot: number, _key: unknown, weight: number): void {
    this.#weights[slot] = weight;
    this.#weightedSize += weight;
    this.#lists.append(WINDOW, slot);
  }

  onUpdate(slot: number, weight: number): void {
    this.#weightedSize += weight - this.#weights[slot]!;
    this.#weights[slot] = weight;
    this.#lists.moveToMru(WINDOW, slot);
  }

  onRemove(slot: number): void {
    this.#weightedSize -= this.#weights[slot]!;
    this.#lists.unlink(slot);
  }

  evict(): void {
    while (this.#weightedSize > this.#maximum) {
      const victim = this.#lists.first(WINDOW);
      if (victim < 0) break;
      this.onRemove(victim);
      this.#host.evicted(victim);
    }
  }

  resize(capacity: number): void {
    this.#lists.resize(capacity);
    this.#weights = grown(this.#weights, capacity);
  }
}
