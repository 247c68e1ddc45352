/**
 * An in-memory FileSystem that models what survives a power cut: a file's contents are
 * durable only up to its last fsync, and a directory entry (create, rename, remove) only after
 * the directory is fsynced. `powerCut()` throws away everything else — the strictest reading of
 * POSIX, stricter than ext4 in practice.
 */
import type { FileSystem } from '../../src/index.js';

interface Inode {
  data: Uint8Array;
  len: number;
  /** Contents as of the last fsync. */
  durable: Uint8Array;
}

function err(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

export class MemoryFs implements FileSystem {
  /** The directory as the running process sees it. */
  #names = new Map<string, Inode>();
  /** The directory as of each directory's last fsync. */
  #durableNames = new Map<string, Inode>();
  #dirs = new Set<string>();
  #fds = new Map<number, { inode: Inode; path: string }>();
  #nextFd = 3;
  syncs = 0;

  #fd(fd: number) {
    const f = this.#fds.get(fd);
    if (f === undefined) throw err('EBADF', String(fd));
    return f;
  }

  open(path: string, mode: 'read' | 'append' | 'create' | 'exclusive'): number {
    let inode = this.#names.get(path);
    if (mode === 'exclusive' && inode !== undefined) throw err('EEXIST', path);
    if (mode === 'read' && inode === undefined) throw err('ENOENT', path);
    if (inode === undefined || mode === 'create') {
      if (inode !== undefined) inode.len = 0;
      else {
        inode = { data: new Uint8Array(1024), len: 0, durable: new Uint8Array(0) };
        this.#names.set(path, inode);
      }
    }
    const fd = this.#nextFd++;
    this.#fds.set(fd, { inode, path });
    return fd;
  }

  read(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    const { inode } = this.#fd(fd);
    const n = Math.max(0, Math.min(length, inode.len - position));
    buf.set(inode.data.subarray(position, position + n), offset);
    return n;
  }

  append(fd: number, buf: Uint8Array, offset: number, length: number): void {
    const { inode } = this.#fd(fd);
    if (inode.len + length > inode.data.length) {
      const next = new Uint8Array(Math.max(inode.data.length * 2, inode.len + length));
      next.set(inode.data.subarray(0, inode.len));
      inode.data = next;
    }
    inode.data.set(buf.subarray(offset, offset + length), inode.len);
    inode.len += length;
  }

  size(fd: number): number {
    return this.#fd(fd).inode.len;
  }

  truncate(fd: number, length: number): void {
    const { inode } = this.#fd(fd);
    inode.len = Math.min(inode.len, length);
  }

  /**
   * Seeded: an fsync takes 0–3 event-loop turns to complete, so tests explore different
   * interleavings of group commits, flushes and compactions.
   */
  seed = 1;

  async sync(fd: number): Promise<void> {
    const { inode } = this.#fd(fd);
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    for (let turns = this.seed >>> 30; turns > 0; turns--)
      await new Promise((r) => setImmediate(r));
    // the data made durable is what the file held when fsync returns
    inode.durable = inode.data.slice(0, inode.len);
    this.syncs++;
    await new Promise((r) => setImmediate(r));
  }

  syncNow(fd: number): void {
    const { inode } = this.#fd(fd);
    inode.durable = inode.data.slice(0, inode.len);
    this.syncs++;
  }

  close(fd: number): void {
    this.#fd(fd);
    this.#fds.delete(fd);
  }

  rename(from: string, to: string): void {
    const inode = this.#names.get(from);
    if (inode === undefined) throw err('ENOENT', from);
    this.#names.delete(from);
    this.#names.set(to, inode);
  }

  remove(path: string): void {
    this.#names.delete(path);
  }

  list(dir: string): string[] {
    const prefix = `${dir}/`;
    return [...this.#names.keys()]
      .filter((p) => p.startsWith(prefix))
      .map((p) => p.slice(prefix.length));
  }

  mkdir(dir: string): void {
    this.#dirs.add(dir);
  }

  exists(path: string): boolean {
    return this.#names.has(path) || this.#dirs.has(path);
  }

  syncDir(dir: string): void {
    const prefix = `${dir}/`;
    for (const p of [...this.#durableNames.keys()])
      if (p.startsWith(prefix)) this.#durableNames.delete(p);
    for (const [p, inode] of this.#names)
      if (p.startsWith(prefix)) this.#durableNames.set(p, inode);
  }

  /**
   * The machine after a power cut: a new file system holding only what was fsynced (contents)
   * and directory-synced (names). The old instance, and any store still using it, is left
   * behind, as the crashed process would be.
   */
  powerCut(torn: (unsynced: number) => number = () => 0): MemoryFs {
    const next = new MemoryFs();
    for (const [p, inode] of this.#durableNames) {
      // `torn` picks how many bytes past the last fsync the disk happened to keep anyway
      // (only when the file merely grew since: a torn append, never a rewrite).
      let data = inode.durable.slice();
      const grown = inode.len - data.length;
      const d = inode.durable;
      let same = grown > 0;
      for (let i = 0; same && i < d.length; i++) same = inode.data[i] === d[i];
      if (same) data = inode.data.slice(0, d.length + Math.min(grown, Math.max(0, torn(grown))));
      const node: Inode = {
        data: data.length > 0 ? data : new Uint8Array(1024),
        len: data.length,
        durable: data,
      };
      next.#names.set(p, node);
      next.#durableNames.set(p, node);
    }
    for (const d of this.#dirs) next.#dirs.add(d);
    return next;
  }

  /** The machine after a process crash: every byte handed to the OS is still there. */
  processCrash(): MemoryFs {
    const next = new MemoryFs();
    for (const [p, inode] of this.#names) {
      const node: Inode = {
        data: inode.data.slice(0, inode.len),
        len: inode.len,
        durable: inode.durable,
      };
      next.#names.set(p, node);
    }
    for (const [p] of this.#durableNames) next.#durableNames.set(p, next.#names.get(p)!);
    for (const d of this.#dirs) next.#dirs.add(d);
    return next;
  }

  /** The current bytes of a file, for corruption tests. */
  bytes(path: string): Uint8Array {
    const inode = this.#names.get(path);
    if (inode === undefined) throw err('ENOENT', path);
    return inode.data.subarray(0, inode.len);
  }
}
