/**
 * abstract-level's own compliance suite (written by the Level maintainers), run against
 * `LsmLevel` through a small tape-compatible shim over vitest: every `test(name, fn)` of the
 * suite becomes a vitest test; `t.*` assertions are collected and a failed one fails the test.
 */
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { LsmLevel } from '../src/level.js';
import { tempDir } from './helpers/tmp.js';

const require = createRequire(import.meta.url);
const suite = require('abstract-level/test') as (options: object) => void;

type Fn = (t: Tape) => unknown;

class Tape {
  failures: string[] = [];
  count = 0;
  planned: number | undefined;
  ended = false;
  #done: () => void = () => {};
  readonly finished = new Promise<void>((r) => {
    this.#done = r;
  });
  readonly subtests: [string, Fn][] = [];

  #assert(ok: boolean, msg: string | undefined, detail: () => string) {
    this.count++;
    if (!ok) this.failures.push(`${msg ?? 'assertion'}: ${detail()}`);
    if (this.planned !== undefined && this.count >= this.planned) this.end();
  }

  plan(n: number) {
    this.planned = n;
    if (n === 0) this.end();
  }
  end() {
    if (!this.ended) {
      this.ended = true;
      this.#done();
    }
  }
  ok(v: unknown, msg?: string) {
    this.#assert(Boolean(v), msg, () => `expected truthy, got ${String(v)}`);
  }
  notOk(v: unknown, msg?: string) {
    this.#assert(!v, msg, () => `expected falsy, got ${String(v)}`);
  }
  is(a: unknown, b: unknown, msg?: string) {
    this.#assert(Object.is(a, b), msg, () => `${String(a)} !== ${String(b)}`);
  }
  isNot(a: unknown, b: unknown, msg?: string) {
    this.#assert(!Object.is(a, b), msg, () => `${String(a)} === ${String(b)}`);
  }
  same(a: unknown, b: unknown, msg?: string) {
    this.#assert(
      isDeepStrictEqual(a, b),
      msg,
      () => `${JSON.stringify(a)} not deep-equal ${JSON.stringify(b)}`,
    );
  }
  pass(msg?: string) {
    this.#assert(true, msg, () => '');
  }
  fail(msg?: string) {
    this.#assert(false, msg, () => 'fail()');
  }
  error(err: unknown, msg?: string) {
    this.#assert(!err, msg, () => String(err));
  }
  ifError(err: unknown, msg?: string) {
    this.error(err, msg);
  }
  throws(fn: () => unknown, expected?: unknown, msg?: string) {
    let threw = false;
    try {
      fn();
    } catch (err) {
      threw = true;
      if (expected !== null && typeof expected === 'object' && !(expected instanceof RegExp)) {
        const ok = Object.entries(expected).every(([k, v]) =>
          isDeepStrictEqual((err as Record<string, unknown>)[k], v),
        );
        return this.#assert(
          ok,
          msg,
          () => `error ${String(err)} does not match ${JSON.stringify(expected)}`,
        );
      }
    }
    this.#assert(threw, typeof expected === 'string' ? expected : msg, () => 'did not throw');
  }
  doesNotThrow(fn: () => unknown, msg?: string) {
    try {
      fn();
      this.pass(msg);
    } catch (err) {
      this.#assert(false, msg, () => String(err));
    }
  }
  comment() {}
  test(name: string, fn: Fn) {
    this.subtests.push([name, fn]);
  }
}

async function run(fn: Fn, name: string): Promise<void> {
  const t = new Tape();
  const result = fn(t);
  if (result instanceof Promise) {
    await result;
    if (t.planned === undefined) t.end();
  }
  const timeout = new Promise<void>((_, reject) =>
    setTimeout(
      () => reject(new Error(`${name}: timed out (plan ${t.planned}, ${t.count} assertions)`)),
      20_000,
    ).unref(),
  );
  await Promise.race([t.finished, timeout]);
  if (t.planned !== undefined && t.count !== t.planned)
    t.failures.push(`planned ${t.planned} assertions, ran ${t.count}`);
  for (const [sub, subFn] of t.subtests) await run(subFn, `${name} > ${sub}`);
  if (t.failures.length > 0) throw new Error(`${name}:\n  ${t.failures.join('\n  ')}`);
}

const tape = Object.assign(
  (name: string, ...rest: unknown[]) =>
    it(name, () => run(rest[rest.length - 1] as Fn, name), 30_000),
  {
    skip: (name: string) => it.skip(name, () => {}),
    only: (name: string, ...rest: unknown[]) =>
      it(name, () => run(rest[rest.length - 1] as Fn, name), 30_000),
  },
);

describe('abstract-level compliance suite', () => {
  suite({
    test: tape,
    factory: (options?: object) => new LsmLevel(tempDir(), options),
  });
});
