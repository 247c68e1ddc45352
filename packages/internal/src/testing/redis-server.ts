/**
 * A real redis-server (Debian package `redis-server`) for tests: a free loopback port, its own
 * temp dir, no persistence (`--save ''`, `--appendonly no`: a restart comes back empty, as a
 * crashed cache server does), stopped by pid. `stop('SIGKILL')` then `start()` is a Redis crash
 * and restart on the same port.
 */
import { createConnection } from 'node:net';
import {
  freePort,
  missingBinary,
  type RunningProcess,
  startProcess,
  tempDir,
  waitFor,
} from './index.js';

export const REDIS_SERVER = process.env.PERF_REDIS_SERVER ?? '/usr/bin/redis-server';

/**
 * Whether redis-server can run here. In CI a missing server throws (a failure, never a skip:
 * a suite that skips itself there passes vacuously).
 */
export function redisServerAvailable(): boolean {
  return missingBinary(REDIS_SERVER, 'apt-get install -y redis-server') === undefined;
}

export interface RedisServer {
  readonly port: number;
  /** The pid of the current server process. */
  readonly pid: number;
  /** Stops the server by pid (SIGTERM, or `signal`) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
  /** Stops it and removes its temp dir. */
  close(): Promise<void>;
}

/** One PING over a raw socket: true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/** Starts redis-server on a free port (retrying the rare race for the port). */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = tempDir('perf-redis-');
  let port = 0;
  let proc: RunningProcess | undefined;

  const start = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir.path,
    ];
    const p = startProcess(REDIS_SERVER, args);
    proc = p;
    await waitFor(
      async () => {
        if (p.child.exitCode !== null) throw new Error(`redis-server exited:\n${p.output()}`);
        return ping(port);
      },
      { timeoutMs: 10_000, intervalMs: 20, what: `redis-server on port ${port}` },
    );
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const p = proc;
    if (p === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
    if (signal === 'SIGTERM') return p.stop();
    const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
    try {
      process.kill(p.pid, signal);
    } catch {
      return;
    }
    await exited;
  };

  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      await stop('SIGKILL');
      if (attempt >= 3) {
        dir.remove();
        throw error;
      }
    }
  }

  return {
    port,
    get pid() {
      return proc?.pid ?? -1;
    },
    stop,
    start,
    async close() {
      await stop('SIGKILL');
      dir.remove();
    },
  };
}
