// Hashing keys of any kind for the frequency sketch. A key is hashed once on insertion (the
// result is kept per slot) and once per miss, so the cost stays off the hit path. Collisions
// only blur frequency estimates; they never affect which value a key maps to (that is a Map).

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const ids = new WeakMap<object, number>();
let nextId = 1;

/** Murmur3's 32-bit finaliser (fmix32): spreads every input bit over the whole word. */
export function spread(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

/** FNV-1a over the UTF-16 code units. */
function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** A well-spread 32-bit hash of any key; objects get a stable identity number. */
export function hashKey(key: unknown): number {
  switch (typeof key) {
    case 'number':
      if ((key | 0) === key) return spread(key);
      f64[0] = key;
      return spread(u32[0]! ^ Math.imul(u32[1]!, 0x9e3779b1));
    case 'string':
      return spread(stringHash(key));
    case 'object':
    case 'function': {
      if (key === null) return 0x5bd1e995;
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = nextId++));
      return spread(id);
    }
    case 'bigint':
      return spread(stringHash(key.toString(36)) ^ 0x27d4eb2f);
    case 'symbol':
      return spread(stringHash(key.description ?? '') ^ 0x165667b1);
    case 'boolean':
      return key ? 0x2545f491 : 0x61c88647;
    default:
      return 0x68e31da4;
  }
}
