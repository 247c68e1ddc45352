import { SimdOutOfMemoryError } from './errors.js';
import { SharedHeap } from './internal/heap.js';
import {
  type KernelExports,
  MAX_PAGES,
  PAGE_BYTES,
  instantiate,
} from './internal/kernels-module.js';
import {
  CTORS,
  checkFactor,
  checkLength,
  checkOut,
  checkOverlap,
  checkRows,
  expectKind,
  expectSameLength,
  F32,
  F64,
  type Kind,
  kindOf,
  kindOfCtor,
  SHIFT,
} from './internal/validate.js';
import type { NumericArray, NumericArrayConstructor, Simd, WasmMemory } from './types.js';

type Kernel = (...args: number[]) => number;
type Views = [Float32Array, Float64Array, Int32Array];
/** One kernel per kind, indexed by F32 / F64 / I32. */
type PerKind = readonly [Kernel, Kernel, Kernel];

/** Staging slots are 16-byte aligned so staged data gets aligned v128 loads. */
const RECENT = 8;
const SLOT_ALIGN = 15;

/**
 * The WebAssembly simd128 backend. Arrays that live in {@link WasmSimd.memory} (from
 * `alloc`, or views the caller made over `memory.buffer`) are passed to the kernels by byte
 * offset; any other array is staged: copied into a scratch block of the same memory, and the
 * result copied back. Staging state lives in private fields so a call allocates nothing.
 */
export class WasmSimd implements Simd {
  readonly backend = 'wasm' as const;
  readonly memory: WasmMemory;
  readonly #heap: SharedHeap;

  /**
   * `memory.buffer` as last seen. Growing a shared memory gives `memory.buffer` a new
   * SharedArrayBuffer object over the same bytes, so arrays made before a growth hold an
   * older object: those are kept in #oldBuffers, and the identity test against #buffer is
   * the fast path.
   */
  #buffer: SharedArrayBuffer;
  readonly #oldBuffers: SharedArrayBuffer[] = [];
  /** Whole-memory views over #buffer, for staging copies. */
  #views: Views;
  /**
   * The last RECENT arrays found to live in the memory (a typed array never changes its
   * buffer, so identity is proof). Checking them costs a few ns, while reading `.buffer` of a
   * SharedArrayBuffer-backed view costs ~30-50 ns and allocates: it dominated a 1K-element
   * call before this cache (measured with --cpu-prof: 600 ns per 16-element add, now ~60).
   * Holds at most RECENT arrays alive after they are dropped.
   */
  readonly #recent: (NumericArray | null)[] = new Array<NumericArray | null>(RECENT).fill(null);
  #recentAt = 0;

  /** Scratch block for staging foreign arrays (0 = none yet), and its payload size. */
  #scratch = 0;
  #scratchBytes = 0;

  /** Byte offsets of the current call's operands, set by #bind*, read right after. */
  #pa = 0;
  #pb = 0;
  #po = 0;
  /** A foreign `out` whose result must be copied back from #po, or null. */
  #pending: NumericArray | null = null;

  readonly #add: PerKind;
  readonly #sub: PerKind;
  readonly #mul: PerKind;
  readonly #minimum: PerKind;
  readonly #maximum: PerKind;
  readonly #scale: PerKind;
  readonly #dot: PerKind;
  readonly #sum: PerKind;
  readonly #min: PerKind;
  readonly #max: PerKind;
  readonly #argmin: PerKind;
  readonly #argmax: PerKind;
  readonly #dotMany: Kernel;

  constructor(memory: WasmMemory) {
    this.memory = memory;
    this.#heap = new SharedHeap(memory);
    const k = instantiate(memory);
    const perKind = (op: string): PerKind => [k[`${op}_f32`]!, k[`${op}_f64`]!, k[`${op}_i32`]!];
    this.#add = perKind('add');
    this.#sub = perKind('sub');
    this.#mul = perKind('mul');
    this.#minimum = perKind('minimum');
    this.#maximum = perKind('maximum');
    this.#scale = perKind('scale');
    this.#dot = perKind('dot');
    this.#sum = perKind('sum');
    this.#min = perKind('min');
    this.#max = perKind('max');
    this.#argmin = perKind('argmin');
    this.#argmax = perKind('argmax');
    this.#dotMany = k.dot_many_f32!;
    this.#buffer = memory.buffer as SharedArrayBuffer;
    this.#views = viewsOf(this.#buffer);
  }

  /** @internal The raw kernel exports, for benchmarks comparing kernel variants. */
  static kernels(memory: WasmMemory): KernelExports {
    return instantiate(memory);
  }

