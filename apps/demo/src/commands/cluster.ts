/**
 * `perf-kv cluster` (`pnpm demo:cluster`): perf-kv on several nodes, end to end, on loopback.
 *
 *   1. starts etcd and redis-server (free ports, temp dirs) and three `perf-kv serve --etcd`
 *      nodes, each with its own data dir;
 *   2. runs a load (Zipf reads and writes through every node) and, mid-run, adds a fourth node,
 *      then has one node leave;
 *   3. reports throughput and p99 per second, the keys each change moved against the ideal
 *      1/n, how long each handoff took, and reads back every acknowledged write at the end:
 *      the number lost must be 0;
 *   4. stops everything it started, by pid.
 *
 * Flags: --duration (s, default 24) --keys (default 20000) --concurrency (default 32)
 *        --writes (share of writes, default 0.1) --report-dir (writes cluster-report.json)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32, zipf } from '@perf/internal';
import { freePort } from '@perf/internal/testing';
import { startEtcd } from '@perf/internal/testing/etcd-server';
import { startRedisServer } from '@perf/internal/testing/redis-server';
import { Histogram } from '@perf/monitor';
import { Http2Pool } from '@perf/net';
import { int, str } from '../config.js';

type Flags = Record<string, string | boolean>;

interface RunningNode {
  id: string;
  url: string;
  port: number;
  dir: string;
  proc: ChildProcess;
  pool: Http2Pool;
}

interface ClusterStats {
  epoch: number;
  localOps: number;
  forwardedOps: number;
  hotKeyHits: number;
  invalidations: { received: number; p50Ms: number; p99Ms: number };
  members: { id: string; alive: boolean; leaving: boolean; share: number }[];
  handoff: { running: boolean; keysSent: number; keysReceived: number; caughtUpEpoch: number };
}

interface Second {
  t: number;
  ops: number;
  errors: number;
  p99Ms: number;
  event?: string;
}

const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));

export async function cluster(flags: Flags): Promise<number> {
  const duration = int(flags, 'duration', 24, 6, 3600);
  const keyCount = int(flags, 'keys', 20_000, 100, 10_000_000);
  const concurrency = int(flags, 'concurrency', 32, 1, 4096);
  const writeShare = Number(str(flags, 'writes', '0.1'));
  if (!(writeShare >= 0 && writeShare <= 1)) {
    throw new RangeError(`Expected \`--writes\` to be a share from 0 to 1, got ${writeShare}`);
  }
  const reportDir = str(flags, 'report-dir', '');
  const token = randomBytes(24).toString('hex');
  const secret = randomBytes(24).toString('hex');
  const root = mkdtempSync(join(tmpdir(), 'perf-kv-cluster-'));
  const etcd = await startEtcd();
  const redis = await startRedisServer();
  const nodes = new Map<string, RunningNode>();
  const auth = { authorization: `Bearer ${token}` };
  const started: RunningNode[] = [];

  const startNode = async (id: string): Promise<RunningNode> => {
    const port = await freePort();
    const dir = join(root, id);
    mkdirSync(dir, { recursive: true });
    const url = `http://127.0.0.1:${port}`;
    const args = [
      CLI,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      dir,
      '--shards',
      '1',
      '--token',
      token,
      '--cluster-secret',
      secret,
      '--etcd',
      etcd.url,
      '--cluster',
      'demo',
      '--node-id',
      id,
      '--advertise',
      url,
      '--redis',
      `redis://127.0.0.1:${redis.port}`,
    ];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`node ${id} did not start:\n${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d;
        if (out.includes('perf-kv listening on')) {
          clearTimeout(t);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (d: Buffer) => (out += d));
      proc.once('exit', (code) => reject(new Error(`node ${id} exited ${code}:\n${out}`)));
    });
    const node = { id, url, port, dir, proc, pool: new Http2Pool(url, { timeoutMs: 10_000 }) };
    nodes.set(id, node);
    started.push(node);
    return node;
  };

  const stats = async (n: RunningNode): Promise<ClusterStats> => {
    const res = await n.pool.request({ method: 'GET', path: '/stats' });
    return (JSON.parse(res.body.toString('utf8')) as { cluster: ClusterStats }).cluster;
  };
  /** Every node agrees on the newest epoch and has handed off everything it should. */
  const waitSettled = async (what: string): Promise<number> => {
    const t0 = performance.now();
    for (;;) {
      const all = await Promise.all(
        [...nodes.values()].map((n) => stats(n).catch(() => undefined)),
      );
      const ok =
        all.every((s) => s !== undefined) &&
        all.every(
          (s) =>
            s!.epoch === all[0]!.epoch &&
            !s!.handoff.running &&
            s!.handoff.caughtUpEpoch === s!.epoch &&
            s!.members.length === nodes.size,
        );
      if (ok) return performance.now() - t0;
      if (performance.now() - t0 > 120_000) throw new Error(`cluster did not settle: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const acked = new Map<string, string>();
  const keyOf = (i: number) => `user:${String(i).padStart(8, '0')}`;
  /** Error answers by status and `error` code, e.g. `503 owner_unavailable`. */
  const failures = new Map<string, number>();
  const failed = (status: number, body: Buffer) => {
    let code = '';
    try {
      code = (JSON.parse(body.toString('utf8')) as { error?: string }).error ?? '';
    } catch {}
    const k = `${status} ${code}`.trim();
    failures.set(k, (failures.get(k) ?? 0) + 1);
  };
  const put = async (n: RunningNode, key: string, value: string): Promise<number> => {
    const res = await n.pool.request({
      method: 'PUT',
      path: `/kv/${encodeURIComponent(key)}`,
      headers: auth,
      body: value,
    });
    if (res.status !== 204) failed(res.status, res.body);
    return res.status;
  };
  const get = async (n: RunningNode, key: string) =>
    n.pool.request({ method: 'GET', path: `/kv/${encodeURIComponent(key)}` });
  /** Retries a 503 (shed load, an owner briefly unreachable) after its Retry-After. */
  const patiently = async <T extends { status: number }>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const r = await fn();
      if (r.status !== 503 || attempt === 20) return r;
      await new Promise((res) => setTimeout(res, 50 * (attempt + 1)));
    }
  };

  let code = 0;
  try {
    for (const id of ['n1', 'n2', 'n3']) await startNode(id);
    await waitSettled('start');
    console.log(`perf-kv cluster: etcd ${etcd.url}, redis :${redis.port}, 3 nodes`);

    // Preload every key once, through every node.
    const live = () => [...nodes.values()];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < keyCount; i = next++) {
          const v = `v0:${i}`;
          const n = live()[i % live().length]!;
          const status = (await patiently(async () => ({ status: await put(n, keyOf(i), v) })))
            .status;
          if (status === 204) acked.set(keyOf(i), v);
        }
      }),
    );
    console.log(`preloaded ${acked.size} keys`);

    // The load, with a join and a leave mid-run.
    const seconds: Second[] = [];
    let window = { ops: 0, errors: 0, h: new Histogram() };
    const t0 = performance.now();
    let stop = false;
    const events: Record<string, unknown> = {};
    const ticker = setInterval(() => {
      seconds.push({
        t: Math.round((performance.now() - t0) / 1000),
        ops: window.ops,
        errors: window.errors,
        p99Ms: window.h.percentile(99) / 1000,
      });
      window = { ops: 0, errors: 0, h: new Histogram() };
    }, 1000);
    const mark = (event: string) => {
      const s = seconds.at(-1);
      if (s) s.event = s.event ? `${s.event}, ${event}` : event;
    };
    // Each key has one writer (worker = key mod concurrency), so its acknowledged writes are
    // ordered and "the newest acknowledged write" is exact; reads go to any key.
    const workers = Array.from({ length: concurrency }, async (_, w) => {
      const rnd = mulberry32(0x5eed + w);
      const pick = zipf(keyCount, 0.99, rnd);
      let gen = 1;
      while (!stop) {
        const ns = live();
        const n = ns[Math.floor(rnd() * ns.length)]!;
        const write = rnd() < writeShare;
        let i = pick();
        if (write) i = i - (i % concurrency) + w < keyCount ? i - (i % concurrency) + w : w;
        const k = keyOf(i);
        const ts = performance.now();
        try {
          if (write) {
            const v = `w${w}.${gen++}`;
            const s = await put(n, k, v);
            if (s === 204) acked.set(k, v);
            else window.errors++;
          } else {
            const r = await get(n, k);
            if (r.status !== 200 && r.status !== 404) {
              window.errors++;
              failed(r.status, r.body);
            }
          }
          window.ops++;
          window.h.record((performance.now() - ts) * 1000);
        } catch {
          window.errors++;
        }
      }
    });
    const third = (duration * 1000) / 3;
    await new Promise((r) => setTimeout(r, third));
    const before = acked.size;
    mark('n4 joins');
    const joinT = performance.now();
    const n4 = await startNode('n4');
    const joinSettle = await waitSettled('join');
    events.join = {
      keysMoved: (await stats(n4)).handoff.keysReceived,
      idealMoved: Math.round(before / 4),
      handoffMs: Math.round(performance.now() - joinT),
      settleMs: Math.round(joinSettle),
    };
    await new Promise((r) => setTimeout(r, Math.max(0, 2 * third - (performance.now() - t0))));
    mark('n2 leaves');
    const leaveT = performance.now();
    const n2 = nodes.get('n2')!;
    const sentBefore = (await stats(n2)).handoff.keysSent;
    // A leave answers once every key is handed off: give it minutes, not the usual 10 s.
    const leaving = await n2.pool.request({
      method: 'POST',
      path: '/cluster/leave',
      headers: auth,
      timeoutMs: 300_000,
    });
    if (leaving.status !== 200) throw new Error(`leave answered ${leaving.status}`);
    const { keysSent } = JSON.parse(leaving.body.toString('utf8')) as { keysSent: number };
    nodes.delete('n2');
    const leaveSettle = await waitSettled('leave');
    events.leave = {
      keysMoved: keysSent - sentBefore,
      idealMoved: Math.round(acked.size / 4),
      handoffMs: Math.round(performance.now() - leaveT),
      settleMs: Math.round(leaveSettle),
    };
    await new Promise((r) =>
      setTimeout(r, Math.max(0, duration * 1000 - (performance.now() - t0))),
    );
    stop = true;
    await Promise.all(workers);
    clearInterval(ticker);
    await waitSettled('end');

    // How the requests were served, summed over the nodes (n2 has left: its share is gone).
    const all = await Promise.all([...nodes.values()].map(stats));
    const sum = (f: (s: ClusterStats) => number) => all.reduce((a, s) => a + f(s), 0);
    const served = {
      local: sum((s) => s.localOps),
      forwarded: sum((s) => s.forwardedOps),
      hotKeyHits: sum((s) => s.hotKeyHits),
      invalidationP50Ms: Math.max(...all.map((s) => s.invalidations.p50Ms)),
      invalidationP99Ms: Math.max(...all.map((s) => s.invalidations.p99Ms)),
    };
    events.served = served;

    // Every acknowledged write must read back, through any node.
    let lost = 0;
    let checked = 0;
    const entries = [...acked];
    let at = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = at++; i < entries.length; i = at++) {
          const [k, v] = entries[i]!;
          const ns = live();
          const r = await patiently(() => get(ns[i % ns.length]!, k));
          checked++;
          if (r.status !== 200 || r.body.toString('utf8') !== v) {
            lost++;
            if (lost <= 5)
              console.log(
                `lost ${k}: ${r.status} ${r.body.toString('utf8').slice(0, 80)} (acknowledged ${v})`,
              );
          }
        }
      }),
    );

    console.log('\n  t(s)   ops/s  errors  p99 ms  event');
    for (const s of seconds) {
      console.log(
        `${String(s.t).padStart(6)} ${String(s.ops).padStart(7)} ${String(s.errors).padStart(7)} ${s.p99Ms.toFixed(1).padStart(7)}  ${s.event ?? ''}`,
      );
    }
    console.log(`\njoin:  ${JSON.stringify(events.join)}`);
    console.log(`leave: ${JSON.stringify(events.leave)}`);
    const remote = served.forwarded + served.hotKeyHits;
    console.log(
      `served: ${served.local} local, ${served.forwarded} forwarded, ${served.hotKeyHits} from the hot-key L1 (${((100 * served.hotKeyHits) / Math.max(1, remote)).toFixed(1)} % of requests for other nodes' keys); invalidation delivery p50 ${served.invalidationP50Ms.toFixed(2)} ms, p99 ${served.invalidationP99Ms.toFixed(2)} ms (worst node)`,
    );
    console.log(`error answers: ${JSON.stringify(Object.fromEntries(failures))}`);
    console.log(`read back ${checked} acknowledged keys: ${lost} lost`);
    if (reportDir) {
      mkdirSync(reportDir, { recursive: true });
      writeFileSync(
        join(reportDir, 'cluster-report.json'),
        JSON.stringify({ seconds, events, checked, lost, keyCount, concurrency }, null, 2),
      );
    }
    code = lost === 0 ? 0 : 1;
  } catch (err) {
    console.error(`perf-kv cluster: ${(err as Error).stack ?? err}`);
    code = 1;
  } finally {
    for (const n of started) {
      await n.pool.close().catch(() => {});
      if (n.proc.exitCode === null && n.proc.signalCode === null) {
        n.proc.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            n.proc.kill('SIGKILL');
            r(undefined);
          }, 10_000);
          n.proc.once('exit', () => {
            clearTimeout(t);
            r(undefined);
          });
        });
      }
    }
    await etcd.dispose();
    await redis.close();
    rmSync(root, { recursive: true, force: true });
  }
  return code;
}
