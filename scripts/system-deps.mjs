// The real servers and tools the tests start (Debian packages). `ensureSystemDeps()` installs
// the missing ones when it runs as root on Debian, as CI and the development machines do;
// anywhere else it stops with the one `apt-get` command to run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Command on PATH → the Debian package that provides it. */
export const SYSTEM_DEPS = {
  'redis-server': 'redis-server',
  etcd: 'etcd-server',
  prometheus: 'prometheus',
  promtool: 'prometheus',
  chromium: 'chromium',
  h2load: 'nghttp2-client',
  xz: 'xz-utils',
  zstd: 'zstd',
};

const onPath = (cmd) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** The Debian packages whose commands are missing, without duplicates. */
export function missingPackages(deps = SYSTEM_DEPS) {
  return [
    ...new Set(
      Object.entries(deps)
        .filter(([cmd]) => !onPath(cmd))
        .map(([, pkg]) => pkg),
    ),
  ];
}

/** Installs what is missing (root on Debian) or returns the command a person must run. */
export function ensureSystemDeps(deps = SYSTEM_DEPS) {
  const missing = missingPackages(deps);
  if (missing.length === 0) return { ok: true, installed: [] };
  const line = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath('apt-get')) return { ok: false, command: `sudo ${line}`, missing };
  console.log(`installing test servers: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const quiet = { stdio: ['ignore', 'ignore', 'inherit'], env };
  const upd = spawnSync('apt-get', ['update', '-qq'], quiet);
  const inst = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], quiet);
  const still = missingPackages(deps);
  if (upd.status !== 0 || inst.status !== 0 || still.length > 0)
    return { ok: false, command: line, missing: still.length ? still : missing };
  return { ok: true, installed: missing };
}

// `node scripts/system-deps.mjs etcd redis-server`: make sure these commands are there.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const wanted = process.argv.slice(2);
  const deps = Object.fromEntries(
    Object.entries(SYSTEM_DEPS).filter(([cmd]) => wanted.length === 0 || wanted.includes(cmd)),
  );
  const r = ensureSystemDeps(deps);
  if (!r.ok) {
    console.error(`missing: ${r.missing.join(' ')}. Run once:\n  ${r.command}`);
    process.exit(1);
  }
}
