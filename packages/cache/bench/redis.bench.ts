// `pnpm --filter @perf/cache bench:redis`: @perf/cache's MultiLevelCache over Redis against
// bentocache 1.6 (memory L1 + Redis L2 + Redis bus) and cacheable 2.5 (+ @keyv/redis), all on
// one throwaway redis-server on 127.0.0.1, side by side in one process run.
//
// Workloads: awaited L1 hits; L2 hits (every read goes to Redis: 100 concurrent gets of
// distinct keys); batch gets of 100 keys; invalidation latency (instance A sets a key that
// instance B holds in L1, until B's bus handler runs).
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import KeyvRedis from '@keyv/redis';
import { startRedisServer } from '@perf/internal/testing/redis-server';
import {
  Bench,
  benchOptionsFromEnv,
  formatMachine,
  machine,
  markdownTable,
  toMarkdown,
} from '@perf/monitor/bench';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Cacheable } from 'cacheable';
import { Redis } from 'ioredis';
import { LruCache, MultiLevelCache } from '../src/index.js';
import { RedisBus, RedisTier } from '../src/redis/index.js';

const quick = process.env.PERF_BENCH_QUICK === '1';
const KEYS = 1000;
const CONCURRENT = 100;
const ROUNDS = quick ? 50 : 300; // invalidation rounds
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
const value = { id: 1, name: 'a user', tags: ['x', 'y'], score: 0.5 };
const options = benchOptionsFromEnv({ time: quick ? 200 : 1500, warmup: quick ? 50 : 300 });

const server = await startRedisServer();
const port = server.port;
const connections: Redis[] = [];
const redis = () => {
  const c = new Redis({ port, host: '127.0.0.1' });
  connections.push(c);
  return c;
};

function ours(l1Size: number, channel = 'perf-bus') {
  const client = redis();
  const l1 = new LruCache<string, typeof value>({ maximumSize: l1Size });
  const bus = new RedisBus({ publisher: client, subscriber: redis(), channel });
  const tier = new RedisTier<string, typeof value>({ client, prefix: 'perf:' });
  const cache = new MultiLevelCache({ l1, l2: tier, bus, load: async () => value });
  return { cache, bus, l1 };
}

function bento(l1: boolean, emitter?: EventEmitter) {
  const store = l1
    ? bentostore()
        .useL1Layer(memoryDriver({ maxItems: 10_000 }))
        .useL2Layer(redisDriver({ connection: redis() }))
        .useBus(redisBusDriver({ connection: { port, host: '127.0.0.1' } }))
    : bentostore().useL2Layer(redisDriver({ connection: redis() }));
  return new BentoCache({ default: 'store', stores: { store }, ...(emitter ? { emitter } : {}) });
}

const keyvUrl = `redis://127.0.0.1:${port}`;
const cacheableL1 = new Cacheable({ secondary: new KeyvRedis(keyvUrl) });
const cacheableL2 = new Cacheable({ primary: new KeyvRedis(keyvUrl) });

const oursL1 = ours(10_000);
const oursL2 = ours(1); // every read misses L1 (1 entry, keys rotate) and goes to Redis
const bentoL1 = bento(true);
const bentoL2 = bento(false);

for (const k of keys) {
  await oursL1.cache.set(k, value);
  await bentoL1.set({ key: k, value });
  await cacheableL1.set(k, value);
}
for (const k of keys) {
  await oursL1.cache.get(k);
  await bentoL1.get({ key: k });
  await cacheableL1.get(k);
}

// ── L1 hits: awaited gets of keys every contender holds in memory ───────────────────────────
let i = 0;
const next = () => keys[i++ % KEYS]!;
const l1 = new Bench('L1 hits (awaited get)', options)
  .add('bentocache (memory L1)', async () => bentoL1.get({ key: next() }))
  .add('cacheable (memory primary)', async () => cacheableL1.get(next()))
  .add('@perf/cache MultiLevelCache', async () => oursL1.cache.get(next()));
