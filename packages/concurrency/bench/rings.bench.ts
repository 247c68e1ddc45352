// SpscRing and MpmcQueue against postMessage and ringbuf.js, between real threads.
import Denque from 'denque';
import { RingBuffer } from 'ringbuf.js';
import { MpmcQueue, SpscRing } from '../src/index.js';
import { measure, type Row, spawnRole, startLine, table } from './harness.js';

const N = Number(process.env.PERF_BENCH_MESSAGES ?? 1_000_000);
const CAPACITY = 4096;

/** One producer worker → the main thread, spinning on tryPop. Returns messages/s. */
async function oneWaySpsc(role: 'spsc-single' | 'spsc-bulk'): Promise<number> {
  const ring = new SpscRing({ capacity: CAPACITY });
  const line = startLine();
  const { worker, done } = spawnRole({ role, buffer: ring.buffer, start: line.buffer, n: N });
  await line.ready(1);
  const out = new Float64Array(256);
  let got = 0;
  let sum = 0;
  const t0 = performance.now();
  line.go();
  if (role === 'spsc-single') {
    while (got < N) {
      const v = ring.tryPop();
      if (v !== undefined) {
        sum += v;
        got++;
      }
    }
  } else {
    while (got < N) {
      const k = ring.tryPopMany(out);
      got += k;
      sum += out[0]!;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await done;
  await worker.terminate();
  if (sum < 0) console.log(sum); // keep `sum` alive
  return N / seconds;
}

async function oneWayRingbuf(role: 'ringbuf-single' | 'ringbuf-bulk'): Promise<number> {
  const sab = RingBuffer.getStorageForCapacity(CAPACITY, Float64Array);
  const rb = new RingBuffer(sab, Float64Array);
  const line = startLine();
  const { worker, done } = spawnRole({ role, buffer: sab, start: line.buffer, n: N });
  await line.ready(1);
  const out = new Float64Array(role === 'ringbuf-single' ? 1 : 256);
  let got = 0;
  let sum = 0;
  const t0 = performance.now();
  line.go();
  while (got < N) {
    got += rb.pop(out);
    sum += out[0]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  await done;
  await worker.terminate();
  if (sum < 0) console.log(sum);
  return N / seconds;
}

async function oneWayPostMessage(): Promise<number> {
  const n = Math.min(N, 100_000); // postMessage is ~100× slower: fewer messages, same rate
  const line = startLine();
  const { worker } = spawnRole({ role: 'post-single', start: line.buffer, n });
  await line.ready(1);
  let got = 0;
  const finished = new Promise<void>((resolve) =>
    worker.on('message', (m) => {
      if (typeof m === 'number' && ++got === n) resolve();
    }),
  );
  const t0 = performance.now();
  line.go();
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  await worker.terminate();
  return n / seconds;
}

/** Main → worker → main ping-pong; `hot`: both sides spin, else blocking pop (spin, then park). */
async function roundTripSpsc(hot: boolean): Promise<number> {
  const n = Math.min(N, 50_000);
  const ping = new SpscRing({ capacity: 64 });
  const pong = new SpscRing({ capacity: 64 });
  const line = startLine();
  const { worker, done } = spawnRole({
    role: 'echo-spsc',
    ping: ping.buffer,
    pong: pong.buffer,
    hot,
    start: line.buffer,
    n,
  });
  await line.ready(1);
  const t0 = performance.now();
  line.go();
  for (let i = 0; i < n; i++) {
    ping.tryPush(i);
    if (hot) while (pong.tryPop() === undefined) {}
    else pong.pop();
  }
  const seconds = (performance.now() - t0) / 1000;
  ping.tryPush(-1);
  await done;
  await worker.terminate();
  return n / seconds;
}

async function roundTripPostMessage(): Promise<number> {
  const n = 20_000;
  const line = startLine();
  const { worker } = spawnRole({ role: 'echo-post', start: line.buffer, n });
  await line.ready(1);
  let resolveOne: () => void = () => {};
  worker.on('message', () => resolveOne());
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const back = new Promise<void>((r) => (resolveOne = r));
    worker.postMessage(i);
    await back;
  }
  const seconds = (performance.now() - t0) / 1000;
  await worker.terminate();
  return n / seconds;
}

/** `producers` workers → `consumers` (the main thread when 1, else workers). Messages/s. */
async function mpmc(producers: number, consumers: number): Promise<number> {
  const per = Math.floor(N / 2 / producers);
  const total = per * producers;
  const q = new MpmcQueue({ capacity: CAPACITY });
  const line = startLine();
  const workers = [];
  for (let p = 0; p < producers; p++)
    workers.push(spawnRole({ role: 'mpmc-produce', buffer: q.buffer, start: line.buffer, n: per }));
  const mainConsumes = consumers === 1;
  if (!mainConsumes)
    for (let c = 0; c < consumers; c++)
      workers.push(spawnRole({ role: 'mpmc-consume', buffer: q.buffer, start: line.buffer, n: 0 }));
  await line.ready(workers.length);
  const t0 = performance.now();
  line.go();
  if (mainConsumes) {
    let got = 0;
    while (got < total) if (q.tryPop() !== undefined) got++;
  } else {
    await Promise.all(workers.slice(0, producers).map((w) => w.done));
    for (let c = 0; c < consumers; c++) while (!q.tryPush(-1)) {}
    await Promise.all(workers.map((w) => w.done));
  }
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.worker.terminate()));
  return total / seconds;
}