  alloc<C extends NumericArrayConstructor>(type: C, length: number): InstanceType<C> {
    const kind = kindOfCtor(type);
    checkLength(length);
    const bytes = length * 2 ** SHIFT[kind];
    if (bytes > MAX_PAGES * PAGE_BYTES) {
      throw new SimdOutOfMemoryError(bytes, this.memory.buffer.byteLength);
    }
    const ptr = this.#heap.alloc(bytes);
    this.#refresh();
    const Ctor = CTORS[kind] as unknown as Float32ArrayConstructor;
    const array = new Ctor(this.#buffer, ptr, length) as unknown as InstanceType<C>;
    this.#remember(array);
    return array;
  }

  free(array: NumericArray): void {
    kindOf(array, 'array');
    if (!this.owns(array)) {
      throw new TypeError('Expected an array returned by `alloc` of this memory');
    }
    this.#heap.free(array.byteOffset, array.byteLength);
  }

  owns(array: NumericArray): boolean {
    const recent = this.#recent;
    for (let i = 0; i < RECENT; i++) if (recent[i] === array) return true;
    return this.#ownsSlow(array);
  }

  // One method and one kernel call site per operation (not a shared helper taking the kernel
  // table), so each call site only ever sees the three kernels of its own operation.
  add<T extends NumericArray>(a: T, b: T, out?: T): T {
    const kind = kindOf(a, 'a');
    const o = this.#bind3(kind, a, b, out);
    this.#add[kind]!(this.#pa, this.#pb, this.#po, a.length);
    return this.#flush(kind, o, a.length);
  }

  sub<T extends NumericArray>(a: T, b: T, out?: T): T {
    const kind = kindOf(a, 'a');
    const o = this.#bind3(kind, a, b, out);
    this.#sub[kind]!(this.#pa, this.#pb, this.#po, a.length);
    return this.#flush(kind, o, a.length);
  }

  mul<T extends NumericArray>(a: T, b: T, out?: T): T {
    const kind = kindOf(a, 'a');
    const o = this.#bind3(kind, a, b, out);
    this.#mul[kind]!(this.#pa, this.#pb, this.#po, a.length);
    return this.#flush(kind, o, a.length);
  }

  minimum<T extends NumericArray>(a: T, b: T, out?: T): T {
    const kind = kindOf(a, 'a');
    const o = this.#bind3(kind, a, b, out);
    this.#minimum[kind]!(this.#pa, this.#pb, this.#po, a.length);
    return this.#flush(kind, o, a.length);
  }

  maximum<T extends NumericArray>(a: T, b: T, out?: T): T {
    const kind = kindOf(a, 'a');
    const o = this.#bind3(kind, a, b, out);
    this.#maximum[kind]!(this.#pa, this.#pb, this.#po, a.length);
    return this.#flush(kind, o, a.length);
  }

  scale<T extends NumericArray>(a: T, factor: number, out?: T): T {
    const kind = kindOf(a, 'a');
    checkFactor(factor);
    const o = this.#bind3(kind, a, a, out);
    // The wasm signature converts the factor: f32 rounds it (Math.fround), i32 takes ToInt32.
    this.#scale[kind]!(this.#pa, factor, this.#po, a.length);
    return this.#flush(kind, o, a.length);
  }

  dot<T extends NumericArray>(a: T, b: T): number {
    const kind = kindOf(a, 'a');
    expectKind(b, kind, 'b');
    expectSameLength(a, b);
    this.#bind2(kind, a, b);
    return this.#dot[kind]!(this.#pa, this.#pb, a.length);
  }

  sum(a: NumericArray): number {
    const kind = kindOf(a, 'a');
    return this.#sum[kind]!(this.#bind1(kind, a), a.length);
  }

  min(a: NumericArray): number {
    const kind = kindOf(a, 'a');
    // The i32 kernel would answer INT32_MAX for []; Math.min() says Infinity.
    if (a.length === 0) return Number.POSITIVE_INFINITY;
    return this.#min[kind]!(this.#bind1(kind, a), a.length);
  }

  max(a: NumericArray): number {
    const kind = kindOf(a, 'a');
    if (a.length === 0) return Number.NEGATIVE_INFINITY;
    return this.#max[kind]!(this.#bind1(kind, a), a.length);
  }

  argmin(a: NumericArray): number {
    const kind = kindOf(a, 'a');
    return this.#argmin[kind]!(this.#bind1(kind, a), a.length);
  }

  argmax(a: NumericArray): number {
    const kind = kindOf(a, 'a');
    return this.#argmax[kind]!(this.#bind1(kind, a), a.length);
  }

  dotMany(matrix: Float32Array, query: Float32Array, out?: Float64Array): Float64Array {
    expectKind(matrix, F32, 'matrix');
    expectKind(query, F32, 'query');
    const rows = checkRows(matrix, query);
    const o = out ?? new Float64Array(rows);
    checkOut(o, F64, rows);
    const ownM = this.owns(matrix);
    const ownQ = this.owns(query);
    const ownO = this.owns(o);
    let pm = matrix.byteOffset;
    let pq = query.byteOffset;
    let po = o.byteOffset;
    if (!(ownM && ownQ && ownO)) {
      const sm = align(matrix.byteLength);
      const sq = align(query.byteLength);
      const base = this.#ensureScratch(sm + sq + rows * 8);
      if (!ownM) this.#views[F32].set(matrix, (pm = base) >> 2);
      if (!ownQ) this.#views[F32].set(query, (pq = base + sm) >> 2);
      if (!ownO) po = base + sm + sq;
    }
    this.#dotMany(pm, pq, po, rows, query.length);
    if (!ownO) o.set(this.#views[F64].subarray(po >> 3, (po >> 3) + rows));
    return o;
  }

  /** Validates an element-wise call and binds #pa/#pb/#po, staging foreign arrays. */
  #bind3<T extends NumericArray>(kind: Kind, a: T, b: T, out: T | undefined): T {
    const n = a.length;
    const shift = SHIFT[kind];
    if (b !== a) {
      expectKind(b, kind, 'b');
      expectSameLength(a, b);
    }
    let o: T;
    if (out === undefined) o = new CTORS[kind](n) as T;
    else {
      checkOut(out, kind, n);
      o = out;
    }
    const ownA = this.owns(a);
    const ownB = b === a ? ownA : this.owns(b);
    const ownO = out !== undefined && this.owns(o);
    this.#pending = null;
    if (ownA && ownB && ownO) {
      // All three in the one memory: overlap is a comparison of offsets, no `.buffer` needed.
      const pa = a.byteOffset;
      const pb = b.byteOffset;
      const po = o.byteOffset;
      const bytes = n << shift;
      if (
        (po !== pa && po < pa + bytes && pa < po + bytes) ||
        (po !== pb && po < pb + bytes && pb < po + bytes)
      ) {
        checkOverlap(a, o, n, shift); // throws the RangeError
        checkOverlap(b, o, n, shift);
      }
      this.#pa = pa;
      this.#pb = pb;
      this.#po = po;
      return o;
    }
    if (out !== undefined) {
      checkOverlap(a, out, n, shift);
      checkOverlap(b, out, n, shift);
    }
    const slot = align(n << shift);
    const base = this.#ensureScratch(3 * slot);
    const view = this.#views[kind];
    this.#pa = ownA ? a.byteOffset : stage(view, a, base, shift);
    this.#pb = b === a ? this.#pa : ownB ? b.byteOffset : stage(view, b, base + slot, shift);
    if (ownO) this.#po = o.byteOffset;
    else {
      this.#po = base + 2 * slot;
      this.#pending = o;
    }
    return o;
  }

  #bind2(kind: Kind, a: NumericArray, b: NumericArray): void {
    const ownA = this.owns(a);
    const ownB = this.owns(b);
    if (ownA && ownB) {
      this.#pa = a.byteOffset;
      this.#pb = b.byteOffset;
      return;
    }
    const shift = SHIFT[kind];
    const slot = align(a.length << shift);
    const base = this.#ensureScratch(2 * slot);
    const view = this.#views[kind];
    this.#pa = ownA ? a.byteOffset : stage(view, a, base, shift);
    this.#pb = ownB ? b.byteOffset : stage(view, b, base + slot, shift);
  }

