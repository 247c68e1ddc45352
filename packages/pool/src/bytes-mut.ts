import { ByteView, dataViewOf } from './byte-view.js';
import { Bytes } from './bytes.js';
import { integer, show } from './internal/assert.js';

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = dataViewOf(EMPTY);
/** Smallest allocation when a BytesMut has to grow. */
const MIN_GROW = 64;

/*
 * A BytesMut owns the window [_start, _start + _cap) of its backing array; bytes
 * [_start, _start + _len) are written, the rest is spare capacity:
 *
 *   _u8:  … | written (_len) | spare (_cap - _len) | …
 *            ^_start
 *
 * splitTo/splitOff/split/freeze cut that window in two and give each side one part, so the
 * two never overlap: writing into one can never change bytes the other (or a frozen Bytes)
 * sees, with no copy and no reference count. Growing past _cap moves this side to a new array.
 */

/**
 * A growable byte buffer for building messages, after Rust's `bytes::BytesMut`: `put*` append
 * integers in either byte order, `reserve` makes room, and `split`/`splitTo`/`freeze` hand the
 * written bytes out as a separate value without copying while the buffer keeps its spare
 * capacity for the next message.
 *
 * Values are stored as a `DataView` stores them: integers are taken modulo 2^bits, floats
 * rounded to the width (`putU8(256)` writes 0).
 */
export class BytesMut extends ByteView {
  /** @internal Bytes this buffer may write without reallocating (`length` included). */
  protected _cap: number;

  /** An empty buffer with room for `capacity` bytes. */
  constructor(capacity = 0) {
    integer('capacity', capacity, 0, 2 ** 31 - 1);
    const u8 = capacity === 0 ? EMPTY : Buffer.allocUnsafeSlow(capacity);
    super(u8, capacity === 0 ? EMPTY_VIEW : dataViewOf(u8), 0, 0);
    this._cap = capacity;
  }

  /** Bytes writable without reallocating, counting those already written. */
  get capacity(): number {
    return this._cap;
  }

  /** Makes sure `additional` more bytes fit; may move the written bytes to a larger array. */
  reserve(additional: number): void {
    integer('additional', additional, 0, 2 ** 31 - 1);
    const need = this._len + additional;
    if (need <= this._cap) return;
    const cap = Math.max(need, this._cap * 2, MIN_GROW);
    const u8 = Buffer.allocUnsafeSlow(cap);
    u8.set(this._u8.subarray(this._start, this._start + this._len));
    this._u8 = u8;
    this._dv = dataViewOf(u8);
    this._start = 0;
    this._cap = cap;
  }

  /** Appends bytes (a copy of them). */
  put(data: Uint8Array | ByteView): this {
    const src = data instanceof ByteView ? data.toUint8Array() : data;
    if (!(src instanceof Uint8Array)) {
      throw new TypeError(`Expected \`data\` to be a Uint8Array or Bytes, got ${show(data)}`);
    }
    // #claim first: it may move this buffer to a new array.
    const at = this.#claim(src.length);
    this._u8.set(src, at);
    return this;
  }

  /** Appends a string encoded as `encoding` (UTF-8 by default). */
  putString(text: string, encoding: BufferEncoding = 'utf8'): this {
    if (typeof text !== 'string') {
      throw new TypeError(`Expected \`text\` to be a string, got ${show(text)}`);
    }
    const n = Buffer.byteLength(text, encoding);
    const at = this.#claim(n);
    const u8 = this._u8;
    Buffer.from(u8.buffer, u8.byteOffset + at, n).write(text, encoding);
    return this;
  }

