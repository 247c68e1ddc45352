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
/** Offsets of a slot's links in {@link AccessLists.links}: two Int32 per slot. */
const PREV = 0;
const NEXT = 1;
const LINKS_PER_SLOT = 2;

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
 * Access-order lists over one shared Int32Array of links. Each list is circular with its
 * sentinel, whose `next` is the least recently used entry and whose `prev` the most recently
 * used:
 *
 *   sentinel ⇄ LRU ⇄ … ⇄ MRU ⇄ (sentinel)          empty when next(sentinel) === sentinel
 *
 * A slot's two links sit side by side, `links[2 × slot + PREV]` and `links[2 × slot + NEXT]`,
 * so reading both costs one cache line rather than one in each of two arrays (profiled on the
 * 100k-entry hit path, where every array a hit touches is a likely cache miss).
 *
 *   links: [ prev(0) next(0) | prev(1) next(1) | … | prev(s) next(s) | … ]
 *
 * Linking and unlinking need no branches on list ends.
 */
export class AccessLists {
  links: Int32Array;

  constructor(capacity: number) {
    this.links = new Int32Array(LINKS_PER_SLOT * capacity);
    for (let s = 0; s < FIRST_SLOT; s++) {
      this.links[LINKS_PER_SLOT * s + PREV] = s;
      this.links[LINKS_PER_SLOT * s + NEXT] = s;
    }
  }

  resize(capacity: number): void {
    this.links = grown(this.links, LINKS_PER_SLOT * capacity);
  }

  /** Appends `slot` at the MRU end of `list`. */
  append(list: number, slot: number): void {
    const links = this.links;
    const tail = links[2 * list + PREV]!;
    links[2 * tail + NEXT] = slot;
    links[2 * slot + PREV] = tail;
    links[2 * slot + NEXT] = list;
    links[2 * list + PREV] = slot;
  }

  unlink(slot: number): void {
    const links = this.links;
    const p = links[2 * slot + PREV]!;
    const n = links[2 * slot + NEXT]!;
    links[2 * p + NEXT] = n;
    links[2 * n + PREV] = p;
  }

  /** Moves a linked `slot` to the MRU end of `list` (a no-op when it is already there). */
  moveToMru(list: number, slot: number): void {
    const links = this.links;
    const tail = links[2 * list + PREV]!;
    if (tail === slot) return;
    const p = links[2 * slot + PREV]!;
    const n = links[2 * slot + NEXT]!;
    links[2 * p + NEXT] = n;
    links[2 * n + PREV] = p;
    links[2 * tail + NEXT] = slot;
    links[2 * slot + PREV] = tail;
    links[2 * slot + NEXT] = list;
    links[2 * list + PREV] = slot;
  }

  /** The least recently used slot of `list`, or -1 when it is empty. */
  first(list: number): number {
    const n = this.links[2 * list + NEXT]!;
    return n === list ? -1 : n;
  }

  /** The slot after `slot` towards the MRU end, or -1 at the end. */
  after(slot: number): number {
    const n = this.links[2 * slot + NEXT]!;
    return n < FIRST_SLOT ? -1 : n;
  }
}
