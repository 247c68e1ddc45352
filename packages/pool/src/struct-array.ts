import { integer, show } from './internal/assert.js';
import { FIELD_TYPES } from './internal/field-types.js';
import { MAX_RECORDS } from './internal/limits.js';
import type { StructType } from './struct-type.js';
import type {
  FieldArray,
  FieldType,
  StructColumn,
  StructField,
  StructLayout,
  StructRecord,
  StructSchema,
} from './types.js';

/*
 * One addressing rule serves both layouts: field k of record i is
 *
 *   #arrays[k][i * #strides[k] + #offsets[k]]
 *
 *   soa: #arrays[k] is field k's own typed array, stride 1, offset 0
 *        value: [v0 v1 v2 …]   id: [i0 i1 i2 …]   flag1: [f0 f1 f2 …]
 *   aos: every #arrays[k] views the one buffer, in field k's element type;
 *        stride = sizeOf / size, offset = field offset / size (both exact: sizeOf is a
 *        multiple of every field size and each offset is aligned to its field's size)
 *        buffer: [value0 id0 f1₀ f2₀ pad pad | value1 id1 f1₁ f2₁ pad pad | …]
 *
 * so get/set/records/columns have no layout branch; only growth differs.
 */

/**
 * A growable array of records of one {@link StructType}, in struct-of-arrays or packed
 * array-of-structs layout. Records are numbers in typed arrays, so storing a double never boxes
 * and a million records are one or a few objects for the GC, not a million.
 */
