import { show } from './internal/validate.js';

/*
 * hasDuplicates: the O(n) replacement for the O(n²) pairwise check, with `Set` semantics
 * (SameValueZero: NaN equals NaN, -0 equals +0).
 *
 *   1. n ≤ PAIRWISE_MAX: pairwise compare. Nothing to set up, fastest for tiny inputs.
 *   2. one scan for min, max and "all int32":
 *      - all int32 and range < n: duplicates by pigeonhole, answered without a table;
 *      - all int32 and range ≤ BITSET_RANGE_PER_ELEMENT · n: a bitset of the range;
 *      - all int32 otherwise: open addressing over the int32 keys themselves;
 *      - otherwise: open addressing over element indices, comparing the float values.
 *
 * Tables are Int32Arrays with linear probing and a power-of-two capacity at load ≤ 3/4
 * (a third of a cache miss per probe sequence beyond the first, on random keys). Keys are
 * scrambled with the MurmurHash3 finaliser (Appleyard), so strided or clustered integers do
 * not pile into one probe run. Tables up to RETAIN_TABLE_WORDS are kept for the next call.
 */
const PAIRWISE_MAX = 16;
/** Bitset when the range needs at most 32 bits per element: its memory then ≤ one int32 table's. */
const BITSET_RANGE_PER_ELEMENT = 32;
/** Scratch kept between calls: 1M words (4 MiB); larger tables are left to the GC. */
const RETAIN_TABLE_WORDS = 1 << 20;

let scratch = new Int32Array(1024);

function table(words: number): Int32Array {
  if (words > RETAIN_TABLE_WORDS) return new Int32Array(words);
  if (scratch.length < words) scratch = new Int32Array(words);
  const t = scratch.subarray(0, words);
  t.fill(0);
  return t;
}

function capacityFor(n: number): number {
  return 2 ** Math.ceil(Math.log2((n * 4) / 3 + 1));
}

/** MurmurHash3 fmix32: a bijection on int32 that spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * True when some value occurs twice, by `Set` equality (NaN equals NaN, -0 equals +0).
 * O(n) time; O(n) memory, or O(range) bits for integers of a small range.
 */
export function hasDuplicates(values: Int32Array | Float64Array | readonly number[]): boolean {
  const isArray = Array.isArray(values);
  if (!isArray && !(values instanceof Int32Array) && !(values instanceof Float64Array)) {
    throw new TypeError(
      `Expected \`values\` to be an Int32Array, Float64Array or array of numbers, got ${show(values)}`,
    );
  }
  const n = values.length;
  if (isArray) {
    for (let i = 0; i < n; i++) {
      if (typeof values[i] !== 'number') {
        throw new TypeError(`Expected \`values[${i}]\` to be a number, got ${show(values[i])}`);
      }
    }
  }
  if (n <= PAIRWISE_MAX) return pairwise(values);
  let lo = values[0]!;
  let hi = lo;
  let ints = true;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x !== (x | 0)) ints = false;
    if (x < lo) lo = x;
    else if (x > hi) hi = x;
  }
  if (!ints) return floatTable(values);
  const range = hi - lo + 1;
  if (range < n) return true;
  if (range <= BITSET_RANGE_PER_ELEMENT * n) return bitset(values, lo, range);
  return intTable(values);
}

/** The naive O(n²) check, used for n ≤ PAIRWISE_MAX (and by tests as the oracle). */
export function pairwise(values: ArrayLike<number>): boolean {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    for (let j = i + 1; j < n; j++) {
      const y = values[j]!;
      if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return true;
    }
  }
  return false;
}

function bitset(values: ArrayLike<number>, lo: number, range: number): boolean {
  const words = table(Math.ceil(range / 32));
  for (let i = 0; i < values.length; i++) {
    const at = values[i]! - lo;
    const w = at >>> 5;
    const bit = 1 << (at & 31);
    const word = words[w]!;
    if ((word & bit) !== 0) return true;
    words[w] = word | bit;
  }
  return false;
}

/** Keys stored as themselves; 0 marks an empty slot, so the key 0 is tracked apart. */
function intTable(values: ArrayLike<number>): boolean {
  const cap = capacityFor(values.length);
  const mask = cap - 1;
  const t = table(cap);
  let zero = false;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]! | 0;
    if (x === 0) {
      if (zero) return true;
      zero = true;
      continue;
    }
    let at = fmix32(x) & mask;
    for (;;) {
      const k = t[at]!;
      if (k === 0) {
        t[at] = x;
        break;
      }
      if (k === x) return true;
      at = (at + 1) & mask;
    }
  }
  return false;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Slots hold index + 1 (0 = empty); equal values compare with ===, NaN is tracked apart. */
function floatTable(values: ArrayLike<number>): boolean {
  const cap = capacityFor(values.length);
  const mask = cap - 1;
  const t = table(cap);
  let nan = false;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) {
      if (nan) return true;
      nan = true;
      continue;
    }
    f64[0] = x === 0 ? 0 : x; // -0 hashes as +0
    let at = fmix32(u32[0]! ^ fmix32(u32[1]!)) & mask;
    for (;;) {
      const k = t[at]!;
      if (k === 0) {
        t[at] = i + 1;
        break;
      }
      if (values[k - 1] === x) return true;
      at = (at + 1) & mask;
    }
  }
  return false;
}
