/**
 * The payload of one write-ahead-log record: an atomic batch of operations sharing consecutive
 * sequence numbers. One record is one checksum: after a crash a batch is replayed whole or not
 * at all.
 *
 * ```
 *  0            8           12
 *  +------------+-----------+------------------------------------------------------------+
 *  | first seq  | count u32 | op × count: kind u8 | keyLen varint | key | [valLen varint | value] |
 *  |  u53le     |           |   (value only for kind 1 = put)                               |
 *  +------------+-----------+------------------------------------------------------------+
 * ```
 */
import { CorruptionError } from '../errors.js';
import { type ByteSink, getU32, getU53, getVarint, putU32, putU53, VARINT } from './coding.js';
import { KIND_PUT } from './iterator.js';
import { LOG_HEADER_SIZE } from './log.js';
import type { MemTable } from './memtable.js';

const OFF_SEQ = 0;
const OFF_COUNT = 8;
export const BATCH_HEADER_SIZE = 12;

/** Starts a batch record in `sink` (just after the log header the LogWriter reserved). */
export function beginBatch(sink: ByteSink, seq: number): void {
  sink.reserve(BATCH_HEADER_SIZE);
  putU53(sink.buf, LOG_HEADER_SIZE + OFF_SEQ, seq);
  sink.len = LOG_HEADER_SIZE + BATCH_HEADER_SIZE;
}

export function addOp(sink: ByteSink, kind: number, key: Uint8Array, value: Uint8Array): void {
  sink.reserve(1);
  sink.buf[sink.len++] = kind;
  sink.varint(key.length);
  sink.bytes(key);
  if (kind === KIND_PUT) {
    sink.varint(value.length);
    sink.bytes(value);
  }
}

export function endBatch(sink: ByteSink, count: number): void {
  putU32(sink.buf, LOG_HEADER_SIZE + OFF_COUNT, count);
}

const EMPTY = new Uint8Array(0);

/**
 * Applies a logged batch to a memtable; returns the last sequence number it used. A record
 * whose checksum held but whose contents do not parse is corruption (`file`, `offset`).
 */
export function replayBatch(file: string, offset: number, rec: Uint8Array, mem: MemTable): number {
  const bad = () => new CorruptionError(file, offset, 'Malformed log batch');
  if (rec.length < BATCH_HEADER_SIZE) throw bad();
  const seq = getU53(rec, OFF_SEQ);
  const count = getU32(rec, OFF_COUNT);
  let off = BATCH_HEADER_SIZE;
  const end = rec.length;
  for (let i = 0; i < count; i++) {
    if (off >= end) throw bad();
    const kind = rec[off++]!;
    if (kind > KIND_PUT) throw bad();
    getVarint(rec, off, end);
    if (VARINT[1]! < 0 || VARINT[1]! + VARINT[0]! > end) throw bad();
    const key = rec.subarray(VARINT[1]!, VARINT[1]! + VARINT[0]!);
    off = VARINT[1]! + VARINT[0]!;
    let value: Uint8Array = EMPTY;
    if (kind === KIND_PUT) {
      getVarint(rec, off, end);
      if (VARINT[1]! < 0 || VARINT[1]! + VARINT[0]! > end) throw bad();
      value = rec.subarray(VARINT[1]!, VARINT[1]! + VARINT[0]!);
      off = VARINT[1]! + VARINT[0]!;
    }
    mem.add(seq + i, kind, key, value);
  }
  if (off !== end) throw bad();
  return seq + count - 1;
}
