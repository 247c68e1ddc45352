/**
 * A real etcd (Debian package `etcd-server`) for tests: its own free client and peer ports on
 * 127.0.0.1 and its own temp data dir, stopped by pid. `restart()` brings it back on the same
 * ports and data, for tests of an etcd outage.
 */
import { freePort, type RunningProcess, startProcess, tempDir, waitFor } from './index.js';

export const ETCD_BINARY = '/usr/bin/etcd';

export interface EtcdServer {
  /** The client URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly process: RunningProcess;
  /** Stops the server (SIGTERM, then SIGKILL) and keeps its data. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data dir. */
  restart(): Promise<void>;
  /** Stops it and removes its data dir. */
  dispose(): Promise<void>;
}

export async function startEtcd(): Promise<EtcdServer> {
  const dir = tempDir('perf-etcd-');
  const client = await freePort();
  const peer = await freePort();
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const args = [
    '--name',
    'test',
    '--data-dir',
    dir.path,
    '--listen-client-urls',
    url,
    '--advertise-client-urls',
    url,
    '--listen-peer-urls',
    peerUrl,
    '--initial-advertise-peer-urls',
    peerUrl,
    '--initial-cluster',
    `test=${peerUrl}`,
    '--log-level',
    'error',
  ];
  let proc = startProcess(ETCD_BINARY, args);
  const ready = async () => {
    await waitFor(
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`etcd exited:\n${proc.output()}`);
        const r = await fetch(`${url}/health`);
        return r.ok && ((await r.json()) as { health?: string }).health === 'true';
      },
      { timeoutMs: 30_000, what: `etcd on ${url}` },
    );
  };
  await ready();
  const server: EtcdServer = {
    url,
    get process() {
      return proc;
    },
    stop: () => proc.stop(),
    async restart() {
      await proc.stop();
      proc = startProcess(ETCD_BINARY, args);
      await ready();
    },
    async dispose() {
      await proc.stop();
      dir.remove();
    },
  };
  return server;
}
