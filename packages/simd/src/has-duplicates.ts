import { show } from './internal/validate.js';

/*
 * hasDuplicates: the O(n) replacement for the O(n²) pairwise check, with `Set` semantics
 * (SameValueZero: NaN equals NaN, -0 equals +0).
 *
 *   1. n ≤ PAIRWISE_MAX: pairwise compare. Nothing to set up, fastest for tiny inputs.
 *   2. one scan for min, max and "all int32":
 *      - all int32 and range < n: duplicates by pigeonhole, answered without a table;
 *      - all int32 and range ≤ BITSET_RANGE_PER_ELEMENT · n: a bitset of the range;
 *      - otherwise: radix-partitioned open addressing (below), over int32 keys or float64s.
 *
 * Open addressing over one table of n slots makes every insert a cache miss, and on this
 * machine a TLB miss too (~40-80 ns each once the table outgrows the caches). So, as in the
 * radix-partitioned hash joins of Manegold, Boncz and Kersten ("Optimizing main-memory join
 * on modern hardware", 2002) and Balkesen et al. (ICDE 2013), the keys are first scattered
 * by the top bits of their hash into 2^bits partitions (one sequential pass, 2^bits write
 * streams), then each partition is checked with its own small table, which stays in L2:
 *
 *   values ──hash──► histogram ──prefix sums──► start[p]
 *   values ──hash──► keys[ cursor[top bits]++ ]          (scatter, sequential reads)
 *   for each partition p: linear probing on the LOW bits, table of ≤ 2 · PARTITION_ELEMENTS
 *
 * Int32 keys are replaced by h = fmix32(x), the MurmurHash3 finaliser (Appleyard): a
 * bijection on 32 bits, so h collides exactly when x does, and equal keys compare as equal
 * hashes; h = 0 only for x = 0, which is tracked apart so 0 can mark an empty slot. Float64
 * partitions keep the value and its hash side by side; slots hold a partition-local index.
 * Tables load at most 3/4. Scratch arrays up to RETAIN_WORDS are kept between calls.
 */
/** Below this, the n²/2 comparisons cost less than one scan plus a table (not tuned further). */
const PAIRWISE_MAX = 16;
/**
 * Bitset when the range needs at most 32 bits per element (its memory then ≤ the int32 keys')
 * and at most BITSET_MAX_BITS in all: 8 MiB, about an L3 here. Beyond that, random bit sets
 * miss the cache like table probes do, without the partitioning that tames them (reasoned,
 * not measured separately).
 */
const BITSET_RANGE_PER_ELEMENT = 32;
const BITSET_MAX_BITS = 2 ** 26;
/**
 * Target elements per partition: its table (≤ 16K int32 slots, 64 KiB) fits L2 with room to
 * spare. 1M keys make 128 partitions. MAX_PARTITION_BITS caps the write streams of the
 * scatter at 1024; caps of 5, 7 and 10 bits measured alike here at 1M and 10M keys (within
 * the noise of a shared machine), so the cap only guards against TLB thrashing at larger n.
 */
const PARTITION_ELEMENTS = 8192;
const MAX_PARTITION_BITS = 10;
/** Scratch kept between calls: 1M elements (4 or 8 MiB); larger ones are left to the GC. */
const RETAIN_WORDS = 1 << 20;

/** Scratch slots, reused between calls when small. */
const COUNTS = 0;
const CURSOR = 1;
const KEYS = 2;
const TABLE = 3;
const pool: Int32Array[] = [
  new Int32Array(0),
  new Int32Array(0),
  new Int32Array(0),
  new Int32Array(0),
];
let floatPool = new Float64Array(0);

function int32(slot: number, length: number): Int32Array {
  if (length > RETAIN_WORDS) return new Int32Array(length);
  if (pool[slot]!.length < length) pool[slot] = new Int32Array(Math.max(length, 1024));
  return pool[slot]!;
}

function float64(length: number): Float64Array {
  if (length > RETAIN_WORDS) return new Float64Array(length);
  if (floatPool.length < length) floatPool = new Float64Array(Math.max(length, 1024));
  return floatPool;
}

/** Power-of-two table size keeping the load at or below 3/4. */
function capacityFor(n: number): number {
  return 2 ** Math.ceil(Math.log2((n * 4) / 3 + 1));
}

