import * as fs from 'node:fs';
import type { FileSystem } from './types.js';

const MODE_FLAGS = { read: 'r', append: 'a', create: 'w', exclusive: 'wx' } as const;

/** The default {@link FileSystem}: `node:fs`, synchronous calls plus a threadpool `fsync`. */
export const nodeFileSystem: FileSystem = {
  open: (path, mode) => fs.openSync(path, MODE_FLAGS[mode]),
  read: (fd, buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
  append(fd, buf, offset, length) {
    // writeSync may write less than asked (a full disk, a signal); loop until all is written.
    while (length > 0) {
      const n = fs.writeSync(fd, buf, offset, length);
      offset += n;
      length -= n;
    }
  },
  size: (fd) => fs.fstatSync(fd).size,
  truncate: (fd, length) => fs.ftruncateSync(fd, length),
  sync: (fd) =>
    new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve()))),
  syncNow: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  remove: (path) => fs.rmSync(path, { force: true }),
  list: (dir) => fs.readdirSync(dir),
  mkdir: (dir) => void fs.mkdirSync(dir, { recursive: true }),
  exists: (path) => fs.existsSync(path),
  syncDir(dir) {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
};
