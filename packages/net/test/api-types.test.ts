// Type-level tests of the public API from source (checked by `pnpm typecheck`; at run time
// expectTypeOf is a no-op).
import type { Dispatcher } from 'undici';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type BatchError,
  type ClosedError,
  type Compressor,
  type Http2Pool,
  type Http2Response,
  type Http2StreamResponse,
  isPerfError,
  Loader,
  type LoaderOptions,
  type NetError,
  type PerfError,
  type QueueFullError,
} from '../src/index.js';
import type { Http2Pool as UndiciHttp2Pool, Http2PoolDispatcher } from '../src/undici.js';

describe('public API types', () => {
  it('Loader is generic over key, value and cache key, with DataLoader-shaped options', () => {
    const loader = new Loader(async (keys: number[]) => keys.map(String));
    expectTypeOf(loader.load(1)).toEqualTypeOf<Promise<string>>();
    expectTypeOf(loader.loadMany([1])).toEqualTypeOf<Promise<(string | Error)[]>>();
    expectTypeOf(loader.name).toEqualTypeOf<string | null>();
    expectTypeOf<LoaderOptions<number, string>['cacheHits']>().toEqualTypeOf<
      'batch' | 'immediately' | undefined
    >();
    expectTypeOf<LoaderOptions<number, string>['cacheMap']>().toMatchTypeOf<unknown>();
  });

  it('Http2Pool requests and the undici dispatcher', () => {
    // Types only: a live pool would start connecting (and reject its pending work on destroy).
    expectTypeOf<UndiciHttp2Pool>().toExtend<Http2Pool>();
    expectTypeOf<UndiciHttp2Pool['dispatcher']>().toEqualTypeOf<Http2PoolDispatcher>();
    expectTypeOf<UndiciHttp2Pool['dispatcher']>().toExtend<Dispatcher>();
    expectTypeOf<ReturnType<Http2Pool['request']>>().toEqualTypeOf<Promise<Http2Response>>();
    expectTypeOf<ReturnType<Http2Pool['stream']>>().toEqualTypeOf<Promise<Http2StreamResponse>>();
  });

  it('Compressor exposes no internal members', () => {
    expectTypeOf<keyof Compressor>().toEqualTypeOf<
      | 'stats'
      | 'encoding'
      | 'compress'
      | 'compressAsync'
      | 'decompress'
      | 'decompressAsync'
      | 'createCompressStream'
      | 'createDecompressStream'
      | 'encodeFor'
      | 'decode'
      | 'createEncoder'
      | 'send'
      | 'sendStream'
      | 'respond'
    >();
  });

  it('errors share the @perf base', () => {
    expectTypeOf<NetError>().toExtend<PerfError>();
    expectTypeOf<BatchError>().toExtend<NetError>();
    expectTypeOf<QueueFullError['capacity']>().toBeNumber();
    expectTypeOf<ClosedError['what']>().toBeString();
    expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
  });
});
