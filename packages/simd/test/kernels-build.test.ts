import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelBytes } from '../src/internal/kernels-module.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('shipped kernel bytes', () => {
  it('rebuilding wasm/kernels.wat with wabt gives exactly the committed module', () => {
    // Exit code 1 (and an error here) when src/wasm/kernels.generated.ts is stale.
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], {
      cwd: pkg,
      encoding: 'utf8',
    });
    expect(out).toContain('kernels up to date');
  });

  it('the inlined bytes are a valid simd128 module exporting every kernel', () => {
    const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } })
      .WebAssembly;
    const bytes = kernelBytes();
    expect(WA.validate(bytes)).toBe(true);
    const text = Buffer.from(bytes).toString('latin1');
    for (const op of [
      'add',
      'sub',
      'mul',
      'minimum',
      'maximum',
      'scale',
      'dot',
      'sum',
      'min',
      'max',
      'argmin',
      'argmax',
    ]) {
      for (const t of ['f32', 'f64', 'i32']) expect(text).toContain(`${op}_${t}`);
    }
    expect(text).toContain('dot_many_f32');
  });
});
