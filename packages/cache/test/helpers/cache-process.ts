// One application instance in its own process, driven by its parent over IPC: a
// MultiLevelCache with a RedisTier and a RedisBus. Its backend is a Redis string `db:<key>`
// (shared by every process), and every load counts itself with INCR `loads:<key>`.
import { connect, instance, subscribed } from './instances.js';

const port = Number(process.env.PERF_REDIS_PORT);
const admin = connect(port);
const hang = new Set<string>();
const i = instance<string>(port, {
  prefix: process.env.PERF_PREFIX,
  channel: process.env.PERF_CHANNEL,
  lock: { ttl: Number(process.env.PERF_LOCK_TTL ?? 5000) },
  load: async (key) => {
    await admin.incr(`loads:${key}`);
    if (hang.has(key)) {
      process.send!({ event: 'loading', key });
      await new Promise(() => {}); // a holder that never finishes (the test SIGKILLs it)
    }
    await new Promise((r) => setTimeout(r, 20));
    return (await admin.get(`db:${key}`)) ?? undefined;
  },
});

/** Highest version received per key, and the delivery latency of every message. */
const seen = new Map<string | number, number>();
const latencies: number[] = [];
const waiting: Array<() => void> = [];
i.bus.subscribe({
  message(m) {
    if (m.origin === i.cache.origin) return;
    latencies.push(performance.timeOrigin + performance.now() - m.sentAt);
    for (const k of m.keys ?? []) seen.set(k, Math.max(seen.get(k) ?? 0, m.version));
    for (const w of waiting.splice(0)) w();
  },
  invalid() {},
  disconnect() {},
  resync() {},
});

type Request =
  | { id: number; op: 'get'; key: string }
  | { id: number; op: 'set'; key: string; value: string }
  | { id: number; op: 'waitVersion'; key: string; version: number }
  | { id: number; op: 'stampede'; key: string; n: number }
  | { id: number; op: 'hang'; key: string }
  | { id: number; op: 'latencies' }
  | { id: number; op: 'stats' };

async function handle(r: Request): Promise<unknown> {
  switch (r.op) {
    case 'get':
      return i.cache.get(r.key);
    case 'set': {
      await i.cache.set(r.key, r.value);
      return (await i.tier.getEntry(r.key))?.version;
    }
    case 'waitVersion':
      while ((seen.get(r.key) ?? 0) < r.version) await new Promise<void>((w) => waiting.push(w));
      return true;
    case 'stampede':
      return Promise.all(Array.from({ length: r.n }, () => i.cache.get(r.key)));
    case 'hang':
      hang.add(r.key);
      void i.cache.get(r.key);
      return true;
    case 'latencies':
      return latencies;
    case 'stats':
      return i.cache.stats();
  }
}

process.on('message', (r: Request) => {
  handle(r).then(
    (result) => process.send!({ id: r.id, result }),
    (error: unknown) => process.send!({ id: r.id, error: String(error) }),
  );
});

subscribed(i as never).then(() => process.send!({ event: 'ready' }));
