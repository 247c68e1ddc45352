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
  readonly #u8: (Uint8Array | undefined)[] = [];
  readonly #i32: (Int32Array | undefined)[] = [];
  readonly #f64: (Float64Array | undefined)[] = [];

  constructor(buffer: ArrayBuffer | SharedArrayBuffer, start: number, size: number, count: number) {
    this.#buffer = buffer;
    this.#start = start;
    this.#size = size;
    this.#count = count;
  }

  offset(handle: number): number {
    if (handle >>> 0 !== handle || handle >= this.#count) throw badHandle(handle, this.#count);
    return this.#start + handle * this.#size;
  }

  u8(handle: number): Uint8Array {
    return (this.#u8[handle] ??= new Uint8Array(this.#buffer, this.offset(handle), this.#size));
  }

  i32(handle: number): Int32Array {
    return (this.#i32[handle] ??= new Int32Array(
      this.#buffer,
      this.offset(handle),
      this.#size >> 2,
    ));
  }

  f64(handle: number): Float64Array {
    return (this.#f64[handle] ??= new Float64Array(
      this.#buffer,
      this.offset(handle),
      this.#size >> 3,
    ));
  }
}