console.error('L1 hits…');
const l1Report = await l1.run();

// ── L2 hits: 100 concurrent gets of distinct keys, each answered by Redis ───────────────────
let j = 0;
const batch = () => {
  const out: string[] = [];
  for (let n = 0; n < CONCURRENT; n++) out.push(keys[j++ % KEYS]!);
  return out;
};
const l2 = new Bench(`L2 hits (${CONCURRENT} concurrent gets, each from Redis)`, options)
  .add(
    'bentocache (Redis L2 only)',
    () => Promise.all(batch().map((key) => bentoL2.get({ key }))),
    {
      ops: CONCURRENT,
    },
  )
  .add(
    'cacheable (@keyv/redis primary)',
    () => Promise.all(batch().map((k) => cacheableL2.get(k))),
    {
      ops: CONCURRENT,
    },
  )
  .add(
    '@perf/cache MultiLevelCache (L1 of 1)',
    () => Promise.all(batch().map((k) => oursL2.cache.get(k))),
    {
      ops: CONCURRENT,
    },
  );
console.error('L2 hits…');
const l2Report = await l2.run();

// ── Batch gets of 100 keys ─────────────────────────────────────────────────────────────────
const admin = redis();
const scriptCalls = async () => {
  const info = (await admin.info('commandstats')) as string;
  let sum = 0;
  for (const name of ['evalsha', 'eval', 'mget']) {
    sum += Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  }
  return sum;
};
const getMany = new Bench(`batch get of ${CONCURRENT} keys (all from Redis)`, options)
  .add('cacheable getMany (@keyv/redis)', () => cacheableL2.getMany(batch()), { ops: CONCURRENT })
  .add('@perf/cache MultiLevelCache.getMany', () => oursL2.cache.getMany(batch()), {
    ops: CONCURRENT,
  });
console.error('batch gets…');
const getManyReport = await getMany.run();
const before = await scriptCalls();
await oursL2.cache.getMany(batch());
const roundTrips = (await scriptCalls()) - before;

