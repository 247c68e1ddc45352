// The value codec of the worker pool's shared-memory channel. It is written as one
// self-contained factory (no imports, no outer bindings) because the same source runs on both
// sides: the main thread calls it directly, and src/internal/worker-source.ts pastes its
// `toString()` into the worker's eval'd script.
//
// A value is one tag byte followed by its bytes:
//
//   +-----+--------------------------------------------+
//   | tag | payload                                    |
//   +-----+--------------------------------------------+
//     0 undefined · 1 null · 2 true · 3 false  (no payload)
//     4 number     8 bytes, little-endian float64
//     5 string     UTF-8
//     6 other      v8.serialize() output (structured clone)
//     7 plain data JSON text, only for values JSON round-trips exactly (checked, small)
//
// Numbers, strings and small plain objects are what pool tasks mostly exchange; the tags spare
// them v8.serialize, whose serialize + deserialize round trip took 10–30 µs here (a serializer
// object per call, host-object callbacks in JS; measured on this loaded machine) against 1–3 µs
// for JSON of a small object. `encode` reports -1 when a value does not fit, or must not go
// through v8.serialize (it would *copy* a view on a SharedArrayBuffer); the caller then falls
// back to postMessage, which shares such memory.

/** What {@link makeCodec} returns. */
export interface Codec {
  /** Writes `value` at `offset`; returns the end offset, or -1 when it does not fit/serialize. */
  encode(value: unknown, target: Uint8Array, view: DataView, offset: number): number;
  /** Reads the value written at `offset` up to `end`. */
  decode(source: Uint8Array, view: DataView, offset: number, end: number): unknown;
}

interface V8Like {
  serialize(value: unknown): Uint8Array;
  deserialize(bytes: Uint8Array): unknown;
}

export function makeCodec(v8: V8Like): Codec {
  const TAG_UNDEFINED = 0;
  const TAG_NULL = 1;
  const TAG_TRUE = 2;
  const TAG_FALSE = 3;
  const TAG_NUMBER = 4;
  const TAG_STRING = 5;
  const TAG_V8 = 6;
  const TAG_JSON = 7;
  const utf8 = new TextEncoder();
  const fromUtf8 = new TextDecoder();
  /** Nodes a value may have to take the JSON path; bigger ones go to v8.serialize. */
  const JSON_BUDGET = 256;
  /** Nesting deeper than this (or a cycle) is left to postMessage, which handles both. */
  const MAX_DEPTH = 64;
  let budget = 0;
  let json = true;
  // Walks the value once: clears `json` unless JSON.parse(JSON.stringify(v)) would equal v
  // (plain objects/arrays of finite non -0 numbers, strings, booleans, null; small), and returns
  // false when v8.serialize must not be used — a view on a SharedArrayBuffer would be *copied*
  // by it (structured clone through postMessage shares it), or the graph is too deep.
  const scan = (v: unknown, depth: number): boolean => {
    if (--budget < 0) json = false;
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return true;
      case 'number':
        if (!Number.isFinite(v) || Object.is(v, -0)) json = false;
        return true;
      case 'object': {
        if (v === null) return true;
        if (depth > MAX_DEPTH) return false;
        if (ArrayBuffer.isView(v)) {
          json = false;
          return !(v.buffer instanceof SharedArrayBuffer);
        }
        if (v instanceof SharedArrayBuffer) return false;
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) json = false;
            else if (!scan(v[i], depth + 1)) return false;
          }
          return true;
        }
        if (v instanceof Map || v instanceof Set) {
          json = false;
          for (const entry of v) if (!scan(entry, depth + 1)) return false;
          return true;
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) json = false;
        for (const k in v) if (!scan((v as Record<string, unknown>)[k], depth + 1)) return false;
        return true;
      }
      default:
        json = false;
        return true;
    }
  };
  return {
    encode(value, target, view, offset) {
      if (offset >= target.length) return -1;
      switch (typeof value) {
        case 'number':
          if (offset + 9 > target.length) return -1;
          target[offset] = TAG_NUMBER;
          view.setFloat64(offset + 1, value, true);
          return offset + 9;
        case 'undefined':
          target[offset] = TAG_UNDEFINED;
          return offset + 1;
        case 'boolean':
          target[offset] = value ? TAG_TRUE : TAG_FALSE;
          return offset + 1;
        case 'string': {
          target[offset] = TAG_STRING;
          const r = utf8.encodeInto(value, target.subarray(offset + 1));
          return r.read === value.length ? offset + 1 + r.written : -1;
        }
        default: {
          if (value === null) {
            target[offset] = TAG_NULL;
            return offset + 1;
          }
          // A typed array larger than the space left cannot fit: do not pay for serializing it.
          if (ArrayBuffer.isView(value) && value.byteLength >= target.length - offset) return -1;
          budget = JSON_BUDGET;
          json = true;
          if (!scan(value, 0)) return -1;
          if (json) {
            target[offset] = TAG_JSON;
            const text = JSON.stringify(value);
            const r = utf8.encodeInto(text, target.subarray(offset + 1));
            return r.read === text.length ? offset + 1 + r.written : -1;
          }
          let bytes: Uint8Array;
          try {
            bytes = v8.serialize(value);
          } catch {
            return -1;
          }
          if (offset + 1 + bytes.length > target.length) return -1;
          target[offset] = TAG_V8;
          target.set(bytes, offset + 1);
          return offset + 1 + bytes.length;
        }
      }
    },
    decode(source, view, offset, end) {
      switch (source[offset]) {
        case TAG_NUMBER:
          return view.getFloat64(offset + 1, true);
        case TAG_STRING:
          return fromUtf8.decode(source.subarray(offset + 1, end));
        case TAG_NULL:
          return null;
        case TAG_TRUE:
          return true;
        case TAG_FALSE:
          return false;
        case TAG_JSON:
          return JSON.parse(fromUtf8.decode(source.subarray(offset + 1, end)));
        case TAG_V8:
          return v8.deserialize(source.subarray(offset + 1, end));
        default:
          return undefined;
      }
    },
  };
}
