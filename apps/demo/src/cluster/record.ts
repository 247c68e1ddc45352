/**
 * What a cluster node stores for a key: the value (or a tombstone) behind its version.
 *
 *   offset 0   8 bytes  version, big-endian (hybrid logical clock, see `VersionClock`)
 *   offset 8   1 byte   kind: 0 = value, 1 = tombstone
 *   offset 9   …        the value's bytes (none for a tombstone)
 *
 * Versions decide every race between a handoff and a write: a handed-off record is applied
 * only when it is newer than what the receiver holds, so an older copy can never overwrite an
 * acknowledged write, and a tombstone keeps a handed-off older value from coming back.
 */
export const VERSION_OFFSET = 0;
export const KIND_OFFSET = 8;
export const HEADER_BYTES = 9;
export const KIND_VALUE = 0;
export const KIND_TOMBSTONE = 1;

export interface VersionedRecord {
  readonly version: number;
  /** `undefined` for a tombstone. */
  readonly value: Buffer | undefined;
}

export class RecordFormatError extends Error {
  override readonly name = 'RecordFormatError';
  readonly code = 'PERF_KV_CORRUPT_RECORD';
}

export function encodeRecord(rec: VersionedRecord): Buffer {
  const body = rec.value ?? Buffer.alloc(0);
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeBigUInt64BE(BigInt(rec.version), VERSION_OFFSET);
  out[KIND_OFFSET] = rec.value === undefined ? KIND_TOMBSTONE : KIND_VALUE;
  body.copy(out, HEADER_BYTES);
  return out;
}

export function decodeRecord(bytes: Uint8Array): VersionedRecord {
  if (bytes.length < HEADER_BYTES) {
    throw new RecordFormatError(`record of ${bytes.length} bytes is shorter than its header`);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = Number(buf.readBigUInt64BE(VERSION_OFFSET));
  const kind = buf[KIND_OFFSET];
  if (kind === KIND_TOMBSTONE) return { version, value: undefined };
  if (kind !== KIND_VALUE) throw new RecordFormatError(`record kind ${kind} is unknown`);
  return { version, value: Buffer.from(buf.subarray(HEADER_BYTES)) };
}

/**
 * A hybrid logical clock: milliseconds × 1024 plus a counter, never going backwards and always
 * ahead of every version it has seen. Versions stay below 2^53 until the year 2248.
 */
export class VersionClock {
  #last = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  next(): number {
    this.#last = Math.max(this.#now() * 1024, this.#last + 1);
    return this.#last;
  }

  /** The newest version handed out or seen. */
  get last(): number {
    return this.#last;
  }

  observe(version: number): void {
    if (version > this.#last) this.#last = version;
  }
}