  #bind1(kind: Kind, a: NumericArray): number {
    if (this.owns(a)) return a.byteOffset;
    const shift = SHIFT[kind];
    // Scratch first: allocating it may grow the memory and replace #views.
    const at = this.#ensureScratch(align(a.length << shift));
    return stage(this.#views[kind], a, at, shift);
  }

  #flush<T extends NumericArray>(kind: Kind, o: T, n: number): T {
    const pending = this.#pending;
    if (pending !== null) {
      this.#pending = null;
      const at = this.#po >> SHIFT[kind];
      pending.set(this.#views[kind].subarray(at, at + n));
    }
    return o;
  }

  /** Byte offset of a scratch block of at least `bytes` bytes; grows it by doubling. */
  #ensureScratch(bytes: number): number {
    if (this.#scratchBytes < bytes || this.#scratch === 0) {
      if (this.#scratch !== 0) this.#heap.free(this.#scratch, this.#scratchBytes);
      this.#scratch = 0;
      const size = Math.max(bytes, 2 * this.#scratchBytes, 4096);
      this.#scratch = this.#heap.alloc(size);
      this.#scratchBytes = size;
      this.#refresh();
    }
    return this.#scratch;
  }

  #ownsSlow(array: NumericArray): boolean {
    const buffer = array.buffer;
    if (buffer !== this.#buffer) {
      if (!(buffer instanceof SharedArrayBuffer)) return false;
      this.#refresh();
      if (buffer !== this.#buffer && !this.#oldBuffers.includes(buffer)) return false;
    }
    this.#remember(array);
    return true;
  }

  #remember(array: NumericArray): void {
    this.#recent[this.#recentAt] = array;
    this.#recentAt = (this.#recentAt + 1) % RECENT;
  }

  /** Picks up a new `memory.buffer` after this or another thread grew the memory. */
  #refresh(): void {
    const current = this.memory.buffer as SharedArrayBuffer;
    if (current !== this.#buffer) {
      this.#oldBuffers.push(this.#buffer);
      this.#buffer = current;
      this.#views = viewsOf(current);
    }
  }
}

function viewsOf(buffer: SharedArrayBuffer): Views {
  return [new Float32Array(buffer), new Float64Array(buffer), new Int32Array(buffer)];
}

function align(bytes: number): number {
  return (bytes + SLOT_ALIGN) & ~SLOT_ALIGN;
}

function stage(view: NumericArray, src: NumericArray, at: number, shift: number): number {
  view.set(src, at >> shift);
  return at;
}
