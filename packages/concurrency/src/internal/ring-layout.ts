// The header shared by SpscRing and SpscByteRing, in Int32 words. Each side's index has a
// 64-byte cache line of its own so the producer's stores never invalidate the line the consumer
// writes (false sharing halves throughput on x86); the rarely-written sleeper counts and the
// read-only shape share a third line that therefore stays cached on both cores.
//
//   byte 0              64                128                                      192
//   +-----------------+-----------------+----------------------------------------+---------------
//   | HEAD            | TAIL            | HEAD_WAITERS TAIL_WAITERS MAGIC CAPACITY | slots …
//   | consumer writes | producer writes | (sleeper counts)         (read-only)   | (capacity)
//   +-----------------+-----------------+----------------------------------------+---------------
//
// HEAD and TAIL are free-running counters that wrap at 2^32 (compared with `| 0` subtraction),
// so every slot is usable: empty when HEAD === TAIL, full when TAIL - HEAD === CAPACITY.
import { powerOfTwo, sharedBuffer } from './validate.js';

export const HEAD = 0;
export const TAIL = 16;
/** Consumers sleeping until TAIL moves. */
export const TAIL_WAITERS = 32;
/** Producers sleeping until HEAD moves. */
export const HEAD_WAITERS = 33;
export const MAGIC = 34;
export const CAPACITY = 35;
export const HEADER_BYTES = 192;

/** Tags the buffer with the kind of ring so attaching the wrong class fails loudly. */
export const MAGIC_INT32 = 0x52_49_33_32; // 'RI32'
export const MAGIC_FLOAT64 = 0x52_46_36_34; // 'RF64'
export const MAGIC_BYTES = 0x52_42_59_54; // 'RBYT'

export const MAX_CAPACITY = 2 ** 28;

/** Allocates and tags a ring buffer with room for `capacity` slots of `slotBytes` each. */
export function createRing(capacity: number, slotBytes: number, magic: number, min: number) {
  powerOfTwo('capacity', capacity, min, MAX_CAPACITY);
  const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity * slotBytes);
  const words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  words[MAGIC] = magic;
  words[CAPACITY] = capacity;
  return buffer;
}

/** Validates a buffer made by `createRing` for one of `magics`; returns its header words. */
export function attachRing(buffer: unknown, slotBytes: (magic: number) => number, kind: string) {
  const sab = sharedBuffer('buffer', buffer, HEADER_BYTES);
  const words = new Int32Array(sab, 0, HEADER_BYTES / 4);
  const magic = Atomics.load(words, MAGIC);
  const size = slotBytes(magic);
  if (size === 0) {
    throw new TypeError(`Expected \`buffer\` to hold ${kind}, got a buffer without its header`);
  }
  const capacity = Atomics.load(words, CAPACITY);
  if (capacity < 1 || (capacity & (capacity - 1)) !== 0) {
    throw new RangeError(`Expected the ring's capacity to be a power of two, got ${capacity}`);
  }
  if (sab.byteLength < HEADER_BYTES + capacity * size) {
    throw new RangeError(
      `Expected \`buffer\` to hold ${HEADER_BYTES + capacity * size} bytes for capacity ${capacity}, got ${sab.byteLength}`,
    );
  }
  return { buffer: sab, words, capacity, magic };
}
