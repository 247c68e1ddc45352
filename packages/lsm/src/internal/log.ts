/**
 * The record log shared by the write-ahead log (`NNNNNN.log`) and the manifest
 * (`MANIFEST-NNNNNN`). Each record is framed with two CRC-32C checksums:
 *
 * ```
 *  0        4             8             12
 *  +--------+-------------+-------------+----------------------+
 *  | length | crc(payload)| crc(bytes   |  payload             |
 *  |  u32le | masked u32  |  0..8) u32  |  (length bytes)      |
 *  +--------+-------------+-------------+----------------------+
 * ```
 *
 * The header checksum lets recovery tell a damaged length (corruption, an error) from a record
 * the crash cut short (a torn tail, dropped). Records are never split: a group commit appends
 * many whole records with one write. Unlike LevelDB's 32 KiB block framing, a reader cannot
 * resynchronise after a damaged record — it does not try to: a damaged record that is not the
 * tail raises `PERF_LSM_CORRUPTION` with its offset instead of silently skipping keys.
 */
import { CorruptionError } from '../errors.js';
import type { FileSystem } from '../types.js';
import { ByteSink, getU32, putU32 } from './coding.js';
import { crc32c, maskCrc } from './crc32c.js';

export const LOG_HEADER_SIZE = 12;
const OFF_LENGTH = 0;
const OFF_PAYLOAD_CRC = 4;
const OFF_HEADER_CRC = 8;
/** Trailing zero bytes that mark a last record as torn rather than damaged. */
const TORN_ZEROS = 8;

/** Appends framed records to a log file. `sink` is reused: encode a payload into it, then `commit`. */
export class LogWriter {
  readonly fd: number;
  readonly #fs: FileSystem;
  /** Payload under construction, after a reserved header. Reused across records. */
  readonly sink = new ByteSink(64 * 1024);
  /** Bytes appended to the file since it was opened. */
  bytes = 0;

  constructor(fs: FileSystem, fd: number) {
    this.#fs = fs;
    this.fd = fd;
    this.begin();
  }

  /** Starts a record: reserves its header in `sink`. */
  begin(): void {
    this.sink.len = LOG_HEADER_SIZE;
  }

  /** Frames the record built in `sink` and hands it to the OS. */
  commit(): void {
    const buf = this.sink.buf;
    const len = this.sink.len;
    frame(buf, len);
    this.#fs.append(this.fd, buf, 0, len);
    this.bytes += len;
    this.begin();
  }

  /** Appends one whole payload as a record. */
  add(payload: Uint8Array): void {
    this.begin();
    this.sink.bytes(payload);
    this.commit();
  }
}

/** Fills in the header of a record whose payload is `buf[12, end)`. */
function frame(buf: Uint8Array, end: number): void {
  putU32(buf, OFF_LENGTH, end - LOG_HEADER_SIZE);
  putU32(buf, OFF_PAYLOAD_CRC, maskCrc(crc32c(buf, LOG_HEADER_SIZE, end)));
  putU32(buf, OFF_HEADER_CRC, maskCrc(crc32c(buf, 0, OFF_HEADER_CRC)));
}

/** What {@link readLog} found: whole records, and where a torn tail (if any) begins. */
export interface LogContents {
  records: Uint8Array[];
  /** Offsets of the records in the file, for error reports. */
  offsets: number[];
  /** Offset where valid data ends; less than the file size when a torn tail was dropped. */
  end: number;
}

function allZero(buf: Uint8Array, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * Reads every record of a log. With `tolerateTornTail` (the newest write-ahead log and the
 * manifest: the files a crash can interrupt), a record cut short at the end of the file — an
 * incomplete header, a length running past the end, or a zero-filled tail — ends the log there
 * (point-in-time recovery). Without it (an older log, complete since the rotation fsynced it)
 * that is corruption too. Any other checksum failure is always corruption: it throws
 * {@link CorruptionError} naming the record's offset.
 */
export function parseLog(file: string, data: Uint8Array, tolerateTornTail = true): LogContents {
  const records: Uint8Array[] = [];
  const offsets: number[] = [];
  const size = data.length;
  const torn = (off: number, reason: string) => {
    if (!tolerateTornTail)
      throw new CorruptionError(file, off, `${reason} in a log that is not the newest`);
  };
  let off = 0;
  while (off < size) {
    if (off + LOG_HEADER_SIZE > size) {
      torn(off, 'Truncated log record header');
      break;
    }
    if (allZero(data, off)) {
      torn(off, 'Zero-filled log tail');
      break;
    }
    if (getU32(data, off + OFF_HEADER_CRC) !== maskCrc(crc32c(data, off, off + OFF_HEADER_CRC))) {
      throw new CorruptionError(file, off, 'Log record header checksum mismatch');
    }
    const len = getU32(data, off + OFF_LENGTH);
    const end = off + LOG_HEADER_SIZE + len;
    if (end > size) {
      torn(off, 'Truncated log record');
      break; // the crash cut the payload short
    }
    const crc = maskCrc(crc32c(data, off + LOG_HEADER_SIZE, end));
    if (getU32(data, off + OFF_PAYLOAD_CRC) !== crc) {
      // A torn write at the very end (the size reached the disk, some data pages did not)
      // reads back as zeros. A damaged record anywhere — including the last — is an error:
      // dropping it silently could lose an acknowledged write or a manifest edit.
      if (end === size && allZero(data, Math.max(off + LOG_HEADER_SIZE, end - TORN_ZEROS))) {
        torn(off, 'Zero-filled log record');
        break;
      }
      throw new CorruptionError(file, off, 'Log record checksum mismatch');
    }
    records.push(data.subarray(off + LOG_HEADER_SIZE, end));
    offsets.push(off);
    off = end;
  }
  return { records, offsets, end: off };
}

/** Reads a whole file through the file-system layer. */
export function readWholeFile(fs: FileSystem, path: string): Uint8Array {
  const fd = fs.open(path, 'read');
  try {
    const size = fs.size(fd);
    const buf = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const n = fs.read(fd, buf, got, size - got, got);
      if (n <= 0) break;
      got += n;
    }
    return got === size ? buf : buf.subarray(0, got);
  } finally {
    fs.close(fd);
  }
}
