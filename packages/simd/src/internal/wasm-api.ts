/*
 * The slice of the WebAssembly JS API this package uses. Declared here because the strict
 * tsconfig (lib ES2023, no DOM) has no WebAssembly types, and so that the published .d.ts does
 * not depend on the consumer's `lib` either; a real WebAssembly.Memory satisfies WasmMemory.
 */
import type { WasmMemory } from '../types.js';

export interface WasmModule {
  readonly __wasmModule?: never;
}

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** `globalThis.WebAssembly`, or undefined in a runtime without it. */
export const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

export function isWasmMemory(value: unknown): value is WasmMemory {
  return wasmApi !== undefined && value instanceof wasmApi.Memory;
}
