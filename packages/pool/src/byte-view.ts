import { show } from './internal/assert.js';

/**
 * What {@link Bytes} and {@link BytesMut} share: a window `[start, start + length)` over a
 * `Uint8Array`, with bounds-checked readers for every integer and float width in both byte
 * orders (`BE` = big-endian, network order; `LE` = little-endian). Reading never copies.
 */
export abstract class ByteView {
  /** @internal The backing bytes (shared by every slice of them). */
  protected _u8: Uint8Array;
  /** @internal A DataView over exactly `_u8`, shared like it, so a slice never makes one. */
  protected _dv: DataView;
  /** @internal Index in `_u8` of this view's byte 0. */
  protected _start: number;
  /** @internal Bytes in this view. */
  protected _len: number;

  /** @internal */
  protected constructor(u8: Uint8Array, dv: DataView, start: number, length: number) {
    this._u8 = u8;
    this._dv = dv;
    this._start = start;
    this._len = length;
  }

  /** Bytes in the view. */
  get length(): number {
    return this._len;
  }

  /** The byte at `index`; `RangeError` outside `[0, length)`. */
  get(index: number): number {
    return this._u8[this._at(index, 1)]!;
  }

  /** A `Uint8Array` over the same memory (zero-copy; do not write through it for a `Bytes`). */
  toUint8Array(): Uint8Array {
    return this._u8.subarray(this._start, this._start + this._len);
  }

  /** A `Buffer` over the same memory (zero-copy). */
  toBuffer(): Buffer {
    const u8 = this._u8;
    return Buffer.from(u8.buffer, u8.byteOffset + this._start, this._len);
  }

  /** A fresh copy of the bytes. */
  copy(): Uint8Array {
    // Not `_u8.slice()`: when `_u8` is a Buffer, Buffer#slice is a view, not a copy.
    return copyOf(this._u8.subarray(this._start, this._start + this._len));
  }

  /** Decodes the bytes (UTF-8 by default). */
  toString(encoding: BufferEncoding = 'utf8'): string {
    return this.toBuffer().toString(encoding);
  }

  /** Whether `other` holds the same bytes. */
  equals(other: ByteView | Uint8Array): boolean {
    const b = other instanceof ByteView ? other.toUint8Array() : other;
    if (!(b instanceof Uint8Array)) {
      throw new TypeError(`Expected \`other\` to be Bytes or a Uint8Array, got ${show(other)}`);
    }
    return b.length === this._len && Buffer.compare(this.toBuffer(), b) === 0;
  }

  /** First index of `byte` at or after `from`, or -1. */
  indexOf(byte: number, from = 0): number {
    const i = this.toUint8Array().indexOf(byte, from);
    return i;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this._len; i++) yield this._u8[this._start + i]!;
  }

  getU8(offset: number): number {
    return this._u8[this._at(offset, 1)]!;
  }
  getI8(offset: number): number {
    return this._dv.getInt8(this._at(offset, 1));
  }
  getU16BE(offset: number): number {
    return this._dv.getUint16(this._at(offset, 2), false);
  }
  getU16LE(offset: number): number {
    return this._dv.getUint16(this._at(offset, 2), true);
  }
  getI16BE(offset: number): number {
    return this._dv.getInt16(this._at(offset, 2), false);
  }
  getI16LE(offset: number): number {
    return this._dv.getInt16(this._at(offset, 2), true);
  }
  getU32BE(offset: number): number {
    return this._dv.getUint32(this._at(offset, 4), false);
  }
  getU32LE(offset: number): number {
    return this._dv.getUint32(this._at(offset, 4), true);
  }
  getI32BE(offset: number): number {
    return this._dv.getInt32(this._at(offset, 4), false);
  }
  getI32LE(offset: number): number {
    return this._dv.getInt32(this._at(offset, 4), true);
  }
  getF32BE(offset: number): number {
    return this._dv.getFloat32(this._at(offset, 4), false);
  }
  getF32LE(offset: number): number {
    return this._dv.getFloat32(this._at(offset, 4), true);
  }
  getF64BE(offset: number): number {
    return this._dv.getFloat64(this._at(offset, 8), false);
  }
  getF64LE(offset: number): number {
    return this._dv.getFloat64(this._at(offset, 8), true);
  }
  getBigU64BE(offset: number): bigint {
    return this._dv.getBigUint64(this._at(offset, 8), false);
  }
  getBigU64LE(offset: number): bigint {
    return this._dv.getBigUint64(this._at(offset, 8), true);
  }
  getBigI64BE(offset: number): bigint {
    return this._dv.getBigInt64(this._at(offset, 8), false);
  }
  getBigI64LE(offset: number): bigint {
    return this._dv.getBigInt64(this._at(offset, 8), true);
  }

  /** @internal Index in `_u8` of `offset`, after checking `width` bytes fit in the view. */
  protected _at(offset: number, width: number): number {
    if (offset >>> 0 !== offset || offset + width > this._len) {
      throw new RangeError(
        `Expected \`offset\` to be an integer from 0 to ${this._len - width}, got ${show(offset)}`,
      );
    }
    return this._start + offset;
  }
}

/** A fresh `Uint8Array` with the bytes of `u8` (a plain copy even when `u8` is a Buffer). */
export function copyOf(u8: Uint8Array): Uint8Array {
  const out = new Uint8Array(u8.length);
  out.set(u8);
  return out;
}

/** A DataView over exactly `u8` (its own offset and length). */
export function dataViewOf(u8: Uint8Array): DataView {
  return new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
}