/**
 * The partitioning of n keys: hash h goes to partition (h >>> shift) & pmask, and after
 * counting, partition p is keys[start[p] .. start[p + 1]). With 0 bits there is one partition.
 */
function partitions(n: number) {
  const bits = Math.min(
    MAX_PARTITION_BITS,
    Math.max(0, Math.ceil(Math.log2(n / PARTITION_ELEMENTS))),
  );
  const parts = 1 << bits;
  const start = int32(COUNTS, parts + 1).fill(0, 0, parts + 1);
  return { parts, shift: 32 - bits, pmask: parts - 1, start };
}

/**
 * Turns the counts in start[p + 1] into start offsets (prefix sums), sets each partition's
 * write cursor to its start, and returns the size of the largest partition.
 */
function layout(start: Int32Array, cursor: Int32Array, parts: number): number {
  let largest = 0;
  for (let p = 0; p < parts; p++) {
    largest = Math.max(largest, start[p + 1]!);
    start[p + 1]! += start[p]!;
    cursor[p] = start[p]!;
  }
  return largest;
}

/** MurmurHash3 fmix32: a bijection on int32 that spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Hash of a non-NaN double, with -0 hashed as +0 (they are equal under SameValueZero). */
function hashDouble(x: number): number {
  f64[0] = x === 0 ? 0 : x;
  return fmix32(u32[0]! ^ fmix32(u32[1]!));
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
  if (range <= BITSET_RANGE_PER_ELEMENT * n && range <= BITSET_MAX_BITS) {
    return bitset(values, lo, range);
  }
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
  const words = int32(TABLE, Math.ceil(range / 32)).fill(0, 0, Math.ceil(range / 32));
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

/** Radix-partitioned open addressing over h = fmix32(x) of int32 keys (see the top). */
function intTable(values: ArrayLike<number>): boolean {
  const n = values.length;
  const { parts, shift, pmask, start } = partitions(n);
  let zero = false;
  for (let i = 0; i < n; i++) {
    const h = fmix32(values[i]! | 0);
    if (h === 0) {
      if (zero) return true;
      zero = true;
      continue;
    }
    start[((h >>> shift) & pmask) + 1]!++;
  }
  const cursor = int32(CURSOR, parts);
  const largest = layout(start, cursor, parts);
  const keys = int32(KEYS, n);
  for (let i = 0; i < n; i++) {
    const h = fmix32(values[i]! | 0);
    if (h !== 0) keys[cursor[(h >>> shift) & pmask]!++] = h;
  }
  const table = int32(TABLE, capacityFor(largest));
  for (let p = 0; p < parts; p++) {
    const from = start[p]!;
    const to = start[p + 1]!;
    const mask = capacityFor(to - from) - 1;
    table.fill(0, 0, mask + 1);
    for (let j = from; j < to; j++) {
      const h = keys[j]!;
      let at = h & mask;
      for (;;) {
        const k = table[at]!;
        if (k === 0) {
          table[at] = h;
          break;
        }
        if (k === h) return true;
        at = (at + 1) & mask;
      }
    }
  }
  return false;
}

/** The same over float64 values: partitions hold (hash, value); slots a local index + 1. */
function floatTable(values: ArrayLike<number>): boolean {
  const n = values.length;
  const { parts, shift, pmask, start } = partitions(n);
  let nan = false;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) {
      if (nan) return true;
      nan = true;
      continue;
    }
    start[((hashDouble(x) >>> shift) & pmask) + 1]!++;
  }
  const cursor = int32(CURSOR, parts);
  const largest = layout(start, cursor, parts);
  const hashes = int32(KEYS, n);
  const vals = float64(n);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    const h = hashDouble(x);
    const at = cursor[(h >>> shift) & pmask]!++;
    hashes[at] = h;
    vals[at] = x;
  }
  const table = int32(TABLE, capacityFor(largest));
  for (let p = 0; p < parts; p++) {
    const from = start[p]!;
    const to = start[p + 1]!;
    const mask = capacityFor(to - from) - 1;
    table.fill(0, 0, mask + 1);
    for (let j = from; j < to; j++) {
      const h = hashes[j]!;
      const x = vals[j]!;
      let at = h & mask;
      for (;;) {
        const k = table[at]!;
        if (k === 0) {
          table[at] = j - from + 1;
          break;
        }
        if (hashes[from + k - 1] === h && vals[from + k - 1] === x) return true;
        at = (at + 1) & mask;
      }
    }
  }
  return false;
}