/**
 * The cost of the code path alone: push then pop on one thread, no scheduler in the way. On a
 * loaded machine this is the stable figure; it bounds what the cross-thread runs can reach.
 */
function sameThread(kind: string): () => number {
  const ops = 2_000_000;
  const bulk = 256;
  const chunk = new Float64Array(bulk).fill(1);
  const out = new Float64Array(bulk);
  const one = new Float64Array(1);
  const ring = new SpscRing({ capacity: CAPACITY });
  const rb = new RingBuffer(RingBuffer.getStorageForCapacity(CAPACITY, Float64Array), Float64Array);
  const q = new MpmcQueue({ capacity: CAPACITY });
  const dq = new Denque<number>();
  return () => {
    let sink = 0;
    const t0 = performance.now();
    switch (kind) {
      case 'denque':
        for (let i = 0; i < ops; i++) {
          dq.push(i);
          sink += dq.shift()!;
        }
        break;
      case 'spsc':
        for (let i = 0; i < ops; i++) {
          ring.tryPush(i);
          sink += ring.tryPop()!;
        }
        break;
      case 'ringbuf':
        for (let i = 0; i < ops; i++) {
          one[0] = i;
          rb.push(one);
          rb.pop(one);
          sink += one[0]!;
        }
        break;
      case 'mpmc':
        for (let i = 0; i < ops; i++) {
          q.tryPush(i);
          sink += q.tryPop()!;
        }
        break;
      case 'spsc-bulk':
        for (let i = 0; i < ops / bulk; i++) {
          ring.tryPushMany(chunk);
          sink += ring.tryPopMany(out);
        }
        break;
      case 'ringbuf-bulk':
        for (let i = 0; i < ops / bulk; i++) {
          rb.push(chunk);
          sink += rb.pop(out);
        }
        break;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (sink === Math.PI) console.log(sink);
    return ops / seconds;
  };
}

export async function run(): Promise<void> {
  const local: Row[] = [
    {
      name: 'denque push+shift (baseline, not shared)',
      value: await measure(sameThread('denque')),
    },
    { name: 'ringbuf.js push+pop (1-element array)', value: await measure(sameThread('ringbuf')) },
    { name: 'SpscRing tryPush+tryPop', value: await measure(sameThread('spsc')) },
    { name: 'MpmcQueue tryPush+tryPop', value: await measure(sameThread('mpmc')) },
    {
      name: 'ringbuf.js push+pop 256 (elements)',
      value: await measure(sameThread('ringbuf-bulk')),
    },
    {
      name: 'SpscRing tryPushMany+tryPopMany 256 (elements)',
      value: await measure(sameThread('spsc-bulk')),
    },
  ];
  table(
    'Same thread push+pop: the code path alone',
    'elements/s',
    local,
    'ringbuf.js push+pop (1-element array)',
  );
  const single: Row[] = [
    { name: 'postMessage (baseline)', value: await measure(oneWayPostMessage) },
    {
      name: 'ringbuf.js push(1-element array)',
      value: await measure(() => oneWayRingbuf('ringbuf-single')),
    },
    { name: 'SpscRing tryPush/tryPop', value: await measure(() => oneWaySpsc('spsc-single')) },
  ];
  table(
    'One-way single messages, worker → main (hot: consumer spins)',
    'msg/s',
    single,
    'postMessage (baseline)',
  );
  const bulk: Row[] = [
    { name: 'ringbuf.js push/pop 256', value: await measure(() => oneWayRingbuf('ringbuf-bulk')) },
    {
      name: 'SpscRing tryPushMany/tryPopMany 256',
      value: await measure(() => oneWaySpsc('spsc-bulk')),
    },
  ];
  table(
    'One-way bulk, 256-element Float64Array chunks',
    'elements/s',
    bulk,
    'ringbuf.js push/pop 256',
  );
  const trips: Row[] = [
    { name: 'postMessage round trip (baseline)', value: await measure(roundTripPostMessage) },
    {
      name: 'SpscRing pair, blocking pop (spin, then park)',
      value: await measure(() => roundTripSpsc(false)),
    },
    { name: 'SpscRing pair, hot (both spin)', value: await measure(() => roundTripSpsc(true)) },
  ];
  table('Round trips main → worker → main', 'trips/s', trips, 'postMessage round trip (baseline)');
  const queues: Row[] = [
    { name: 'MpmcQueue 2 producers → 1 consumer', value: await measure(() => mpmc(2, 1)) },
    { name: 'MpmcQueue 1 producer → 2 consumers', value: await measure(() => mpmc(1, 2)) },
  ];
  table('MpmcQueue across threads', 'msg/s', queues, 'MpmcQueue 2 producers → 1 consumer');
}
