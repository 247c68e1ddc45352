import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bytes, BytesMut } from '../src/index.js';
import { RUNS } from './helpers.js';

describe('Bytes', () => {
  it('slices agree with copies (Uint8Array.slice) for any indices, and never copy', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.tuple(fc.integer({ min: -80, max: 80 }), fc.integer({ min: -80, max: 80 })), {
          maxLength: 4,
        }),
        (data, cuts) => {
          let b = Bytes.wrap(data);
          let copy = data.slice();
          for (const [s, e] of cuts) {
            b = b.slice(s, e);
            copy = copy.slice(s, e);
            expect(b.length).toBe(copy.length);
            expect(b.copy()).toEqual(copy);
            expect(b.equals(copy)).toBe(true);
            expect([...b]).toEqual([...copy]);
            expect(b.toUint8Array().buffer).toBe(data.buffer); // same memory: no copy
          }
          data.fill(0xab); // wrap() shares memory, so slices see writes to the source
          for (let i = 0; i < b.length; i++) expect(b.get(i)).toBe(0xab);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('slice(start) and slice() default like subarray; clone shares memory', () => {
    const b = Bytes.copyFrom('hello world');
    expect(b.slice(6).toString()).toBe('world');
    expect(b.slice(-5, -1).toString()).toBe('worl');
    expect(b.slice().length).toBe(11);
    expect(b.clone().toUint8Array().buffer).toBe(b.toUint8Array().buffer);
    expect(b.slice(3, 1).length).toBe(0);
    expect(Bytes.EMPTY.length).toBe(0);
    expect(b.indexOf(0x6f)).toBe(4);
    expect(b.slice(5).indexOf(0x6f)).toBe(2);
  });

  it('copyFrom and copy() really copy, also from a Buffer (whose slice() is a view)', () => {
    for (const src of [new Uint8Array([1, 2, 3]), Buffer.from([1, 2, 3])]) {
      const b = Bytes.copyFrom(src);
      const wrapped = Bytes.wrap(src);
      const copied = wrapped.copy();
      src[0] = 9;
      expect(b.get(0)).toBe(1);
      expect(copied[0]).toBe(1);
      expect(wrapped.get(0)).toBe(9);
    }
  });

  it('bounds-checks every reader with RangeError and bad arguments with TypeError', () => {
    const b = Bytes.copyFrom(new Uint8Array(8)).slice(2, 6); // 4 bytes over a longer array
    expect(b.getU32BE(0)).toBe(0);
    for (const [f, off] of [
      [() => b.getU32LE(1), 1],
      [() => b.getU8(4), 4],
      [() => b.get(-1), -1],
      [() => b.getF64BE(0), 0],
      [() => b.getU16BE(0.5), 0.5],
    ] as const) {
      expect(f, `offset ${off}`).toThrow(RangeError);
    }
    expect(() => Bytes.wrap([1, 2] as never)).toThrow(TypeError);
    expect(() => Bytes.copyFrom(5 as never)).toThrow(TypeError);
    expect(() => b.slice('x' as never)).toThrow(TypeError);
    expect(() => b.equals('x' as never)).toThrow(TypeError);
  });
});

// Every writer/reader pair, checked against DataView (the oracle) in both byte orders.
const NUMERIC = [
  ['U8', 1, 'setUint8', fc.integer({ min: 0, max: 255 })],
  ['I8', 1, 'setInt8', fc.integer({ min: -128, max: 127 })],
  ['U16BE', 2, 'setUint16', fc.integer({ min: 0, max: 0xffff })],
  ['U16LE', 2, 'setUint16', fc.integer({ min: 0, max: 0xffff })],
  ['I16BE', 2, 'setInt16', fc.integer({ min: -0x8000, max: 0x7fff })],
  ['I16LE', 2, 'setInt16', fc.integer({ min: -0x8000, max: 0x7fff })],
  ['U32BE', 4, 'setUint32', fc.nat({ max: 0xffffffff })],
  ['U32LE', 4, 'setUint32', fc.nat({ max: 0xffffffff })],
  ['I32BE', 4, 'setInt32', fc.integer()],
  ['I32LE', 4, 'setInt32', fc.integer()],
  ['F32BE', 4, 'setFloat32', fc.float({ noNaN: true })],
  ['F32LE', 4, 'setFloat32', fc.float({ noNaN: true })],
  ['F64BE', 8, 'setFloat64', fc.double({ noNaN: true })],
  ['F64LE', 8, 'setFloat64', fc.double({ noNaN: true })],
  ['BigU64BE', 8, 'setBigUint64', fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })],
  ['BigU64LE', 8, 'setBigUint64', fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })],
  ['BigI64BE', 8, 'setBigInt64', fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  ['BigI64LE', 8, 'setBigInt64', fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
] as const;

type Anyfn = (...a: unknown[]) => unknown;

describe('BytesMut', () => {
  it('put*/get* round-trip every width and byte order, byte-exact against DataView', () => {
    const entry = fc.oneof(
      ...NUMERIC.map(([name, , , arb]) =>
        fc.tuple(fc.constant(name), arb as fc.Arbitrary<unknown>),
      ),
    );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        fc.integer({ min: 0, max: 16 }),
        (items, cap) => {
          const m = new BytesMut(cap);
          const oracle = new DataView(new ArrayBuffer(8 * items.length + 8));
          let at = 0;
          for (const [name, v] of items) {
            const [, width, setter] = NUMERIC.find((n) => n[0] === name)!;
            (m as unknown as Record<string, Anyfn>)[`put${name}`]!.call(m, v);
            (oracle as unknown as Record<string, Anyfn>)[setter]!.call(
              oracle,
              at,
              v,
              name.endsWith('LE'),
            );
            at += width;
          }
          expect(m.length).toBe(at);
          expect(m.copy()).toEqual(new Uint8Array(oracle.buffer, 0, at));
          const frozen = m.freeze();
          at = 0;
          for (const [name, v] of items) {
            const [, width] = NUMERIC.find((n) => n[0] === name)!;
            const got = (frozen as unknown as Record<string, Anyfn>)[`get${name}`]!.call(
              frozen,
              at,
            );
            expect(Object.is(got, name.startsWith('F32') ? Math.fround(v as number) : v)).toBe(
              true,
            );
            at += width;
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("split parts never see each other's writes (model: one byte array per part)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 32 }),
        fc.array(
          fc.tuple(
            fc.constantFrom('put', 'splitTo', 'splitOff', 'freeze', 'advance', 'clear'),
            fc.nat(),
            fc.uint8Array({ maxLength: 20 }),
          ),
          { maxLength: 60 },
        ),
        (capacity, ops) => {
          const parts: { m: BytesMut; model: number[] }[] = [
            { m: new BytesMut(capacity), model: [] },
          ];
          const frozen: { b: Bytes; model: number[] }[] = [];
          for (const [op, pick, data] of ops) {
            const p = parts[pick % parts.length]!;
            const at = p.model.length === 0 ? 0 : pick % (p.model.length + 1);
            if (op === 'put') {
              p.m.put(data);
              p.model.push(...data);
            } else if (op === 'splitTo') {
              parts.push({ m: p.m.splitTo(at), model: p.model.splice(0, at) });
            } else if (op === 'splitOff') {
              parts.push({ m: p.m.splitOff(at), model: p.model.splice(at) });
            } else if (op === 'freeze') {
              frozen.push({ b: p.m.freeze(), model: p.model.splice(0) });
            } else if (op === 'advance') {
              p.m.advance(at);
              p.model.splice(0, at);
            } else {
              p.m.clear();
              p.model.length = 0;
            }
            for (const q of parts) expect([...q.m]).toEqual(q.model);
            for (const f of frozen) expect([...f.b]).toEqual(f.model);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('grows on demand and keeps what was written', () => {
    const m = new BytesMut();
    expect(m.capacity).toBe(0);
    for (let i = 0; i < 1000; i++) m.putU16BE(i);
    expect(m.length).toBe(2000);
    expect(m.capacity).toBeGreaterThanOrEqual(2000);
    expect(m.getU16BE(2 * 999)).toBe(999);
    m.reserve(10_000);
    expect(m.capacity).toBeGreaterThanOrEqual(12_000);
    expect(m.getU16BE(2 * 500)).toBe(500);
  });

  it('freeze hands out the written bytes without copying, and later writes never touch them', () => {
    const m = new BytesMut(64);
    m.putString('frame-1');
    const f1 = m.freeze();
    expect(m.length).toBe(0);
    expect(m.capacity).toBe(64 - 7);
    m.putString('frame-2');
    const f2 = m.freeze();
    expect(f1.toString()).toBe('frame-1');
    expect(f2.toString()).toBe('frame-2');
    expect(f1.toUint8Array().buffer).toBe(f2.toUint8Array().buffer); // one allocation, two frames
    m.put(new Uint8Array(200)); // outgrows: moves to a new array
    expect(f1.toString()).toBe('frame-1');
  });

  it('splitTo / splitOff / split / advance / truncate cut the window without overlap', () => {
    const m = new BytesMut(16);
    m.put(new Uint8Array([1, 2, 3, 4, 5, 6]));
    const head = m.splitTo(2);
    expect(head.copy()).toEqual(new Uint8Array([1, 2]));
    expect(head.capacity).toBe(2);
    expect(m.copy()).toEqual(new Uint8Array([3, 4, 5, 6]));
    head.putU8(99); // head is full: must reallocate, not overwrite m's byte 3
    expect(m.get(0)).toBe(3);
    const tail = m.splitOff(1);
    expect(m.copy()).toEqual(new Uint8Array([3]));
    expect(tail.copy()).toEqual(new Uint8Array([4, 5, 6]));
    m.putU8(42); // m's capacity is now 1: reallocates rather than clobbering tail
    expect(tail.get(0)).toBe(4);
    tail.advance(1);
    expect(tail.copy()).toEqual(new Uint8Array([5, 6]));
    tail.truncate(1);
    expect(tail.copy()).toEqual(new Uint8Array([5]));
    const all = tail.split();
    expect(all.copy()).toEqual(new Uint8Array([5]));
    expect(tail.length).toBe(0);
    all.set(0, 7);
    expect(all.get(0)).toBe(7);
  });

  it('rejects bad arguments with TypeError/RangeError', () => {
    const m = new BytesMut(4);
    m.putU8(1);
    expect(() => new BytesMut(-1)).toThrow(RangeError);
    expect(() => m.splitTo(2)).toThrow(RangeError);
    expect(() => m.splitOff(-1)).toThrow(RangeError);
    expect(() => m.advance(5)).toThrow(RangeError);
    expect(() => m.reserve(Number.NaN)).toThrow(TypeError);
    expect(() => m.put('x' as never)).toThrow(TypeError);
    expect(() => m.putString(5 as never)).toThrow(TypeError);
    expect(() => m.set(1, 0)).toThrow(RangeError);
  });
});
