import { grown } from './grown.js';

// The eviction-policy strategy: a small interface, one file per policy (w-tinylfu-policy.ts,
// lru-policy.ts). A policy owns the access-order lists and the weights of the resident slots;
// the cache owns keys, values and expiry. Slots below FIRST_SLOT are list sentinels.

/** Sentinel indices of the access-order lists (circular, doubly linked through Int32Arrays). */
export const WINDOW = 0;
export const PROBATION = 1;
export const PROTECTED = 2;
/** The first index the cache may hand out as a slot. */
export const FIRST_SLOT = 3;

/** What a policy calls back into. */
export interface PolicyHost {
  /** The policy has unlinked `slot` to meet the bound; the cache must drop the entry. */
  evicted(slot: number): void;
}

export interface Policy {
  /** Total weight of the resident entries. */
  readonly weightedSize: number;
  /** A read found a live entry. */
  onHit(slot: number): void;
  /** A read found nothing. */
  onMiss(): void;
  /** A new entry was stored in `slot`. Call `evict()` after. */
  onInsert(slot: number, key: unknown, weight: number): void;
  /** The value of `slot` was replaced (an access); its weight is now `weight`. */
  onUpdate(slot: number, weight: number): void;
  /** `slot` is being removed (explicitly or on expiry). */
  onRemove(slot: number): void;
  /** Evicts (through `PolicyHost.evicted`) until the bound holds. */
  evict(): void;
  /** The slot arrays grew to `capacity`. */
  resize(capacity: number): void;
}

/**
 * Access-order lists over shared Int32Arrays. Each list is circular with its sentinel, whose
 * `next` is the least recently used entry and whose `prev` the most recently used:
 *
 *   sentinel ⇄ LRU ⇄ … ⇄ MRU ⇄ (sentinel)          empty when next[sentinel] === sentinel
 *
 * Linking and unlinking need no branches on list ends.
 */
export class AccessLists {
  prev: Int32Array;
  next: Int32Array;

  constructor(capacity: number) {
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    for (let s = 0; s < FIRST_SLOT; s++) this.prev[s] = this.next[s] = s;
  }

  resize(capacity: number): void {
    this.prev = grown(this.prev, capacity);
    this.next = grown(this.next, capacity);
  }

  /** Appends `slot` at the MRU end of `list`. */
  append(list: number, slot: number): void {
    const tail = this.prev[list]!;
    this.next[tail] = slot;
    this.prev[slot] = tail;
    this.next[slot] = list;
    this.prev[list] = slot;
  }

  unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    this.next[p] = n;
    this.prev[n] = p;
  }

  /** Moves a linked `slot` to the MRU end of `list` (a no-op when it is already there). */
  moveToMru(list: number, slot: number): void {
    const prev = this.prev;
    const next = this.next;
    const tail = prev[list]!;
    if (tail === slot) return;
    const p = prev[slot]!;
    const n = next[slot]!;
    next[p] = n;
    prev[n] = p;
    next[tail] = slot;
    prev[slot] = tail;
    next[slot] = list;
    prev[list] = slot;
  }

  /** The least recently used slot of `list`, or -1 when it is empty. */
  first(list: number): number {
    const n = this.next[list]!;
    return n === list ? -1 : n;
  }

  /** The slot after `slot` towards the MRU end, or -1 at the end. */
  after(slot: number): number {
    const n = this.next[slot]!;
    return n < FIRST_SLOT ? -1 : n;
  }
}
