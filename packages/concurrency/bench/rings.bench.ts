// SpscRing and MpmcQueue against postMessage and ringbuf.js, between real threads.
import Denque from 'denque';
import { RingBuffer } from 'ringbuf.js';
import { MpmcQueue, SpscRing } from '../src/index.js';
import { type BenchCase, printBench } from '@perf/monitor/bench';
import { transferClock } from './print.js';
import { spawnRole, startLine } from './threads.js';

const N = Number(process.env.PERF_BENCH_MESSAGES ?? 1_000_000);
const CAPACITY = 4096;
/** postMessage is ~100× slower: fewer messages, same rate. */
const POSTED = Math.min(N, 100_000);
const TRIPS = Math.min(N, 50_000);
const POSTED_TRIPS = 20_000;
/** Cross-thread cases time only the transfer (see transferClock); each call spawns workers. */
const clock = transferClock();
const timed = (t0: number) => clock.add(performance.now() - t0);

/** One producer worker → the main thread, spinning on tryPop. */
async function oneWaySpsc(role: 'spsc-single' | 'spsc-bulk'): Promise<void> {
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
  timed(t0);
  await done;
  await worker.terminate();
  if (sum < 0) console.log(sum); // keep `sum` alive
}

async function oneWayRingbuf(role: 'ringbuf-single' | 'ringbuf-bulk'): Promise<void> {
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
  timed(t0);
  await done;
  await worker.terminate();
  if (sum < 0) console.log(sum);
}

async function oneWayPostMessage(): Promise<void> {
  const n = POSTED;
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
  timed(t0);
  await worker.terminate();
}

/** Main → worker → main ping-pong; `hot`: both sides spin, else blocking pop (spin, then park). */
async function roundTripSpsc(hot: boolean): Promise<void> {
  const n = TRIPS;
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
  timed(t0);
  ping.tryPush(-1);
  await done;
  await worker.terminate();
}

async function roundTripPostMessage(): Promise<void> {
  const n = POSTED_TRIPS;
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
  timed(t0);
  await worker.terminate();
}

/** `producers` workers → `consumers` (the main thread when 1, else workers). */
async function mpmc(producers: number, consumers: number): Promise<void> {
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
  timed(t0);
  await Promise.all(workers.map((w) => w.worker.terminate()));
}

/**
 * The cost of the code path alone: push then pop on one thread, no scheduler in the way. On a
 * loaded machine this is the stable figure; it bounds what the cross-thread runs can reach.
 */
const SAME_THREAD_OPS = 2_000_000;
function sameThread(kind: string): () => number {
  const ops = SAME_THREAD_OPS;
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
    return sink; // the harness's blackhole keeps it alive
  };
}

/** MpmcQueue messages per run: half of N, split evenly between the producers. */
const mpmcTotal = (producers: number) => Math.floor(N / 2 / producers) * producers;

export async function run(): Promise<void> {
  const local: BenchCase[] = [
    ['ringbuf.js push+pop (1-element array)', 'ringbuf'],
    ['denque push+shift (not shared)', 'denque'],
    ['SpscRing tryPush+tryPop', 'spsc'],
    ['MpmcQueue tryPush+tryPop', 'mpmc'],
    ['ringbuf.js push+pop 256 (per element)', 'ringbuf-bulk'],
    ['SpscRing tryPushMany+tryPopMany 256 (per element)', 'spsc-bulk'],
  ].map(([name, kind]) => ({ name: name!, fn: sameThread(kind!), ops: SAME_THREAD_OPS }));
  await printBench('Same thread push+pop: the code path alone', local);

  // One warm-up call and five timed ones per case (each call starts its own workers).
  const cross = { now: clock.now, samples: 5, warmup: 1, time: 1 };
  await printBench(
    'One-way single messages, worker → main (hot: consumer spins)',
    [
      { name: 'postMessage', fn: oneWayPostMessage, ops: POSTED },
      {
        name: 'ringbuf.js push(1-element array)',
        fn: () => oneWayRingbuf('ringbuf-single'),
        ops: N,
      },
      { name: 'SpscRing tryPush/tryPop', fn: () => oneWaySpsc('spsc-single'), ops: N },
    ],
    cross,
  );
  await printBench(
    'One-way bulk, 256-element Float64Array chunks (per element)',
    [
      { name: 'ringbuf.js push/pop 256', fn: () => oneWayRingbuf('ringbuf-bulk'), ops: N },
      { name: 'SpscRing tryPushMany/tryPopMany 256', fn: () => oneWaySpsc('spsc-bulk'), ops: N },
    ],
    cross,
  );
  await printBench(
    'Round trips main → worker → main',
    [
      { name: 'postMessage round trip', fn: roundTripPostMessage, ops: POSTED_TRIPS },
      {
        name: 'SpscRing pair, blocking pop (spin, then park)',
        fn: () => roundTripSpsc(false),
        ops: TRIPS,
      },
      { name: 'SpscRing pair, hot (both spin)', fn: () => roundTripSpsc(true), ops: TRIPS },
    ],
    cross,
  );
  await printBench(
    'MpmcQueue across threads',
    [
      { name: 'MpmcQueue 2 producers → 1 consumer', fn: () => mpmc(2, 1), ops: mpmcTotal(2) },
      { name: 'MpmcQueue 1 producer → 2 consumers', fn: () => mpmc(1, 2), ops: mpmcTotal(1) },
    ],
    cross,
  );
}
