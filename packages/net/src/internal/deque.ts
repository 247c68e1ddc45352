// A growable FIFO over a power-of-two ring (after denque / piscina's task queue):
//
//        head                     tail
//         ▼                        ▼
//   ┌───┬───┬───┬───┬───┬───┬───┬───┐
//   │   │ a │ b │ c │ d │ e │ f │   │     slot = index & mask
//   └───┴───┴───┴───┴───┴───┴───┴───┘
//   empty when head === tail; grows (doubling, re-packed from 0) when the next push would
//   make head === tail again. Shift is O(1) with no array re-indexing, unlike Array#shift.

export class Deque<T> {
  #ring: (T | undefined)[];
  #mask: number;
  #head = 0;
  #tail = 0;

  constructor(capacity = 16) {
    let size = 4;
    while (size < capacity) size *= 2;
    this.#ring = new Array(size).fill(undefined);
    this.#mask = size - 1;
  }

  get length(): number {
    return (this.#tail - this.#head) & this.#mask;
  }

  push(value: T): void {
    this.#ring[this.#tail] = value;
    this.#tail = (this.#tail + 1) & this.#mask;
    if (this.#tail === this.#head) this.#grow();
  }

  /** Puts a value back at the front (a retried request keeps its place). */
  unshift(value: T): void {
    this.#head = (this.#head - 1) & this.#mask;
    this.#ring[this.#head] = value;
    if (this.#tail === this.#head) this.#grow();
  }

  shift(): T | undefined {
    if (this.#head === this.#tail) return undefined;
    const value = this.#ring[this.#head];
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    return value;
  }

  peek(): T | undefined {
    return this.#head === this.#tail ? undefined : this.#ring[this.#head];
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let v = this.shift(); v !== undefined; v = this.shift()) out.push(v);
    return out;
  }

  #grow(): void {
    // Full: head === tail after a push. Re-pack oldest-first into a ring twice the size.
    const old = this.#ring;
    const size = old.length;
    const ring = new Array<T | undefined>(size * 2).fill(undefined);
    for (let i = 0; i < size; i++) ring[i] = old[(this.#head + i) & this.#mask];
    this.#ring = ring;
    this.#head = 0;
    this.#tail = size;
    this.#mask = size * 2 - 1;
  }
}
