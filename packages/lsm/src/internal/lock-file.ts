/**
 * The LOCK file: one process at a time opens a store. It holds `"<pid>\n"`; a LOCK whose
 * process is gone (or whose text is torn by a power cut) is stale and taken over. Stores of
 * this process are tracked per file system, since the pid cannot tell two of them apart.
 */
import { LockedError } from '../errors.js';
import type { FileSystem } from '../types.js';
import { readWholeFile } from './log.js';

const openDirsByFs = new WeakMap<FileSystem, Set<string>>();

function openDirs(fs: FileSystem): Set<string> {
  let set = openDirsByFs.get(fs);
  if (set === undefined) openDirsByFs.set(fs, (set = new Set()));
  return set;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `dir`, or throws `PERF_LSM_LOCKED`. */
export function acquireLock(fs: FileSystem, dir: string): void {
  if (openDirs(fs).has(dir)) throw new LockedError(dir, process.pid);
  const lockPath = `${dir}/LOCK`;
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = fs.open(lockPath, 'exclusive');
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code !== 'EEXIST') throw err;
      // Only a whole "<pid>\n" counts: a torn LOCK (a power cut mid-write) is stale.
      const m = /^(\d+)\n$/.exec(Buffer.from(readWholeFile(fs, lockPath)).toString());
      const pid = m === null ? 0 : Number(m[1]);
      if (pid > 0 && pid !== process.pid && alive(pid)) throw new LockedError(dir, pid);
      fs.remove(lockPath); // stale: its process is gone (or it is us, after a crash)
      continue;
    }
    const text = Buffer.from(`${process.pid}\n`);
    fs.append(fd, text, 0, text.length);
    fs.close(fd);
    openDirs(fs).add(dir);
    return;
  }
  throw new LockedError(dir, undefined);
}

export function releaseLock(fs: FileSystem, dir: string): void {
  openDirs(fs).delete(dir);
  fs.remove(`${dir}/LOCK`);
}
