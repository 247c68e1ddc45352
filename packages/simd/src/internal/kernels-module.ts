import type { WasmMemory } from '../types.js';
import { KERNELS_WASM_BASE64 } from '../wasm/kernels.generated.js';
import { type WasmModule, wasmApi } from './wasm-api.js';

/** The exports of wasm/kernels.wat. Pointers are byte offsets, `n` element counts. */
export interface KernelExports {
  [name: string]: (...args: number[]) => number;
}

/** Pages the kernel module's memory import declares as its maximum (2 GiB). */
export const MAX_PAGES = 32_768;
export const PAGE_BYTES = 65_536;

let bytes: Uint8Array | undefined;
let compiled: WasmModule | undefined;
let supported: boolean | undefined;

export function kernelBytes(): Uint8Array {
  return (bytes ??= new Uint8Array(Buffer.from(KERNELS_WASM_BASE64, 'base64')));
}

/**
 * True when this runtime accepts the kernel module (simd128 + shared memory). Decided once
 * per process: `WebAssembly.validate` on the real module, not a feature-probe snippet, so
 * the answer covers every instruction the kernels use.
 */
export function wasmSupported(): boolean {
  if (supported === undefined) {
    try {
      supported =
        wasmApi?.validate(kernelBytes()) === true &&
        new wasmApi.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof
          SharedArrayBuffer;
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** The compiled module, compiled once per thread (a few ms) and shared by every instance. */
export function kernelModule(): WasmModule {
  return (compiled ??= new wasmApi!.Module(kernelBytes()));
}

export function instantiate(memory: WasmMemory): KernelExports {
  const instance = new wasmApi!.Instance(kernelModule(), { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
