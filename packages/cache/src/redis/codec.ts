/**
 * How a value is stored in Redis: a small ASCII header, then the payload.
 *
 * ```
 *   pc1:<version>:<staleAt>:<grace>:<format><payload>
 *   │    │         │         │       └ j = JSON, v = v8.serialize, b = raw Buffer, c = custom
 *   │    │         │         └ ms it is still kept, as stale, after staleAt
 *   │    │         └ logical expiry, epoch ms of the writer's clock (0: never)
 *   │    └ the write's version, from the prefix's counter (INCR inside the write script)
 *   └ magic and layout version
 * ```
 *
 * The version is written by the Lua write script (it alone knows it), the rest here. Redis
 * drops the key itself at staleAt + grace (PX). Carrying the logical expiry in the value lets a
 * read be one plain GET (or MGET); the price is that readers compare it with their own clock,
 * so clock skew between machines shifts freshness by that skew.
 */
import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8';

/** Turns values into bytes and back; `deserialize` may throw on bytes it cannot read. */
export interface Serializer {
  serialize(value: unknown): Buffer | Uint8Array | string;
  deserialize(data: Buffer): unknown;
}

/** `'json'` (plain data only), `'v8'` (structured clone: Map, Set, Date, BigInt…) or your own. */
export type SerializerOption = 'json' | 'v8' | Serializer;

export const MAGIC = 'pc1:';
const COLON = 0x3a;
const FORMAT_JSON = 0x6a; // j
const FORMAT_V8 = 0x76; // v
const FORMAT_RAW = 0x62; // b
const FORMAT_CUSTOM = 0x63; // c

/** A decoded stored value. */
export interface Decoded {
  value: unknown;
  version: number;
  /** Epoch ms after which the value is stale (0: never). */
  staleAt: number;
  grace: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'Object';
  return typeof value;
}

/**
 * JSON that refuses what it would silently change: `undefined`, functions and symbols
 * (dropped or turned into null), non-finite numbers (null), and any object that is not a
 * plain object or array (a Map becomes `{}`, a Date a string). Cycles and BigInt already throw.
 */
function strictJson(value: unknown): string {
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key, replaced) {
    const raw = this[key];
    switch (typeof raw) {
      case 'string':
      case 'boolean':
        return replaced;
      case 'number':
        if (Number.isFinite(raw)) return replaced;
        break;
      case 'object': {
        if (raw === null || Array.isArray(raw)) return replaced;
        const proto = Object.getPrototypeOf(raw);
        if (proto === Object.prototype || proto === null) return replaced;
        break;
      }
    }
    throw new TypeError(
      `Expected a JSON value (plain objects, arrays, strings, finite numbers, booleans, null), got ${describe(raw)}${key === '' ? '' : ` at \`${key}\``}; use \`serializer: 'v8'\` for richer values`,
    );
  });
  return text;
}

/**
 * Encodes the part after the version: `<staleAt>:<grace>:<format><payload>`. Throws TypeError
 * when it cannot.
 */
export function encodeBody(
  value: unknown,
  staleAt: number,
  grace: number,
  serializer: SerializerOption,
): Buffer {
  let format: number;
  let payload: Buffer | Uint8Array | string;
  if (Buffer.isBuffer(value)) {
    format = FORMAT_RAW;
    payload = value;
  } else if (serializer === 'json') {
    format = FORMAT_JSON;
    payload = strictJson(value);
  } else if (serializer === 'v8') {
    format = FORMAT_V8;
    try {
      payload = v8Serialize(value);
    } catch (error) {
      throw new TypeError(`Expected a value v8.serialize can clone, got ${describe(value)}`, {
        cause: error,
      });
    }
  } else {
    format = FORMAT_CUSTOM;
    payload = serializer.serialize(value);
    if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
      throw new TypeError(
        `Expected \`serializer.serialize\` to return a string or bytes, got ${describe(payload)}`,
      );
    }
  }
  const head = `${staleAt}:${grace}:${String.fromCharCode(format)}`;
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const out = Buffer.allocUnsafe(head.length + bytes.length);
  out.write(head, 0, 'latin1');
  out.set(bytes, head.length);
  return out;
}

/** Decodes a stored value; throws on anything that is not one (a foreign or garbled value). */
export function decode(data: Buffer, serializer: SerializerOption): Decoded {
  if (data.length < MAGIC.length + 4 || data.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new Error('not a @perf/cache value');
  }
  const versionEnd = data.indexOf(COLON, MAGIC.length);
  const staleEnd = versionEnd < 0 ? -1 : data.indexOf(COLON, versionEnd + 1);
  const graceEnd = staleEnd < 0 ? -1 : data.indexOf(COLON, staleEnd + 1);
  if (graceEnd < 0 || graceEnd + 1 >= data.length) throw new Error('truncated header');
  const version = Number(data.toString('latin1', MAGIC.length, versionEnd));
  const staleAt = Number(data.toString('latin1', versionEnd + 1, staleEnd));
  const grace = Number(data.toString('latin1', staleEnd + 1, graceEnd));
  if (
    !Number.isSafeInteger(version) ||
    version <= 0 ||
    !Number.isSafeInteger(staleAt) ||
    staleAt < 0 ||
    !Number.isSafeInteger(grace) ||
    grace < 0
  ) {
    throw new Error('bad header');
  }
  const format = data[graceEnd + 1];
  const payload = data.subarray(graceEnd + 2);
  let value: unknown;
  switch (format) {
    case FORMAT_RAW:
      value = payload;
      break;
    case FORMAT_JSON:
      value = JSON.parse(payload.toString('utf8'));
      break;
    case FORMAT_V8:
      value = v8Deserialize(payload);
      break;
    case FORMAT_CUSTOM:
      if (typeof serializer !== 'object') throw new Error('written by a custom serializer');
      value = serializer.deserialize(payload);
      break;
    default:
      throw new Error('unknown format');
  }
  if (value === undefined) throw new Error('decoded to undefined');
  return { value, version, staleAt, grace };
}
