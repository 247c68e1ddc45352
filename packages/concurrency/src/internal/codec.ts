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
// them v8.serialize, which costs 5–10 µs a call here (a DefaultSerializer per call, host-object
// callbacks in JS) against ~1 µs for JSON of a small object (measured on this machine). `encode` reports -1 when the value does not fit (or cannot be
// serialized by v8, e.g. it holds a SharedArrayBuffer) and the caller falls back to postMessage.

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
  /** Nodes a value may have to take the JSON path; bigger ones go to v8.serialize. */
  const JSON_BUDGET = 256;
  let budget = 0;
  // True when JSON.parse(JSON.stringify(v)) would equal v: plain objects and arrays of finite
  // numbers (not -0), strings, booleans and null, without undefined or holes.
  const jsonSafe = (v: unknown): boolean => {
    if (--budget < 0) return false;
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return true;
      case 'number':
        return Number.isFinite(v) && !Object.is(v, -0);
      case 'object': {
        if (v === null) return true;
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonSafe(v[i])) return false;
          return true;
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) return false;
        for (const k in v) if (!jsonSafe((v as Record<string, unknown>)[k])) return false;
        return true;
      }
      default:
        return false;
    }
  };
  const utf8 = new TextEncoder();
  const fromUtf8 = new TextDecoder();
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
          budget = JSON_BUDGET;
          if (jsonSafe(value)) {
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
