// Cluster nodes as real processes: one SIGKILLed in the middle of its handoff and restarted
// (the handoff resumes; nothing is lost or left behind at an older version), one SIGSTOPped
// until its lease expires (its keys are unavailable, never answered by someone else) and
// resumed (it rejoins at a new epoch), and etcd itself going away (nodes keep serving).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingBinary } from '@perf/internal/testing';
import { ETCD_BINARY, type EtcdServer, startEtcd } from '@perf/internal/testing/etcd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecord } from '../src/cluster/record.js';
import { settled, startNode, type TestNode, until } from './cluster-helpers.js';

const skip = missingBinary(ETCD_BINARY, 'apt-get install -y etcd-server');
const require = createRequire(import.meta.url);
const TSX = require.resolve('tsx');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'cluster-node.ts');
const key = (i: number) => `key:${String(i).padStart(5, '0')}`;

interface Child {
  proc: ChildProcess;
  port: number;
}

function spawnNode(etcd: string, cluster: string, id: string, dir: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', TSX, FIXTURE, etcd, cluster, id, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`node ${id} did not start:\n${out}`)), 30_000);
    proc.stderr!.on('data', (d) => (out += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({ proc, port: Number(m[1]) });
      }
    });
    proc.on('exit', (code) => reject(new Error(`node ${id} exited ${code}:\n${out}`)));
  });
}

const kill = (c: Child | undefined, sig: NodeJS.Signals = 'SIGKILL') => {
  if (c && c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill(sig);
};

describe.skipIf(skip)('cluster nodes as processes (real etcd)', () => {
  let etcd: EtcdServer;
  const inProc: TestNode[] = [];
  const children: Child[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    etcd = await startEtcd();
  }, 40_000);
  afterAll(async () => {
    for (const c of children) {
      kill(c, 'SIGCONT');
      kill(c);
    }
    for (const n of inProc) await n.crash().catch(() => {});
    await etcd?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a node SIGKILLed mid-handoff and restarted resumes it: every key reads back, none is left on a non-owner', async () => {
    const a = await startNode(etcd.url, 'kill', 'a');
    inProc.push(a);
    const dir = mkdtempSync(join(tmpdir(), 'perf-kv-c-'));
    dirs.push(dir);
    let c = await spawnNode(etcd.url, 'kill', 'c', dir);
    children.push(c);
    await until(() => a.node.placement.members.filter((m) => m.alive).length === 2, 'a and c');
    const N = 6000;
    const latest = new Map<string, string>();
    for (let i = 0; i < N; i += 200) {
      const puts: [string, Buffer][] = [];
      for (let j = i; j < i + 200; j++) puts.push([key(j), Buffer.from(`v0:${j}`)]);
      await a.node.batch(puts, []);
      for (const [k, v] of puts) latest.set(k, v.toString());
    }
    // d joins; c starts handing keys to d; c dies part-way.
    const d = await startNode(etcd.url, 'kill', 'd');
    inProc.push(d);
    const toD = [...latest.keys()].filter((k) => d.node.placement.ownerOf(k)!.id === 'd');
    await until(() => d.node.stats().handoff.keysReceived > 0, 'handoff under way', 30_000);
    kill(c);
    // c died part-way: d had not received everything c was to send it.
    expect(d.node.stats().handoff.keysReceived).toBeLessThan(toD.length);
    await until(() => a.node.placement.member('c')?.alive === false, 'c down', 15_000);
    // While c is down, its keys are unavailable (not answered empty by someone else).
    const ofC = [...latest.keys()].find((k) => a.node.placement.ownerOf(k)!.id === 'c')!;
    await expect(a.node.get(ofC)).rejects.toMatchObject({ code: 'PERF_KV_OWNER_UNAVAILABLE' });
    c = await spawnNode(etcd.url, 'kill', 'c', dir);
    children.push(c);
    await until(() => a.node.placement.member('c')?.alive === true, 'c back');
    await until(() => settled([a, d]), 'a and d settled', 60_000);
    // Through a, every key reads back (c's keys once c is back and has caught up).
    await until(
      async () => {
        const got = await a.node.getMany([...latest.keys()]).catch(() => undefined);
        return got?.every((v, i) => v?.toString() === [...latest.values()][i]) === true;
      },
      'every key reads back',
      60_000,
    );
    // No record is left on a node that does not own it.
    for (const n of [a, d]) {
      const items = await n.local.scan({ gte: '', limit: 1_000_000, reverse: false });
      for (const it of items) {
        if (decodeRecord(it.value).value === undefined) continue;
        expect(n.node.placement.ownerOf(it.key)!.id, `${it.key} on ${n.id}`).toBe(n.id);
      }
    }
  }, 180_000);

  it('a node SIGSTOPped past its lease: its keys are unavailable, writes to them are refused; after SIGCONT it rejoins at a new epoch and serves them', async () => {
    const a = await startNode(etcd.url, 'stop', 'a');
    inProc.push(a);
    const dir = mkdtempSync(join(tmpdir(), 'perf-kv-s-'));
    dirs.push(dir);
    const s = await spawnNode(etcd.url, 'stop', 's', dir);
    children.push(s);
    await until(() => a.node.placement.members.filter((m) => m.alive).length === 2, 'a and s');
    const ofS = [...Array(400).keys()]
      .map(key)
      .filter((k) => a.node.placement.ownerOf(k)!.id === 's');
    await a.node.batch(
      ofS.map((k) => [k, Buffer.from(`before:${k}`)] as [string, Buffer]),
      [],
    );
    const epoch = a.node.stats().epoch;
    kill(s, 'SIGSTOP');
    await until(() => a.node.placement.member('s')?.alive === false, 's excluded', 15_000);
    await expect(a.node.get(ofS[0]!)).rejects.toMatchObject({ code: 'PERF_KV_OWNER_UNAVAILABLE' });
    await expect(a.node.put(ofS[0]!, Buffer.from('during'))).rejects.toMatchObject({
      code: 'PERF_KV_OWNER_UNAVAILABLE',
    });
    kill(s, 'SIGCONT');
    await until(() => a.node.placement.member('s')?.alive === true, 's back', 20_000);
    expect(a.node.stats().epoch).toBeGreaterThan(epoch);
    const got = await a.node.getMany(ofS);
    got.forEach((v, i) => {
      expect(v?.toString()).toBe(`before:${ofS[i]}`);
    });
  }, 90_000);

  it('etcd down: nodes keep serving on the last epoch; a new node cannot join until it is back', async () => {
    const a = await startNode(etcd.url, 'down', 'a');
    const b = await startNode(etcd.url, 'down', 'b');
    inProc.push(a, b);
    await until(() => settled([a, b]) && a.node.placement.members.length === 2, 'two settled');
    const epoch = a.node.stats().epoch;
    await etcd.stop();
    const keys = [...Array(50).keys()].map(key);
    await a.node.batch(
      keys.map((k) => [k, Buffer.from(`x:${k}`)] as [string, Buffer]),
      [],
    );
    const got = await b.node.getMany(keys);
    got.forEach((v, i) => {
      expect(v?.toString()).toBe(`x:${keys[i]}`);
    });
    expect(a.node.stats().epoch).toBe(epoch);
    await expect(startNode(etcd.url, 'down', 'late')).rejects.toBeDefined();
    await etcd.restart();
  }, 90_000);
});