  putU8(value: number): this {
    const at = this.#claim(1);
    this._u8[at] = value;
    return this;
  }
  putI8(value: number): this {
    const at = this.#claim(1);
    this._dv.setInt8(at, value);
    return this;
  }
  putU16BE(value: number): this {
    const at = this.#claim(2);
    this._dv.setUint16(at, value, false);
    return this;
  }
  putU16LE(value: number): this {
    const at = this.#claim(2);
    this._dv.setUint16(at, value, true);
    return this;
  }
  putI16BE(value: number): this {
    const at = this.#claim(2);
    this._dv.setInt16(at, value, false);
    return this;
  }
  putI16LE(value: number): this {
    const at = this.#claim(2);
    this._dv.setInt16(at, value, true);
    return this;
  }
  putU32BE(value: number): this {
    const at = this.#claim(4);
    this._dv.setUint32(at, value, false);
    return this;
  }
  putU32LE(value: number): this {
    const at = this.#claim(4);
    this._dv.setUint32(at, value, true);
    return this;
  }
  putI32BE(value: number): this {
    const at = this.#claim(4);
    this._dv.setInt32(at, value, false);
    return this;
  }
  putI32LE(value: number): this {
    const at = this.#claim(4);
    this._dv.setInt32(at, value, true);
    return this;
  }
  putF32BE(value: number): this {
    const at = this.#claim(4);
    this._dv.setFloat32(at, value, false);
    return this;
  }
  putF32LE(value: number): this {
    const at = this.#claim(4);
    this._dv.setFloat32(at, value, true);
    return this;
  }
  putF64BE(value: number): this {
    const at = this.#claim(8);
    this._dv.setFloat64(at, value, false);
    return this;
  }
  putF64LE(value: number): this {
    const at = this.#claim(8);
    this._dv.setFloat64(at, value, true);
    return this;
  }
  putBigU64BE(value: bigint): this {
    const at = this.#claim(8);
    this._dv.setBigUint64(at, value, false);
    return this;
  }
  putBigU64LE(value: bigint): this {
    const at = this.#claim(8);
    this._dv.setBigUint64(at, value, true);
    return this;
  }
  putBigI64BE(value: bigint): this {
    const at = this.#claim(8);
    this._dv.setBigInt64(at, value, false);
    return this;
  }
  putBigI64LE(value: bigint): this {
    const at = this.#claim(8);
    this._dv.setBigInt64(at, value, true);
    return this;
  }

  /** Overwrites the byte at `index` (which must be written already). */
  set(index: number, byte: number): void {
    this._u8[this._at(index, 1)] = byte;
  }

  /**
   * Splits off bytes `[0, at)` and returns them as a new `BytesMut` (capacity `at`); this
   * buffer keeps `[at, length)` and its spare capacity. No copy.
   */
  splitTo(at: number): BytesMut {
    integer('at', at, 0, this._len);
    const head = this.#part(this._start, at, at);
    this._start += at;
    this._len -= at;
    this._cap -= at;
    return head;
  }

  /**
   * Splits off bytes `[at, length)` and the spare capacity as a new `BytesMut`; this buffer
   * keeps `[0, at)` with capacity `at`. No copy.
   */
  splitOff(at: number): BytesMut {
    integer('at', at, 0, this._len);
    const tail = this.#part(this._start + at, this._len - at, this._cap - at);
    this._len = at;
    this._cap = at;
    return tail;
  }

  /** Takes every written byte as a new `BytesMut`, leaving this one empty with its spare capacity. */
  split(): BytesMut {
    return this.splitTo(this._len);
  }

  /**
   * Takes every written byte as an immutable {@link Bytes} (no copy), like `split().freeze()`
   * in Rust: this buffer is left empty and keeps only the spare capacity, so it can never
   * write over the frozen bytes.
   */
  freeze(): Bytes {
    const bytes = new Bytes(this._u8, this._dv, this._start, this._len);
    this._start += this._len;
    this._cap -= this._len;
    this._len = 0;
    return bytes;
  }

  /** Forgets the written bytes; keeps the capacity. */
  clear(): void {
    this._len = 0;
  }

  /** Keeps the first `length` bytes. */
  truncate(length: number): void {
    integer('length', length, 0, Number.MAX_SAFE_INTEGER);
    if (length < this._len) this._len = length;
  }

  /** Drops the first `count` written bytes (and their capacity). */
  advance(count: number): void {
    integer('count', count, 0, this._len);
    this._start += count;
    this._len -= count;
    this._cap -= count;
  }

  /**
   * Reserves `n` bytes at the end, marks them written, and returns the index of the first.
   * Call it before reading `_u8`/`_dv`: it may replace them.
   */
  #claim(n: number): number {
    if (this._len + n > this._cap) this.reserve(n);
    const at = this._start + this._len;
    this._len += n;
    return at;
  }

  #part(start: number, length: number, capacity: number): BytesMut {
    const part = new BytesMut();
    part._u8 = this._u8;
    part._dv = this._dv;
    part._start = start;
    part._len = length;
    part._cap = capacity;
    return part;
  }
}
