// The worker thread's side of the pool. Self-contained on purpose (see worker-source.ts): it
// must not reference anything outside its own body, because its `toString()` is what runs in
// the worker — from the TypeScript sources in tests and from dist/ (ESM or CJS) alike.
import type { MessagePort } from 'node:worker_threads';
import type { Codec } from './codec.js';
import type { WorkerInit } from './protocol.js';

export interface WorkerEnv {
  workerData: WorkerInit;
  parentPort: { on(event: 'message', fn: (m: unknown) => void): void };
  receiveMessageOnPort(port: MessagePort): { message: unknown } | undefined;
  v8: { serialize(v: unknown): Uint8Array; deserialize(b: Uint8Array): unknown };
  load(url: string): Promise<Record<string, unknown>>;
  makeCodec(v8: WorkerEnv['v8']): Codec;
  runParallel(job: unknown): unknown;
}

export function workerMain(env: WorkerEnv): void {
  const { workerData: init, v8, receiveMessageOnPort } = env;
  const P = init.protocol as Record<string, number>;
  const { HEAD, TAIL, TAIL_WAITERS, HEAD_WAITERS, HEADER_BYTES } = init.layout;
  const codec = env.makeCodec(v8);
  const port = init.port;
  const state = new Int32Array(init.state);
  const control = new Int32Array(init.control);
  const cancels = new Int32Array(init.cancels);
  const CURRENT = P.CURRENT!;
  const ABORT = P.ABORT!;
  const CANCEL_MASK = P.CANCEL_MASK!;
  const DOORBELL = P.DOORBELL!;
  const MAIN_WAITERS = P.MAIN_WAITERS!;
  const BODY = P.BODY!;
  const waitAsync = (
    Atomics as unknown as {
      waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: unknown };
    }
  ).waitAsync;

  // A minimal SpscByteRing (same layout as src/internal/ring-layout.ts): the consumer end of
  // the request ring and the producer end of the response ring.
  const ringOf = (buffer: SharedArrayBuffer) => {
    const capacity = buffer.byteLength - HEADER_BYTES;
    return {
      words: new Int32Array(buffer, 0, HEADER_BYTES / 4),
      bytes: new Uint8Array(buffer, HEADER_BYTES, capacity),
      lengths: new Int32Array(buffer, HEADER_BYTES, capacity >> 2),
      mask: capacity - 1,
      capacity,
      index: 0,
    };
  };
  const rq = ringOf(init.request);
  const rs = ringOf(init.response);
  rq.index = Atomics.load(rq.words, HEAD);
  rs.index = Atomics.load(rs.words, TAIL);
  const input = new Uint8Array(rq.capacity);
  const inputView = new DataView(input.buffer);
  const output = new Uint8Array(rs.capacity - 4);
  const outputView = new DataView(output.buffer);

  const pop = (): number => {
    const head = rq.index;
    if (Atomics.load(rq.words, TAIL) === head) return -1;
    const at = head & rq.mask;
    const length = rq.lengths[at >> 2]!;
    const from = (at + 4) & rq.mask;
    const first = rq.capacity - from;
    if (length <= first) input.set(rq.bytes.subarray(from, from + length));
    else {
      input.set(rq.bytes.subarray(from, rq.capacity));
      input.set(rq.bytes.subarray(0, length - first), first);
    }
    rq.index = (head + 4 + ((length + 3) & ~3)) | 0;
    Atomics.store(rq.words, HEAD, rq.index);
    if (Atomics.load(rq.words, HEAD_WAITERS) !== 0) Atomics.notify(rq.words, HEAD);
    return length;
  };

  const push = (length: number): void => {
    const need = 4 + ((length + 3) & ~3);
    const tail = rs.index;
    for (;;) {
      const head = Atomics.load(rs.words, HEAD);
      if (rs.capacity - ((tail - head) | 0) >= need) break;
      // The main thread drains responses from its event loop; wait for it to make room.
      Atomics.add(rs.words, HEAD_WAITERS, 1);
      Atomics.wait(rs.words, HEAD, head, 50);
      Atomics.sub(rs.words, HEAD_WAITERS, 1);
    }
    const at = tail & rs.mask;
    rs.lengths[at >> 2] = length;
    const from = (at + 4) & rs.mask;
    const first = rs.capacity - from;
    if (length <= first) rs.bytes.set(output.subarray(0, length), from);
    else {
      rs.bytes.set(output.subarray(0, first), from);
      rs.bytes.set(output.subarray(first, length), 0);
    }
    rs.index = (tail + need) | 0;
    Atomics.store(rs.words, TAIL, rs.index);
    Atomics.add(control, DOORBELL, 1);
    if (Atomics.load(control, MAIN_WAITERS) !== 0) Atomics.notify(control, DOORBELL);
  };

  const header = (kind: number, id: number): void => {
    output[0] = kind;
    outputView.setInt32(4, id, true);
    outputView.setInt32(8, 0, true);
  };

  const respond = (id: number, value: unknown): void => {
    header(P.RES_OK!, id);
    let end = codec.encode(value, output, outputView, BODY);
    if (end < 0) {
      try {
        port.postMessage({ value });
      } catch (error) {
        respondError(id, error);
        return;
      }
      output[0] = P.RES_OK_POSTED!;
      end = BODY;
    }
    push(end);
  };

  function respondError(id: number, error: unknown): void {
    const plain: Record<string, unknown> =
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : { name: 'Error', message: `Non-error thrown: ${String(error)}` };
    if (typeof error === 'object' && error !== null) {
      for (const key of Object.keys(error)) {
        const v = (error as Record<string, unknown>)[key];
        try {
          v8.serialize(v);
          plain[key] = v;
        } catch {
          // fields only structured clone cannot copy are dropped
        }
      }
    }
    header(P.RES_ERROR!, id);
    let end = codec.encode(plain, output, outputView, BODY);
    if (end < 0) {
      end = codec.encode({ name: plain.name, message: plain.message }, output, outputView, BODY);
    }
    push(end);
  }

  // FN_ID → the task function, or the promise of loading it.
  const fns = new Map<number, unknown>();
  fns.set(P.FN_PARALLEL!, env.runParallel);
  const define = (fnId: number, module: string, name: string): void => {
    if (fns.has(fnId)) return;
    fns.set(
      fnId,
      env.load(module).then((ns) => {
        const fn = ns[name] ?? (name === 'default' ? ns : undefined);
        if (typeof fn !== 'function') {
          throw new TypeError(
            `Expected export \`${name}\` of ${module} to be a function, got ${typeof fn}`,
          );
        }
        fns.set(fnId, fn);
        return fn;
      }),
    );
  };

  // Cooperative cancellation. Each task is called as fn(arg, context); `context.signal` is made
  // on first use only, so tasks that never look at it pay nothing. Its `aborted` reads shared
  // memory (two Atomics.loads), so a CPU-bound loop can poll it cheaply; the task is aborted when
  // the main thread wrote its id to ABORT (it was running) or to the cancel table (it was
  // cancelled while starting). While the task awaits, a waiter on ABORT fires the 'abort' event,
  // so APIs that take a signal (timers, fetch, streams) stop too.
  let watching = false;
  const isAborted = (id: number, abortWord: number): boolean =>
    abortWord === id || Atomics.load(cancels, id & CANCEL_MASK) === id;
  const makeSignal = (id: number): AbortSignal => {
    const controller = new AbortController();
    const signal = controller.signal;
    let fired = false;
    const check = (abortWord: number): boolean => {
      if (!fired && isAborted(id, abortWord)) {
        fired = true;
        controller.abort(new DOMException('The task was aborted', 'AbortError'));
      }
      return fired;
    };
    Object.defineProperty(signal, 'aborted', {
      get: () => check(Atomics.load(state, ABORT)),
      configurable: true,
    });
    Object.defineProperty(signal, 'throwIfAborted', {
      value: () => {
        if (check(Atomics.load(state, ABORT))) throw signal.reason;
      },
      configurable: true,
    });
    watching = true;
    const watch = (): void => {
      const word = Atomics.load(state, ABORT); // read before checking: no abort slips between
      if (Atomics.load(state, CURRENT) !== id || check(word)) return;
      const r = waitAsync(state, ABORT, word);
      if (r.async) (r.value as Promise<unknown>).then(watch);
      else watch();
    };
    watch();
    return signal;
  };
  const contextOf = (id: number): { readonly signal: AbortSignal } => {
    let signal: AbortSignal | undefined;
    return {
      get signal() {
        signal ??= makeSignal(id);
        return signal;
      },
    };
  };
  /** Marks the task over; wakes its signal's waiter (if any) so it sees that and stops. */
  const over = (): void => {
    Atomics.store(state, CURRENT, 0);
    if (watching) {
      watching = false;
      Atomics.notify(state, ABORT);
    }
  };

  const finish = (id: number, result: unknown): Promise<void> | undefined => {
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as Promise<unknown>).then === 'function'
    ) {
      return (result as Promise<unknown>).then(
        (value) => {
          respond(id, value);
          over();
        },
        (error: unknown) => {
          respondError(id, error);
          over();
        },
      );
    }
    respond(id, result);
    over();
    return undefined;
  };

  const run = (kind: number, length: number): Promise<void> | undefined => {
    const id = inputView.getInt32(4, true);
    const fnId = inputView.getInt32(8, true);
    let arg: unknown;
    if (kind === P.REQ_RUN_POSTED) {
      const m = receiveMessageOnPort(port)?.message as { arg: unknown; define?: [string, string] };
      if (m.define) define(fnId, m.define[0], m.define[1]);
      arg = m.arg;
    } else {
      arg = codec.decode(input, inputView, BODY, length);
    }
    // CURRENT is published before the cancel table is read, and the main thread writes the table
    // before it reads CURRENT (Dekker order): a cancel is either seen here, or the main thread
    // sees the task running and aborts it through its signal.
    Atomics.store(state, CURRENT, id);
    if (Atomics.load(cancels, id & CANCEL_MASK) === id) {
      Atomics.store(state, CURRENT, 0);
      header(P.RES_SKIPPED!, id);
      push(BODY);
      return undefined;
    }
    const fn = fns.get(fnId);
    const context = contextOf(id);
    try {
      if (typeof fn === 'function') return finish(id, fn(arg, context));
      return finish(
        id,
        (fn as Promise<(a: unknown, c: unknown) => unknown>).then((f) => f(arg, context)),
      );
    } catch (error) {
      respondError(id, error);
      over();
      return undefined;
    }
  };

  // The loop: drain the request ring synchronously while it has records; when empty, spin
  // before sleeping in Atomics.waitAsync (so the event loop — async tasks, timers — runs).
  // The spin adapts, like an adaptive mutex (glibc's PTHREAD_MUTEX_ADAPTIVE_NP, JVM adaptive
  // spinning): it doubles after a spin that found work and halves after one that did not. A
  // parked thread costs 30–70 µs to wake, so spinning pays when work comes back quickly — but on
  // a machine with more threads than cores a spinning worker steals the CPU the main thread needs
  // to produce that work, and the halving backs off. Async tasks run one at a time.
  const maxSpin = init.spin;
  let spin = maxSpin;
  const loop = async (): Promise<void> => {
    for (;;) {
      let length = pop();
      if (length < 0) {
        let i = 0;
        while (length < 0 && i < spin) {
          length = pop();
          i++;
        }
        if (length >= 0) spin = Math.min(maxSpin, spin * 2 + 1);
        else {
          spin >>= 1;
          const tail = rq.index;
          Atomics.add(rq.words, TAIL_WAITERS, 1);
          const r = waitAsync(rq.words, TAIL, tail);
          if (r.async) await r.value;
          Atomics.sub(rq.words, TAIL_WAITERS, 1);
          continue;
        }
      }
      const kind = input[0]!;
      if (kind === P.REQ_DEFINE) {
        const [module, name] = JSON.parse(new TextDecoder().decode(input.subarray(BODY, length)));
        define(inputView.getInt32(8, true), module, name);
      } else {
        const pending = run(kind, length);
        if (pending !== undefined) await pending;
      }
    }
  };
  // A listener keeps the thread alive while it sleeps in waitAsync (which does not).
  env.parentPort.on('message', () => {});
  void loop();
}
