import { badHandle } from './slab-layout.js';

/**
 * Per-block typed-array views, created on first use and cached: a view is an object (about
 * 100 bytes and a trip through the typed-array constructor), so making one per access would
 * put the GC right back on the hot path the slab exists to avoid. The caches are plain arrays
 * indexed by handle; they are per thread (views cannot cross a worker boundary).
 */
export class BlockViews {
  readonly #buffer: ArrayBuffer | SharedArrayBuffer;
  readonly #start: number;
  readonly #size: number;
  readonly #count: number;
  // Each cache is allocated at full length on first use of its view type. Filling an empty
  // array out of order (handle 1500 before handle 3) would switch it to dictionary elements
  // — a hash lookup per access, measured 69 ns per alloc + f64() + free instead of ~15.
  #u8: (Uint8Array | undefined)[] | null = null;
  #i32: (Int32Array | undefined)[] | null = null;
  #f64: (Float64Array | undefined)[] | null = null;

  constructor(buffer: ArrayBuffer | SharedArrayBuffer, start: number, size: number, count: number) {
    this.#buffer = buffer;
    this.#start = start;
    this.#size = size;
    this.#count = count;
  }

  offset(handle: number): number {
    this.#check(handle);
    return this.#start + handle * this.#size;
  }

  /** Checked before the cache lookup: `cache['1']` would find block 1's view for a string. */
  #check(handle: number): void {
    if (handle >>> 0 !== handle || handle >= this.#count) throw badHandle(handle, this.#count);
  }

  u8(handle: number): Uint8Array {
    this.#check(handle);
    const cache = (this.#u8 ??= this.#cache<Uint8Array>());
    return (cache[handle] ??= new Uint8Array(this.#buffer, this.offset(handle), this.#size));
  }

  i32(handle: number): Int32Array {
    this.#check(handle);
    const cache = (this.#i32 ??= this.#cache<Int32Array>());
    return (cache[handle] ??= new Int32Array(this.#buffer, this.offset(handle), this.#size >> 2));
  }

  f64(handle: number): Float64Array {
    this.#check(handle);
    const cache = (this.#f64 ??= this.#cache<Float64Array>());
    return (cache[handle] ??= new Float64Array(this.#buffer, this.offset(handle), this.#size >> 3));
  }

  #cache<V>(): (V | undefined)[] {
    return Array.from({ length: this.#count }, () => undefined);
  }
}
