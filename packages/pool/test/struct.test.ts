import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineStruct, type StructLayout } from '../src/index.js';
import { RUNS } from './helpers.js';

// The seed's record, declared in its "bad" order: flag, double, flag, int.
const Seed = defineStruct({ flag1: 'u8', value: 'f64', flag2: 'u8', id: 'i32' });

describe('defineStruct layout', () => {
  it("packs the seed's record into 16 bytes (24 in declaration order)", () => {
    expect(Seed.sizeOf).toBe(16);
    expect(Seed.declaredSizeOf).toBe(24);
    expect(Seed.align).toBe(8);
    expect(Seed.fields.map((f) => [f.name, f.offset])).toEqual([
      ['value', 0],
      ['id', 8],
      ['flag1', 12],
      ['flag2', 13],
    ]);
    expect(Seed.offsetOf('flag2')).toBe(13);
    expect(Seed.field('id')).toMatchObject({ type: 'i32', size: 4 });
  });

  it('never pads between fields, and every field is aligned to its size', () => {
    const types = ['f64', 'f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8'] as const;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...types), { minLength: 1, maxLength: 12 }), (ts) => {
        const schema = Object.fromEntries(ts.map((t, i) => [`f${i}`, t]));
        const S = defineStruct(schema);
        const payload = S.fields.reduce((n, f) => n + f.size, 0);
        expect(S.sizeOf - payload).toBeLessThan(S.align); // only tail padding
        expect(S.sizeOf % S.align).toBe(0);
        expect(S.sizeOf).toBeLessThanOrEqual(S.declaredSizeOf);
        let end = 0;
        for (const f of S.fields) {
          expect(f.offset % f.size).toBe(0);
          expect(f.offset).toBe(end);
          end += f.size;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects bad schemas: TypeError for types and names, RangeError for no fields', () => {
    expect(() => defineStruct({ a: 'f65' } as never)).toThrow(TypeError);
    expect(() => defineStruct({ a: 'toString' } as never)).toThrow(TypeError);
    expect(() => defineStruct({ index: 'u8' })).toThrow(TypeError);
    expect(() => defineStruct({})).toThrow(RangeError);
    expect(() => defineStruct(null as never)).toThrow(TypeError);
    expect(() => defineStruct(['u8'] as never)).toThrow(TypeError);
    expect(() => Seed.soa(0)).toThrow(RangeError);
    expect(() => Seed.aos(1.5)).toThrow(TypeError);
    expect(() => Seed.create('xyz' as never)).toThrow(TypeError);
    expect(() => Seed.field('nope' as never)).toThrow(TypeError);
  });
});

/** The contract both layouts keep: same answers as an array of plain objects. */
for (const layout of ['soa', 'aos'] as StructLayout[]) {
  describe(`StructArray (${layout})`, () => {
    it('stores fields with typed-array conversion and grows keeping data', () => {
      const s = Seed.create(layout, 1);
      for (let i = 0; i < 100; i++) s.push({ value: i / 3, id: -i, flag1: i + 250, flag2: i & 1 });
      expect(s.length).toBe(100);
      expect(s.capacity).toBeGreaterThanOrEqual(100);
      expect(s.get(7, 'value')).toBe(7 / 3);
      expect(s.get(7, 'id')).toBe(-7);
      expect(s.get(7, 'flag1')).toBe((7 + 250) & 0xff); // u8 wraps like a Uint8Array
      const r = s.at(9);
      expect(r.flag2).toBe(1);
      r.index = 10;
      expect(r.value).toBe(10 / 3);
      r.id = 1234;
      expect(s.get(10, 'id')).toBe(1234);
      expect(JSON.parse(JSON.stringify(r))).toEqual({
        index: 10,
        value: 10 / 3,
        id: 1234,
        flag1: 4,
        flag2: 0,
      });
    });

    it('gives columns for scans: array[i * stride + offset]', () => {
      const s = Seed.create(layout, 8);
      for (let i = 0; i < 8; i++) s.push({ value: i * 1.5, id: i, flag1: i % 3 === 0 ? 1 : 0 });
      const value = s.column('value');
      const flag = s.column('flag1');
      let sum = 0;
      for (let i = 0; i < s.length; i++) {
        if (flag.array[i * flag.stride + flag.offset] === 1)
          sum += value.array[i * value.stride + value.offset]!;
      }
      expect(sum).toBe((0 + 3 + 6) * 1.5);
      if (layout === 'soa') expect(value.stride).toBe(1);
      else expect(value.stride * 8).toBe(Seed.sizeOf);
    });

    it('bounds-checks get/set/at/swapRemove with RangeError and values with TypeError', () => {
      const s = Seed.create(layout);
      s.push();
      for (const bad of [-1, 1, 0.5, Number.NaN]) {
        expect(() => s.get(bad, 'id')).toThrow(RangeError);
        expect(() => s.set(bad, 'id', 1)).toThrow(RangeError);
        expect(() => s.at(bad)).toThrow(RangeError);
        expect(() => s.swapRemove(bad)).toThrow(RangeError);
      }
      expect(() => s.get(0, 'nope' as never)).toThrow(TypeError);
      expect(() => s.set(0, 'id', '1' as never)).toThrow(TypeError);
      expect(() => s.reserve(-1)).toThrow(RangeError);
    });

    it('matches an array-of-objects model under random push/set/swapRemove/clear', () => {
      type Obj = { value: number; id: number; flag1: number; flag2: number };
      const f32 = defineStruct({ x: 'f32', n: 'i16', u: 'u32' });
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.record({
                op: fc.constant('push' as const),
                v: fc.double({ noNaN: true }),
                id: fc.integer(),
              }),
              fc.record({
                op: fc.constant('set' as const),
                pick: fc.nat(),
                v: fc.double(),
                id: fc.integer(),
              }),
              fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
              fc.record({ op: fc.constant('clear' as const) }),
            ),
            { maxLength: 120 },
          ),
          (ops) => {
            const s = Seed.create(layout, 2);
            const t = f32.create(layout, 2);
            const model: Obj[] = [];
            for (const o of ops) {
              if (o.op === 'push') {
                const rec = { value: o.v, id: o.id | 0, flag1: o.id & 0xff, flag2: 0 };
                s.push(rec);
                t.push({ x: o.v, n: o.id, u: o.id });
                model.push(rec);
              } else if (o.op === 'set' && model.length > 0) {
                const i = o.pick % model.length;
                s.set(i, 'value', o.v);
                s.at(i).id = o.id;
                t.set(i, 'x', o.v);
                t.set(i, 'n', o.id);
                t.set(i, 'u', o.id);
                model[i] = { ...model[i]!, value: o.v, id: o.id | 0 };
              } else if (o.op === 'remove' && model.length > 0) {
                const i = o.pick % model.length;
                s.swapRemove(i);
                t.swapRemove(i);
                model[i] = model[model.length - 1]!;
                model.pop();
              } else if (o.op === 'clear') {
                s.clear();
                t.clear();
                model.length = 0;
              }
            }
            expect(s.length).toBe(model.length);
            model.forEach((m, i) => {
              expect(JSON.parse(JSON.stringify(s.at(i)))).toEqual(
                JSON.parse(JSON.stringify({ index: i, ...m })),
              );
              expect(t.get(i, 'x')).toBe(Math.fround(m.value));
              expect(t.get(i, 'n')).toBe((m.id << 16) >> 16);
              expect(t.get(i, 'u')).toBe(m.id >>> 0);
            });
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}
