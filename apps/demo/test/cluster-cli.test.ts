// `perf-kv serve --etcd …` end to end: two built CLI processes in one cluster over a real
// etcd, the public routes answering for keys either node owns, /stats showing the cluster, and
// a node leaving through POST /cluster/leave without losing a key.
import { freePort, missingBinary, tempDir } from '@perf/internal/testing';
import { ETCD_BINARY, type EtcdServer, startEtcd } from '@perf/internal/testing/etcd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h2, type Server, startServer, TOKEN } from './helpers.js';

const skip = missingBinary(ETCD_BINARY, 'apt-get install -y etcd-server');
const SECRET = 'cli-test-cluster-secret-0123';

describe.skipIf(skip)('perf-kv serve --etcd (real etcd, built CLI)', () => {
  let etcd: EtcdServer;
  const servers: Server[] = [];
  const dirs: { remove(): void }[] = [];
  beforeAll(async () => {
    etcd = await startEtcd();
  }, 40_000);
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await etcd?.dispose();
    for (const d of dirs) d.remove();
  });

  const node = async (id: string) => {
    const port = await freePort();
    const dir = tempDir(`perf-kv-${id}-`);
    dirs.push(dir);
    const s = await startServer([
      '--port',
      String(port),
      '--data-dir',
      dir.path,
      '--etcd',
      etcd.url,
      '--cluster',
      'cli',
      '--node-id',
      id,
      '--cluster-secret',
      SECRET,
      '--lease-ttl',
      '2',
    ]);
    servers.push(s);
    return s;
  };

  it('serves any key from either node, shows the members, and a leave keeps every key', async () => {
    const [s1, s2] = [await node('n1'), await node('n2')];
    const c1 = h2(s1.url);
    const c2 = h2(s2.url);
    try {
      const members = async () => (await c1('GET', '/stats')).json().cluster.members.length;
      for (let i = 0; i < 50 && (await members()) !== 2; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await members()).toBe(2);
      for (let i = 0; i < 40; i++) {
        const r = await (i % 2 ? c1 : c2)('PUT', `/kv/k${i}`, `v${i}`);
        expect(r.status, r.text).toBe(204);
      }
      for (let i = 0; i < 40; i++) {
        const r = await (i % 2 ? c2 : c1)('GET', `/kv/k${i}`);
        expect(r.status).toBe(200);
        expect(r.text).toBe(`v${i}`);
      }
      const stats = (await c2('GET', '/stats')).json().cluster;
      expect(stats.members.map((m: { id: string }) => m.id)).toEqual(['n1', 'n2']);
      expect(stats.forwardedOps).toBeGreaterThan(0);

      // The dashboard's feed carries the members, the epoch and the keys each node holds.
      const snap = await new Promise<{
        cluster: { epoch: number; members: { keys: number | null }[] };
      }>((resolve, reject) => {
        const req = c1.session.request({ ':path': '/events' });
        let buf = '';
        const timer = setTimeout(() => reject(new Error('no snapshot on /events')), 15_000);
        req.setEncoding('utf8');
        req.on('data', (d: string) => {
          buf += d;
          const m = /^data: (.*)$/m.exec(buf);
          if (m) {
            clearTimeout(timer);
            req.close();
            resolve(JSON.parse(m[1]!));
          }
        });
      });
      expect(snap.cluster.epoch).toBe(stats.epoch);
      expect(snap.cluster.members).toHaveLength(2);
      for (const m of snap.cluster.members) expect(typeof m.keys).toBe('number');

      // Unsigned node-to-node requests are refused.
      const forged = await c1(
        'POST',
        '/cluster/rpc',
        JSON.stringify({ op: 'peek', keys: ['k1'] }),
        {
          'x-perf-kv-epoch': String(stats.epoch),
          'x-perf-kv-node': 'n2',
          'x-perf-kv-signature': '00',
        },
      );
      expect(forged.status).toBe(401);
      // Leaving needs the token, then hands every key to n1 and exits.
      expect(
        (await c2('POST', '/cluster/leave', '', { authorization: 'Bearer wrong-token-0000000' }))
          .status,
      ).toBe(401);
      const left = await c2('POST', '/cluster/leave', '', { authorization: `Bearer ${TOKEN}` });
      expect(left.status).toBe(200);
      expect(await s2.stop()).toBe(0);
      for (let i = 0; i < 40; i++) {
        const r = await c1('GET', `/kv/k${i}`);
        expect(r.text, `k${i}`).toBe(`v${i}`);
      }
    } finally {
      c1.close();
      c2.close();
    }
  }, 90_000);

  it('refuses cluster flags that cannot work', async () => {
    await expect(startServer(['--etcd', etcd.url, '--cluster-secret', SECRET])).rejects.toThrow(
      /fixed `--port`/,
    );
    const port = await freePort();
    await expect(startServer(['--port', String(port), '--etcd', etcd.url])).rejects.toThrow(
      /cluster-secret/,
    );
  });
});
