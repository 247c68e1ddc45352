// Worker-side roles of the benchmarks (started by threads.ts). Each waits at the start line,
// so the clock on the main thread measures only the transfer.
import { parentPort, workerData } from 'node:worker_threads';
import { RingBuffer } from 'ringbuf.js';
import { MpmcQueue, SpscRing } from '../src/index.js';

const d = workerData as Record<string, unknown> & {
  role: string;
  start: SharedArrayBuffer;
  n: number;
};
const line = new Int32Array(d.start);
const ready = () => {
  Atomics.add(line, 1, 1);
  while (Atomics.load(line, 0) === 0) {}
};
const BULK = 256;
let result: unknown = 0;

switch (d.role) {
  case 'spsc-single': {
    const ring = SpscRing.from(d.buffer as SharedArrayBuffer);
    ready();
    for (let i = 0; i < d.n; i++) while (!ring.tryPush(i)) {}
    break;
  }
  case 'spsc-bulk': {
    const ring = SpscRing.from(d.buffer as SharedArrayBuffer);
    const chunk = new Float64Array(BULK).fill(1);
    ready();
    for (let sent = 0; sent < d.n; sent += BULK) {
      let off = ring.tryPushMany(chunk);
      while (off < BULK) off += ring.tryPushMany(chunk.subarray(off));
    }
    break;
  }
  case 'ringbuf-single': {
    const rb = new RingBuffer(d.buffer as SharedArrayBuffer, Float64Array);
    const one = new Float64Array(1);
    ready();
    for (let i = 0; i < d.n; i++) {
      one[0] = i;
      while (rb.push(one) === 0) {}
    }
    break;
  }
  case 'ringbuf-bulk': {
    const rb = new RingBuffer(d.buffer as SharedArrayBuffer, Float64Array);
    const chunk = new Float64Array(BULK).fill(1);
    ready();
    for (let sent = 0; sent < d.n; sent += BULK) {
      let off = 0;
      while (off < BULK) off += rb.push(chunk, BULK - off, off);
    }
    break;
  }
  case 'post-single': {
    ready();
    for (let i = 0; i < d.n; i++) parentPort!.postMessage(i);
    break;
  }
  case 'echo-spsc': {
    const ping = SpscRing.from(d.ping as SharedArrayBuffer);
    const pong = SpscRing.from(d.pong as SharedArrayBuffer);
    const hot = d.hot as boolean;
    ready();
    for (;;) {
      let v: number | undefined;
      if (hot) while ((v = ping.tryPop()) === undefined) {}
      else v = ping.pop();
      if (v! < 0) break;
      while (!pong.tryPush(v!)) {}
    }
    break;
  }
  case 'echo-post': {
    parentPort!.on('message', (v: number) => {
      if (v < 0) parentPort!.postMessage({ done: 0 });
      else parentPort!.postMessage(v);
    });
    Atomics.add(line, 1, 1);
    break;
  }
  case 'mpmc-produce': {
    const q = MpmcQueue.from(d.buffer as SharedArrayBuffer);
    ready();
    for (let i = 0; i < d.n; i++) while (!q.tryPush(i)) {}
    break;
  }
  case 'mpmc-consume': {
    const q = MpmcQueue.from(d.buffer as SharedArrayBuffer);
    ready();
    let got = 0;
    for (;;) {
      const v = q.tryPop();
      if (v === undefined) continue;
      if (v < 0) break;
      got++;
    }
    result = got;
    break;
  }
  default:
    throw new Error(`unknown role ${d.role}`);
}
if (d.role !== 'echo-post') parentPort!.postMessage({ done: result });
