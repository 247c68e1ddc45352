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
function malformed(file: string, offset: number): CorruptionError {
  return new CorruptionError(file, offset, 'Malformed log batch');
}

/** Where a replayed batch goes: a memtable, or recovery's sorted run. */
export interface BatchTarget {
  add(seq: number, kind: number, key: Uint8Array, value: Uint8Array): void;
}

export function replayBatch(
  file: string,
  offset: number,
  rec: Uint8Array,
  mem: BatchTarget,
): number {
  if (rec.length < BATCH_HEADER_SIZE) throw malformed(file, offset);
  const seq = getU53(rec, OFF_SEQ);
  const count = getU32(rec, OFF_COUNT);
  let off = BATCH_HEADER_SIZE;
  const end = rec.length;
  for (let i = 0; i < count; i++) {
    if (off >= end) throw malformed(file, offset);
    const kind = rec[off++]!;
    if (kind > KIND_PUT) throw malformed(file, offset);
    getVarint(rec, off, end);
    if (VARINT[1]! < 0 || VARINT[1]! + VARINT[0]! > end) throw malformed(file, offset);
    const key = rec.subarray(VARINT[1]!, VARINT[1]! + VARINT[0]!);
    off = VARINT[1]! + VARINT[0]!;
    let value: Uint8Array = EMPTY;
    if (kind === KIND_PUT) {
      getVarint(rec, off, end);
      if (VARINT[1]! < 0 || VARINT[1]! + VARINT[0]! > end) throw malformed(file, offset);
      value = rec.subarray(VARINT[1]!, VARINT[1]! + VARINT[0]!);
      off = VARINT[1]! + VARINT[0]!;
    }
    mem.add(seq + i, kind, key, value);
  }
  if (off !== end) throw malformed(file, offset);
  return seq + count - 1;
}

/**
 * The first record of every write-ahead log: a batch header with sequence 0 and count 0 (no
 * batch has either), then the number of the log it replaced and that log's final length.
 * The old log was fsynced before this one took writes, so that length is final: recovery
 * checks that a live older log is all there, even when it was cut at a record boundary.
 *
 * ```
 *  0        8         12                20
 *  | seq 0  | count 0 | prev number u53  | prev length u53 |
 * ```
 * `prev number` 0: no predecessor (the first log after `open`).
 */
export const LOG_START_SIZE = BATCH_HEADER_SIZE + 16;
const OFF_PREV_NUMBER = BATCH_HEADER_SIZE;
const OFF_PREV_LENGTH = BATCH_HEADER_SIZE + 8;

export function encodeLogStart(prevNumber: number, prevLength: number): Uint8Array {
  const rec = new Uint8Array(LOG_START_SIZE);
  putU53(rec, OFF_PREV_NUMBER, prevNumber);
  putU53(rec, OFF_PREV_LENGTH, prevLength);
  return rec;
}

/** The predecessor a log-start record names, or null when `rec` is a batch. */
export function decodeLogStart(rec: Uint8Array): { prevNumber: number; prevLength: number } | null {
  if (rec.length !== LOG_START_SIZE || getU53(rec, OFF_SEQ) !== 0 || getU32(rec, OFF_COUNT) !== 0)
    return null;
  return { prevNumber: getU53(rec, OFF_PREV_NUMBER), prevLength: getU53(rec, OFF_PREV_LENGTH) };
}
