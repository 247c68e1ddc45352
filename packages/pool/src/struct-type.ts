import { optionalInteger, show } from './internal/assert.js';
import { FIELD_TYPES, isFieldType } from './internal/field-types.js';
import { MAX_RECORDS } from './internal/limits.js';
import { StructArray } from './struct-array.js';
import type { FieldType, StructField, StructLayout, StructSchema } from './types.js';

/** Field names a record view uses itself. */
const RESERVED = new Set(['index', '__proto__', 'constructor']);
const DEFAULT_CAPACITY = 16;

/**
 * A record type over typed arrays, made by {@link defineStruct}. Knows its packed layout —
 * fields reordered by alignment so there is no padding between them — and creates stores of
 * records in struct-of-arrays (`soa`) or packed array-of-structs (`aos`) form.
 */
export class StructType<S extends StructSchema> {
  /** Fields in memory order (largest alignment first), with their packed offsets. */
  readonly fields: readonly StructField[];
  /** Bytes of one packed record, padding included (a multiple of `align`). */
  readonly sizeOf: number;
  /** Alignment of a packed record: the largest field size. */
  readonly align: number;
  /**
   * Bytes of one record laid out in declaration order, as a C compiler would: what the
   * reordering saves is `declaredSizeOf - sizeOf`.
   */
  readonly declaredSizeOf: number;
  readonly #byName: ReadonlyMap<string, StructField>;

  /** @internal Use {@link defineStruct}. */
  constructor(schema: S) {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new TypeError(
        `Expected \`schema\` to be an object of field types, got ${show(schema)}`,
      );
    }
    const declared: { name: string; type: FieldType; size: number }[] = [];
    for (const name of Object.keys(schema)) {
      const type: unknown = schema[name];
      if (RESERVED.has(name)) {
        throw new TypeError(
          `Expected a field name other than \`${name}\` (reserved), in \`schema\``,
        );
      }
      if (!isFieldType(type)) {
        throw new TypeError(
          `Expected field \`${name}\` to be one of ${Object.keys(FIELD_TYPES).join(', ')}, got ${show(type)}`,
        );
      }
      declared.push({ name, type, size: FIELD_TYPES[type].size });
    }
    if (declared.length === 0) throw new RangeError('Expected `schema` to have at least one field');

    let cOffset = 0;
    let align = 1;
    for (const f of declared) {
      cOffset = roundUp(cOffset, f.size) + f.size;
      align = Math.max(align, f.size);
    }
    this.align = align;
    this.declaredSizeOf = roundUp(cOffset, align);

    // Largest alignment first; sort is stable, so equal sizes keep declaration order. With
    // power-of-two sizes every field then starts aligned right after the previous one, so the
    // only padding left is at the tail (rustc's default struct layout does the same).
    let offset = 0;
    this.fields = [...declared]
      .sort((a, b) => b.size - a.size)
      .map((f) => {
        const field: StructField = Object.freeze({ ...f, offset });
        offset += f.size;
        return field;
      });
    this.sizeOf = roundUp(offset, align);
    this.#byName = new Map(this.fields.map((f) => [f.name, f]));
    Object.freeze(this.fields);
  }

  /** A field's description; `TypeError` for an unknown name. */
  field(name: keyof S & string): StructField {
    const f = this.#byName.get(name);
    if (!f) throw new TypeError(`Expected a field of this struct, got ${show(name)}`);
    return f;
  }

  /** Byte offset of a field in a packed record. */
  offsetOf(name: keyof S & string): number {
    return this.field(name).offset;
  }

  /** A struct-of-arrays store: one typed array per field, best for scans over few fields. */
  soa(capacity?: number): StructArray<S> {
    return new StructArray(this, 'soa', checkCapacity(capacity));
  }

  /** A packed array-of-structs store: records side by side in one buffer, `sizeOf` bytes each. */
  aos(capacity?: number): StructArray<S> {
    return new StructArray(this, 'aos', checkCapacity(capacity));
  }

  /** A store of either layout. */
  create(layout: StructLayout, capacity?: number): StructArray<S> {
    if (layout !== 'soa' && layout !== 'aos') {
      throw new TypeError(`Expected \`layout\` to be 'soa' or 'aos', got ${show(layout)}`);
    }
    return new StructArray(this, layout, checkCapacity(capacity));
  }
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function checkCapacity(capacity: unknown): number {
  return optionalInteger('capacity', capacity, DEFAULT_CAPACITY, 1, MAX_RECORDS);
}

/**
 * Defines a record type stored in typed arrays, e.g.
 * `defineStruct({ value: 'f64', id: 'i32', flag1: 'u8', flag2: 'u8' })` (16 bytes packed).
 * Unknown field types are a `TypeError`, an empty schema a `RangeError`.
 */
export function defineStruct<const S extends StructSchema>(schema: S): StructType<S> {
  return new StructType(schema);
}
