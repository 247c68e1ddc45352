// Property test of Http2Pool's delivery guarantees against a server that misbehaves at random
// (delays, REFUSED_STREAM, other resets, GOAWAY, dropped connections): every request settles,
// a POST is processed at most once (exactly once when it succeeded), bodies never mix up.
import { fork } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http2Pool } from '../src/index.js';
import { RUNS } from './helpers/data.js';

const FATES = ['ok', 'ok', 'ok', 'slow', 'refuse', 'reset', 'goaway', 'drop'] as const;
const SERVER = new URL('./fixtures/chaos-server.mjs', import.meta.url);

const RUNS_HERE = Math.max(3, Math.round(RUNS / 20)); // each run forks a server: ~1-2 s here

describe('Http2Pool under a chaotic server', () => {
  it('settles every request, never processes a POST twice, never mixes up bodies', {
    timeout: 30_000 + RUNS_HERE * 10_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...FATES), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        async (fates, maxStreams, maxSessions) => {
          const child = fork(SERVER, [fates.join(','), String(maxStreams)], { stdio: 'ignore' });
          const ask = <T>(msg?: string) =>
            new Promise<T>((resolve) => {
              child.once('message', resolve as never);
              if (msg) child.send(msg);
            });
          const { port } = await ask<{ port: number }>();
          // A hang would surface as PERF_NET_TIMEOUT, which the property does not allow.
          const pool = new Http2Pool(`http://127.0.0.1:${port}`, {
            maxSessions,
            maxRetries: 4,
            timeoutMs: 8_000,
          });
          try {
            const ids = Array.from({ length: 24 }, (_, i) => `${i % 2 ? 'post' : 'get'}-${i}`);
            const outcomes = await Promise.all(
              ids.map((id) =>
                pool
                  .request({
                    method: id.startsWith('post') ? 'POST' : 'GET',
                    headers: { 'x-id': id },
                  })
                  .then((r) => ({ id, body: r.body.toString(), code: undefined }))
                  .catch((e: { code?: string }) => ({ id, body: undefined, code: e.code })),
              ),
            );
            const { processed } = await ask<{ processed: Record<string, number> }>('counts');
            for (const o of outcomes) {
              if (o.body !== undefined) {
                expect(o.body).toBe(o.id);
                expect(processed[o.id]).toBeGreaterThanOrEqual(1);
              } else {
                expect(['PERF_NET_STREAM_RESET', 'PERF_NET_CONNECTION']).toContain(o.code);
              }
              if (o.id.startsWith('post')) expect(processed[o.id] ?? 0).toBeLessThanOrEqual(1);
            }
          } finally {
            pool.destroy();
            child.disconnect();
          }
        },
      ),
      { numRuns: RUNS_HERE },
    );
  });
});
