import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('backend selection', () => {
  it('auto picks wasm where simd128 validates; both backends are forceable', async () => {
    const { createSimd, simdSupported, defaultSimd } = await import('../src/index.js');
    expect(simdSupported()).toBe(true); // Node 20 validates simd128
    expect(createSimd().backend).toBe('wasm');
    expect(createSimd({ backend: 'scalar' }).backend).toBe('scalar');
    expect(createSimd({ backend: 'scalar' }).memory).toBeUndefined();
    expect(defaultSimd()).toBe(defaultSimd());
  });

  it('without WebAssembly: auto falls back to scalar, forcing wasm is PERF_SIMD_UNSUPPORTED', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    const m = await import('../src/index.js');
    expect(m.simdSupported()).toBe(false);
    expect(m.createSimd().backend).toBe('scalar');
    let caught: unknown;
    try {
      m.createSimd({ backend: 'wasm' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(m.SimdUnsupportedError);
    expect((caught as { code: string }).code).toBe('PERF_SIMD_UNSUPPORTED');
    // The top-level functions keep working, on the scalar backend.
    expect(Array.from(m.add(Float32Array.of(1, 2), Float32Array.of(3, 4)))).toEqual([4, 6]);
    expect(m.alloc(Int32Array, 3)).toBeInstanceOf(Int32Array);
  });
});
