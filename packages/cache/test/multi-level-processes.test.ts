// Three (and a fourth) MultiLevelCache instances in separate processes sharing one real
// redis-server: no stale read after a write's message is delivered (with the delivery
// latency measured), one load for 3 × 100 concurrent gets, and a SIGKILLed lock holder.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './helpers/instances.js';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '@perf/internal/testing/redis-server';

const SCRIPT = fileURLToPath(new URL('./helpers/cache-process.ts', import.meta.url));
const LOCK_TTL = 400;

class Child {
  readonly proc: ChildProcess;
  readonly ready: Promise<void>;
  #next = 0;
  readonly #calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly events: Array<{ event: string; key?: string }> = [];

  constructor(port: number) {
    this.proc = fork(SCRIPT, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        PERF_REDIS_PORT: String(port),
        PERF_PREFIX: 'proc:',
        PERF_CHANNEL: 'proc-bus',
        PERF_LOCK_TTL: String(LOCK_TTL),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.proc.on(
        'message',
        (m: { id?: number; result?: unknown; error?: string; event?: string }) => {
          if (m.event === 'ready') resolve();
          else if (m.event !== undefined) this.events.push(m as { event: string });
          else {
            const call = this.#calls.get(m.id!);
            this.#calls.delete(m.id!);
            if (m.error !== undefined) call?.reject(new Error(m.error));
            else call?.resolve(m.result);
          }
        },
      );
      this.proc.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
  }

  call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ id, op, ...args });
    });
  }

  kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGKILL');
    return exited;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe.runIf(redisServerAvailable())('MultiLevelCache across processes', () => {
  let server: RedisServer;
  let admin: Redis;
  let a: Child;
  let b: Child;
  let c: Child;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connect(server.port);
    [a, b, c] = [new Child(server.port), new Child(server.port), new Child(server.port)];
    await Promise.all([a.ready, b.ready, c.ready]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a, b, c].map((x) => x?.kill()));
    admin?.disconnect();
    await server?.close();
  });

  it('never reads a stale value from B or C once A set it and the message arrived', async () => {
    const rounds = 60;
    for (let r = 1; r <= rounds; r++) {
      // B and C hold the previous value in L1...
      expect(await b.call('get', { key: 'k' })).toBe(r === 1 ? undefined : `v${r - 1}`);
      expect(await c.call('get', { key: 'k' })).toBe(r === 1 ? undefined : `v${r - 1}`);
      await admin.set('db:k', `v${r}`);
      const version = await a.call<number>('set', { key: 'k', value: `v${r}` });
      await Promise.all([
        b.call('waitVersion', { key: 'k', version }),
        c.call('waitVersion', { key: 'k', version }),
      ]);
      // ...and never again once the message was delivered.
      expect(await b.call('get', { key: 'k' })).toBe(`v${r}`);
      expect(await c.call('get', { key: 'k' })).toBe(`v${r}`);
    }
    const all = [
      ...(await b.call<number[]>('latencies')),
      ...(await c.call<number[]>('latencies')),
    ].sort((x, y) => x - y);
    expect(all.length).toBeGreaterThanOrEqual(2 * rounds);
    // A measurement, not a threshold: printed for the README's staleness window.
    console.log(
      `bus delivery latency over ${all.length} messages: p50 ${percentile(all, 50).toFixed(2)} ms, p99 ${percentile(all, 99).toFixed(2)} ms, max ${all.at(-1)!.toFixed(2)} ms`,
    );
  }, 60_000);

  it('3 processes × 100 concurrent gets of one missing key load it exactly once', async () => {
    await admin.set('db:hot', 'H');
    const results = await Promise.all(
      [a, b, c].map((x) => x.call<string[]>('stampede', { key: 'hot', n: 100 })),
    );
    expect(new Set(results.flat())).toEqual(new Set(['H']));
    expect(results.flat()).toHaveLength(300);
    expect(Number(await admin.get('loads:hot'))).toBe(1);
  });

  it('a SIGKILLed lock holder blocks the others only until its lock expires', async () => {
    const d = new Child(server.port);
    await d.ready;
    await admin.set('db:x', 'X');
    await d.call('hang', { key: 'x' });
    await expect
      .poll(() => d.events.some((e) => e.event === 'loading'), { timeout: 10_000 })
      .toBe(true);
    expect(await admin.exists('proc:\u0000lock:x')).toBe(1);
    const waiting = [b.call<string>('get', { key: 'x' }), c.call<string>('get', { key: 'x' })];
    await d.kill();
    const started = Date.now();
    expect(await Promise.all(waiting)).toEqual(['X', 'X']);
    // D's load plus exactly one more after its lock expired.
    expect(Number(await admin.get('loads:x'))).toBe(2);
    const stats = await Promise.all(
      [b, c].map((x) => x.call<{ locks: { timeouts: number } }>('stats')),
    );
    expect(stats.reduce((s, x) => s + x.locks.timeouts, 0)).toBeGreaterThanOrEqual(1);
    console.log(
      `waiters answered ${Date.now() - started} ms after the holder was killed (lock ttl ${LOCK_TTL} ms)`,
    );
  }, 30_000);
});
