import { open } from 'node:fs/promises';
import { BufferPool } from './buffer-pool.js';
import { Bytes } from './bytes.js';
import { optionalInteger, options, show } from './internal/assert.js';
import type { ReadChunksOptions } from './types.js';

const DEFAULT_CHUNK = 64 * 1024;
/** Chunks a private pool may hold: the one being read, the one handed out, and slack. */
const PRIVATE_POOL_CHUNKS = 4;

/**
 * Reads a file in chunks of `chunkSize` bytes into buffers from a {@link BufferPool} and yields
 * each chunk as a {@link Bytes} (slice it freely, no copies). Node has no `mmap` in core; this
 * is the copy-light alternative: the kernel copies each chunk once into a reused buffer, and
 * no buffer is allocated per chunk — only small objects: the `Bytes` handle, its `DataView`
 * and the read promise.
 *
 * A chunk's buffer goes back to the pool when the loop asks for the next chunk, so a yielded
 * `Bytes` (and every slice of it) is valid only until then — call `copy()` on what you keep.
 * Breaking out of the loop closes the file and returns the buffer.
 */
export async function* readChunks(
  path: string | URL,
  opts?: ReadChunksOptions,
): AsyncGenerator<Bytes, void, undefined> {
  if (typeof path !== 'string' && !(path instanceof URL)) {
    throw new TypeError(`Expected \`path\` to be a string or URL, got ${show(path)}`);
  }
  const o = options<ReadChunksOptions>('options', opts);
  const chunkSize = optionalInteger('chunkSize', o.chunkSize, DEFAULT_CHUNK, 1, 2 ** 30);
  let position = optionalInteger('start', o.start, 0, 0, Number.MAX_SAFE_INTEGER);
  if (o.pool !== undefined && !(o.pool instanceof BufferPool)) {
    throw new TypeError(`Expected \`pool\` to be a BufferPool, got ${show(o.pool)}`);
  }
  const pool =
    o.pool ??
    new BufferPool({
      minSize: 1,
      maxSize: 2 ** Math.ceil(Math.log2(chunkSize)),
      budget: PRIVATE_POOL_CHUNKS * 2 ** Math.ceil(Math.log2(chunkSize)),
    });
  const signal = o.signal;
  signal?.throwIfAborted();
  const file = await open(path, 'r');
  let buffer: Buffer | null = null;
  try {
    for (;;) {
      buffer = pool.acquire(chunkSize);
      const { bytesRead } = await file.read(buffer, 0, chunkSize, position);
      signal?.throwIfAborted();
      if (bytesRead === 0) break;
      position += bytesRead;
      yield new Bytes(
        buffer,
        new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength),
        0,
        bytesRead,
      );
      pool.release(buffer);
      buffer = null;
    }
  } finally {
    if (buffer !== null) pool.release(buffer);
    await file.close();
  }
}