export class StructArray<S extends StructSchema> {
  /** The record type. */
  readonly type: StructType<S>;
  /** `'soa'` (one typed array per field) or `'aos'` (packed records in one buffer). */
  readonly layout: StructLayout;
  readonly #fields: readonly StructField[];
  readonly #index: ReadonlyMap<string, number>;
  readonly #strides: Int32Array;
  readonly #offsets: Int32Array;
  #arrays: FieldArray[] = [];
  #length = 0;
  #capacity = 0;
  readonly #Record: new (
    index: number,
  ) => StructRecord<S>;

  /** @internal Use `type.soa()`, `type.aos()` or `type.create()`. */
  constructor(type: StructType<S>, layout: StructLayout, capacity: number) {
    this.type = type;
    this.layout = layout;
    this.#fields = type.fields;
    this.#index = new Map(type.fields.map((f, k) => [f.name, k]));
    this.#strides = Int32Array.from(type.fields, (f) =>
      layout === 'soa' ? 1 : type.sizeOf / f.size,
    );
    this.#offsets = Int32Array.from(type.fields, (f) => (layout === 'soa' ? 0 : f.offset / f.size));
    this.#allocate(capacity);
    this.#Record = this.#recordClass();
  }

  /** Records in the store. */
  get length(): number {
    return this.#length;
  }

  /** Records that fit before the next growth. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Appends a record and returns its index; fields not given are 0. Doubles the capacity when
   * full, which replaces the typed arrays: re-read `column()` after a push.
   */
  push(values?: Partial<Record<keyof S & string, number>>): number {
    if (this.#length === this.#capacity) this.reserve(this.#capacity * 2);
    const i = this.#length++;
    const fields = this.#fields;
    for (let k = 0; k < fields.length; k++) {
      const v = values === undefined ? undefined : values[fields[k]!.name as keyof S & string];
      this.#arrays[k]![i * this.#strides[k]! + this.#offsets[k]!] = v === undefined ? 0 : v;
    }
    return i;
  }

  /** A field of record `index`. */
  get(index: number, field: keyof S & string): number {
    const k = this.#field(field);
    return this.#arrays[k]![this.#checked(index) * this.#strides[k]! + this.#offsets[k]!]!;
  }

  /** Writes a field of record `index`, converted as a typed array store converts (u8 wraps, f32 rounds). */
  set(index: number, field: keyof S & string, value: number): void {
    const k = this.#field(field);
    if (typeof value !== 'number') {
      throw new TypeError(`Expected \`value\` to be a number, got ${show(value)}`);
    }
    this.#arrays[k]![this.#checked(index) * this.#strides[k]! + this.#offsets[k]!] = value;
  }

  /**
   * A record view: an object with one number property per field reading and writing record
   * `index`. Assign `record.index` to move it — one view can walk the whole store without
   * allocating. Views are not bounds-checked after creation (out of range reads `undefined`).
   */
  at(index: number): StructRecord<S> {
    return new this.#Record(this.#checked(index));
  }

  /**
   * Direct access to one field of every record for scans: record `i`'s value is
   * `array[i * stride + offset]`. Valid until the store grows.
   */
  column(field: keyof S & string): StructColumn {
    const k = this.#field(field);
    return { array: this.#arrays[k]!, stride: this.#strides[k]!, offset: this.#offsets[k]! };
  }

  /** Removes record `index` in O(1) by moving the last record into its place. */
  swapRemove(index: number): void {
    const i = this.#checked(index);
    const last = --this.#length;
    if (i === last) return;
    for (let k = 0; k < this.#fields.length; k++) {
      const a = this.#arrays[k]!;
      const s = this.#strides[k]!;
      const o = this.#offsets[k]!;
      a[i * s + o] = a[last * s + o]!;
    }
  }

  /** Makes room for at least `capacity` records (copies into larger arrays when needed). */
  reserve(capacity: number): void {
    integer('capacity', capacity, 0, MAX_RECORDS);
    if (capacity <= this.#capacity) return;
    const old = this.#arrays;
    this.#allocate(capacity);
    if (this.layout === 'soa') {
      for (let k = 0; k < old.length; k++) this.#arrays[k]!.set(old[k]!.subarray(0, this.#length));
    } else if (old.length > 0) {
      const bytes = this.#length * this.type.sizeOf;
      new Uint8Array(this.#arrays[0]!.buffer).set(new Uint8Array(old[0]!.buffer, 0, bytes));
    }
  }

  /** Removes every record; keeps the memory. */
  clear(): void {
    this.#length = 0;
  }

  #allocate(capacity: number): void {
    const fields = this.#fields;
    if (this.layout === 'soa') {
      this.#arrays = fields.map((f) => new FIELD_TYPES[f.type].Array(capacity));
    } else {
      const buffer = new ArrayBuffer(capacity * this.type.sizeOf);
      const byType = new Map<FieldType, FieldArray>();
      this.#arrays = fields.map((f) => {
        let a = byType.get(f.type);
        if (!a) byType.set(f.type, (a = new FIELD_TYPES[f.type].Array(buffer)));
        return a;
      });
    }
    this.#capacity = capacity;
  }

  #field(name: string): number {
    const k = this.#index.get(name);
    if (k === undefined) throw new TypeError(`Expected a field of this struct, got ${show(name)}`);
    return k;
  }

  #checked(index: number): number {
    if (index >>> 0 !== index || index >= this.#length) {
      throw new RangeError(
        `Expected \`index\` to be an integer from 0 to ${this.#length - 1}, got ${show(index)}`,
      );
    }
    return index;
  }

  /** A class whose prototype has one getter/setter pair per field, bound to this store. */
  #recordClass(): new (index: number) => StructRecord<S> {
    const View = class {
      index: number;
      constructor(index: number) {
        this.index = index;
      }
    };
    const names = this.#fields.map((f) => f.name);
    // JSON.stringify and console.log see own properties only; give them the fields.
    Object.defineProperty(View.prototype, 'toJSON', {
      value(this: Record<string, number>) {
        const out: Record<string, number> = { index: this.index! };
        for (const name of names) out[name] = this[name]!;
        return out;
      },
    });
    const arrays = (): FieldArray[] => this.#arrays;
    this.#fields.forEach((f, k) => {
      const stride = this.#strides[k]!;
      const offset = this.#offsets[k]!;
      Object.defineProperty(View.prototype, f.name, {
        enumerable: true,
        get(this: { index: number }): number {
          return arrays()[k]![this.index * stride + offset]!;
        },
        set(this: { index: number }, value: number) {
          arrays()[k]![this.index * stride + offset] = value;
        },
      });
    });
    return View as unknown as new (
      index: number,
    ) => StructRecord<S>;
  }
}
