/**
 * What a cluster hop costs: one get of 100 keys on a 3-node cluster (in process, real etcd,
 * real HTTP/2 between the nodes, LSM shards on disk, values cached by each node's storage
 * cache), when the asked node owns the keys, when it forwards them to their owner, and when
 * its hot-key L1 (kept fresh by a real Redis bus) answers them.
 *
 * Run: `pnpm --filter @perf/demo exec tsx bench/cluster.bench.ts` (etcd and redis-server from
 * Debian on PATH).
 */
import { startEtcd } from '@perf/internal/testing/etcd-server';
import { startRedisServer } from '@perf/internal/testing/redis-server';
import {
  Bench,
  benchOptionsFromEnv,
  formatMachine,
  machine,
  toMarkdown,
} from '@perf/monitor/bench';
import { settled, startNode, type TestNode, until } from '../test/cluster-helpers.js';

const etcd = await startEtcd();
const redis = await startRedisServer();
const nodes: TestNode[] = [];
try {
  for (const id of ['a', 'b', 'c']) {
    nodes.push(await startNode(etcd.url, 'bench', id, { redisPort: redis.port }));
  }
  // A fourth member without a bus: its reads of other nodes' keys are always forwarded.
  const plain = await startNode(etcd.url, 'bench', 'p');
  nodes.push(plain);
  await until(() => settled(nodes) && nodes[0]!.node.placement.members.length === 4, 'settled');
  const [a] = nodes as [TestNode];
  const keys = Array.from({ length: 4000 }, (_, i) => `bench:${i}`);
  const owned = (n: TestNode) =>
    keys.filter((k) => a.node.placement.ownerOf(k)!.id === n.id).slice(0, 100);
  await a.node.batch(
    keys.map((k) => [k, Buffer.alloc(100, 1)] as [string, Buffer]),
    [],
  );
  const ofA = owned(a);
  const ofB = owned(nodes[1]!);
  const ofPlainOwner = ofB; // p forwards b's keys to b
  await a.node.getMany(ofB); // fills a's L1
  const bench = new Bench('get of 100 keys', {
    ...benchOptionsFromEnv({ time: 1500 }),
    clock: 'wall',
  })
    .add('_vanilla local (asked node owns them)', () => a.node.getMany(ofA), { ops: 100 })
    .add('forwarded to the owner (no L1)', () => plain.node.getMany(ofPlainOwner), { ops: 100 })
    .add('hot-key L1 (bus-invalidated)', () => a.node.getMany(ofB), { ops: 100 });
  const report = await bench.run();
  console.log(toMarkdown(report));
  console.log(formatMachine(machine()));
} finally {
  for (const n of nodes) await n.crash().catch(() => {});
  await redis.close();
  await etcd.dispose();
}
