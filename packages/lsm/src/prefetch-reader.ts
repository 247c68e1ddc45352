/**
 * Read-ahead for scans and compaction: one large read fills a window, and reads inside it are
 * served from memory. A sequential pass over a table costs one syscall per `readAhead` bytes
 * instead of one per 4 KiB block; a read outside the window (a seek) refills it there.
 */
import { nodeFileSystem } from './node-file-system.js';
import type { FileSystem } from './types.js';

/** Options of {@link PrefetchReader}. */
export interface PrefetchReaderOptions {
  /** Bytes read ahead per refill. @defaultValue `256 KiB` */
  readAhead?: number;
  /** File-system layer. @defaultValue {@link nodeFileSystem} */
  fs?: FileSystem;
}

export class PrefetchReader {
  readonly #fs: FileSystem;
  readonly #fd: number;
  readonly #ownsFd: boolean;
  #buf: Uint8Array;
  /** File offset of `#buf[0]`; the window is [#start, #start + #len). */
  #start = 0;
  #len = 0;
  readonly size: number;
  /** Refills performed (one syscall each). */
  reads = 0;

  /** Reads `file`: a path (opened and owned) or a descriptor (borrowed, not closed). */
  constructor(file: string | number, options: PrefetchReaderOptions = {}) {
    const readAhead = options.readAhead ?? 256 * 1024;
    if (!Number.isInteger(readAhead) || readAhead < 1) {
      throw new RangeError(
        `Expected \`readAhead\` to be an integer from 1 and up, got \`${readAhead}\` (${typeof readAhead})`,
      );
    }
    this.#fs = options.fs ?? nodeFileSystem;
    this.#ownsFd = typeof file === 'string';
    this.#fd = typeof file === 'string' ? this.#fs.open(file, 'read') : file;
    this.size = this.#fs.size(this.#fd);
    this.#buf = new Uint8Array(readAhead);
  }

  /**
   * `length` bytes at `position`, as a view that stays valid until the next call. Returns
   * fewer bytes only at the end of the file.
   */
  read(position: number, length: number): Uint8Array {
    const end = Math.min(position + length, this.size);
    if (position < this.#start || end > this.#start + this.#len) {
      if (end - position > this.#buf.length) this.#buf = new Uint8Array(end - position);
      const want = Math.min(this.#buf.length, this.size - position);
      let got = 0;
      while (got < want) {
        const n = this.#fs.read(this.#fd, this.#buf, got, want - got, position + got);
        if (n <= 0) break;
        got += n;
      }
      this.#start = position;
      this.#len = got;
      this.reads++;
    }
    const from = position - this.#start;
    return this.#buf.subarray(
      from,
      from + Math.max(0, Math.min(end, this.#start + this.#len) - position),
    );
  }

  close(): void {
    if (this.#ownsFd) this.#fs.close(this.#fd);
  }
}
