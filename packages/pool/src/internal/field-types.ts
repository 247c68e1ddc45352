import type { FieldArray, FieldType } from '../types.js';

type FieldArrayConstructor = new (
  buffer: ArrayBufferLike,
  byteOffset?: number,
  length?: number,
) => FieldArray;

interface FieldTypeInfo {
  /** Bytes, which is also the alignment (every type here is a power of two). */
  readonly size: number;
  readonly Array: FieldArrayConstructor & { new (length: number): FieldArray };
}

/** Storage of each field type. A null-prototype table: `'toString' in FIELD_TYPES` is false. */
export const FIELD_TYPES: Readonly<Record<FieldType, FieldTypeInfo>> = Object.assign(
  Object.create(null) as Record<FieldType, FieldTypeInfo>,
  {
    f64: { size: 8, Array: Float64Array },
    f32: { size: 4, Array: Float32Array },
    i32: { size: 4, Array: Int32Array },
    u32: { size: 4, Array: Uint32Array },
    i16: { size: 2, Array: Int16Array },
    u16: { size: 2, Array: Uint16Array },
    i8: { size: 1, Array: Int8Array },
    u8: { size: 1, Array: Uint8Array },
  },
);

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && Object.hasOwn(FIELD_TYPES, value);
}