// ── Invalidation latency: A sets a key B holds in L1, until B's bus handler ran ─────────────
/** Resolves true when `promise` settles within `ms`, false otherwise (a bounded wait). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
const missed = { ours: 0, bentocache: 0 };

function percentiles(samples: number[]): { p50: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function oursInvalidation(): Promise<number[]> {
  const a = ours(1000, 'inv');
  const b = ours(1000, 'inv');
  await new Promise((r) => setTimeout(r, 200)); // both subscribed
  let arrived: (() => void) | undefined;
  b.bus.subscribe({
    message: () => arrived?.(),
    invalid() {},
    disconnect() {},
    resync() {},
  });
  const out: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await b.cache.get('inv-key');
    const done = new Promise<void>((resolve) => (arrived = resolve));
    const t0 = performance.now();
    await a.cache.set('inv-key', { ...value, id: r });
    if (await within(done, 5000)) out.push(performance.now() - t0);
    else missed.ours++;
    arrived = undefined;
  }
  a.cache.close();
  b.cache.close();
  return out;
}

async function bentoInvalidation(): Promise<number[]> {
  const emitter = new EventEmitter();
  const a = bento(true);
  const b = bento(true, emitter);
  await a.set({ key: 'inv-key', value });
  await new Promise((r) => setTimeout(r, 200));
  let arrived: (() => void) | undefined;
  emitter.on('bus:message:received', () => arrived?.());
  const out: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await b.get({ key: 'inv-key' });
    const done = new Promise<void>((resolve) => (arrived = resolve));
    const t0 = performance.now();
    await a.set({ key: 'inv-key', value: { ...value, id: r } });
    if (await within(done, 5000)) out.push(performance.now() - t0);
    else missed.bentocache++;
    arrived = undefined;
  }
  return out;
}

console.error('invalidation latency…');
const bentoLatency = percentiles(await bentoInvalidation());
const oursLatency = percentiles(await oursInvalidation());

// ── Staleness after a lost subscription: B's subscriber is killed (CLIENT KILL), A writes in
// the gap, and B reads until it sees A's value (ioredis' default reconnect back-off) ─────────
async function staleAfterLoss(): Promise<number[]> {
  const a = ours(1000, 'loss');
  const b = ours(1000, 'loss');
  await new Promise((r) => setTimeout(r, 200));
  const out: number[] = [];
  for (let r = 0; r < (quick ? 5 : 20); r++) {
    await a.cache.set('loss-key', { ...value, id: -1 - r });
    await new Promise((res) => setTimeout(res, 5));
    await b.cache.get('loss-key');
    const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const ids = [...list.matchAll(/id=(\d+)/g)].map((m) => Number(m[1]));
    const resyncs = b.cache.stats().bus.resyncs;
    await admin.call('CLIENT', 'KILL', 'ID', String(Math.max(...ids))); // B's: the newest
    const t0 = performance.now();
    await a.cache.set('loss-key', { ...value, id: r });
    const deadline = t0 + 10_000;
    while ((await b.cache.get('loss-key'))?.id !== r && performance.now() < deadline)
      await new Promise((res) => setTimeout(res, 1));
    if (performance.now() >= deadline) throw new Error('B never read the value written in the gap');
    out.push(performance.now() - t0);
    while (b.cache.stats().bus.resyncs === resyncs && performance.now() < deadline)
      await new Promise((res) => setTimeout(res, 1));
    await new Promise((res) => setTimeout(res, 50)); // A's subscription is the older one: keep it
  }
  a.cache.close();
  b.cache.close();
  return out;
}
console.error('staleness after a lost subscription…');
const lossLatency = percentiles(await staleAfterLoss());

// ── Report ─────────────────────────────────────────────────────────────────────────────────
const redisVersion = execFileSync('redis-server', ['--version']).toString().trim();
console.log('# @perf/cache over Redis\n');
console.log(`${redisVersion}\n`);
console.log(`## ${l1.name ?? 'L1 hits'}\n`);
console.log(toMarkdown(l1Report, { baseline: 'bentocache (memory L1)' }));
console.log(`\n## L2 hits (${CONCURRENT} concurrent gets of distinct keys, each from Redis)\n`);
console.log(toMarkdown(l2Report, { baseline: 'bentocache (Redis L2 only)' }));
console.log(`\n## Batch get of ${CONCURRENT} keys\n`);
console.log(toMarkdown(getManyReport, { baseline: 'cacheable getMany (@keyv/redis)' }));
console.log(
  `\nMultiLevelCache.getMany of ${CONCURRENT} keys: ${roundTrips} Redis command(s) (one round trip).`,
);
console.log(
  `\n## Invalidation latency (set on A → B's bus handler ran), ${ROUNDS} rounds (messages not seen within 5 s: ours ${missed.ours}, bentocache ${missed.bentocache})\n`,
);
console.log(
  markdownTable(
    ['case', 'p50 (ms)', 'p99 (ms)'],
    [
      [
        'bentocache (Redis bus)',
        Number(bentoLatency.p50.toFixed(3)),
        Number(bentoLatency.p99.toFixed(3)),
      ],
      [
        '@perf/cache RedisBus',
        Number(oursLatency.p50.toFixed(3)),
        Number(oursLatency.p99.toFixed(3)),
      ],
    ],
  ),
);
console.log(
  `\nStale reads after B's subscription was killed and A wrote in the gap, until B read A's value (ioredis default reconnect): p50 ${lossLatency.p50.toFixed(1)} ms, p99 ${lossLatency.p99.toFixed(1)} ms.`,
);
console.log(`\n${formatMachine(machine('wall'))}`);

// bentocache's and cacheable's own connections are not awaited closed (a graceful disconnect
// can wait on a connection the loss test killed): the server is stopped and the process exits.
oursL1.cache.close();
oursL2.cache.close();
for (const c of connections) c.disconnect();
await server.close();
process.exit(0);
