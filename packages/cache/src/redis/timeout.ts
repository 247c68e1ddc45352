import { CacheStoreError, CacheTimeoutError } from '../errors.js';
import type { LatencyRecorder } from '../types.js';

/**
 * Runs one Redis call with a bound: rejects with `CacheTimeoutError` after `timeout` ms, and
 * with `CacheStoreError` (cause: the client's error) when the call fails. A client that lost
 * its connection fails at once instead of queueing (ioredis' offline queue would hold the call
 * until it reconnects); one still connecting for the first time queues, within the bound. Records the duration in microseconds when a recorder is given.
 */
export function bounded<T>(
  operation: string,
  timeout: number,
  status: string | undefined,
  call: () => Promise<T>,
  latency?: LatencyRecorder,
): Promise<T> {
  if (status === 'reconnecting' || status === 'end' || status === 'close') {
    return Promise.reject(new CacheStoreError(operation, new Error(`connection is ${status}`)));
  }
  const start = latency === undefined ? 0 : performance.now();
  return new Promise<T>((resolve, reject) => {
    const timer =
      timeout === Number.POSITIVE_INFINITY
        ? undefined
        : setTimeout(() => reject(new CacheTimeoutError(operation, timeout)), timeout);
    call().then(
      (value) => {
        if (timer !== undefined) clearTimeout(timer);
        if (latency !== undefined) record(latency, performance.now() - start);
        resolve(value);
      },
      (error: unknown) => {
        if (timer !== undefined) clearTimeout(timer);
        reject(new CacheStoreError(operation, error));
      },
    );
  });
}

/** Records a duration in whole microseconds; a recorder that throws (out of range) is ignored. */
function record(latency: LatencyRecorder, ms: number): void {
  try {
    latency.record(Math.round(ms * 1000));
  } catch {
    // A histogram rejects values past its range; the call itself succeeded.
  }
}
