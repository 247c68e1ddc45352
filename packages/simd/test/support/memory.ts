import type { WasmMemory } from '../../src/index.js';

// The strict tsconfig has no DOM lib, hence no WebAssembly types: reach it through globalThis.
const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
    };
  }
).WebAssembly;

export function wasmMemory(d: { initial: number; maximum?: number; shared?: boolean }): WasmMemory {
  return new WA.Memory(d);
}
