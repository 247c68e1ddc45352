/**
 * Large buffered appends to one file: small writes are gathered into one buffer and handed to
 * the OS in `bufferSize` pieces (one syscall per 256 KiB instead of one per block), with an
 * explicit `flush()` (to the OS) and `sync()` (to the disk). Writes larger than the buffer
 * skip it. Used for tables and by compaction.
 */
import { nodeFileSystem } from './node-file-system.js';
import type { FileSystem } from './types.js';

/** Options of {@link SequentialWriter}. */
export interface SequentialWriterOptions {
  /** Bytes gathered before one write to the OS. @defaultValue `256 KiB` */
  bufferSize?: number;
  /** File-system layer. @defaultValue {@link nodeFileSystem} */
  fs?: FileSystem;
}

export class SequentialWriter {
  readonly #fs: FileSystem;
  readonly #fd: number;
  readonly #buf: Uint8Array;
  #len = 0;
  /** Bytes appended so far, buffered or not: the file offset of the next append. */
  #position = 0;
  #closed = false;

  /** Opens (creates or truncates) `path` for appending. */
  constructor(path: string, options: SequentialWriterOptions = {}) {
    const size = options.bufferSize ?? 256 * 1024;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(
        `Expected \`bufferSize\` to be an integer from 1 and up, got \`${size}\` (${typeof size})`,
      );
    }
    this.#fs = options.fs ?? nodeFileSystem;
    this.#fd = this.#fs.open(path, 'create');
    this.#buf = new Uint8Array(size);
  }

  /** File offset where the next appended byte will land. */
  get position(): number {
    return this.#position;
  }

  /** Appends `bytes` (copied; the caller may reuse its buffer at once). */
  append(bytes: Uint8Array): void {
    if (this.#closed) throw new TypeError('SequentialWriter is closed');
    const n = bytes.length;
    this.#position += n;
    if (this.#len + n <= this.#buf.length) {
      this.#buf.set(bytes, this.#len);
      this.#len += n;
      return;
    }
    this.flush();
    if (n >= this.#buf.length) this.#fs.append(this.#fd, bytes, 0, n);
    else {
      this.#buf.set(bytes, 0);
      this.#len = n;
    }
  }

  /** Hands buffered bytes to the OS: they now survive a crash of this process. */
  flush(): void {
    if (this.#len > 0) {
      this.#fs.append(this.#fd, this.#buf, 0, this.#len);
      this.#len = 0;
    }
  }

  /** Flushes, then fsyncs on the threadpool: the bytes now survive a power cut. */
  async sync(): Promise<void> {
    this.flush();
    await this.#fs.sync(this.#fd);
  }

  /** Flushes, then fsyncs on the calling thread (for worker threads, which may block). */
  syncNow(): void {
    this.flush();
    this.#fs.syncNow(this.#fd);
  }

  /** Flushes and closes the file. Does not fsync: call `sync()` first when it must be durable. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#fs.close(this.#fd);
  }
}
