/**
 * Store options resolved once at `open` (LevelDB's `options.h`), and the argument checks every
 * public method shares. A bad option or argument is a programmer's mistake: it throws a
 * `TypeError`/`RangeError` at once, naming the option and the value it got.
 */
import { describe } from '@perf/internal';
import type { StoreOptions } from '../types.js';

/** Largest key, in bytes. Keys may be empty (they sort first). */
export const MAX_KEY_SIZE = 65_536;
/** Largest value, in bytes. */
export const MAX_VALUE_SIZE = 16 * 1024 * 1024;

const MiB = 1024 * 1024;

export { describe };

/** `v` as bytes (a string as UTF-8), at most `max` long. */
export function toBytes(v: unknown, what: string, max: number): Uint8Array {
  let b: Uint8Array;
  if (v instanceof Uint8Array) b = v;
  else if (typeof v === 'string') b = Buffer.from(v, 'utf8');
  else
    throw new TypeError(`Expected \`${what}\` to be a Uint8Array or a string, got ${describe(v)}`);
  if (b.length > max) {
    throw new RangeError(`Expected \`${what}\` to be at most ${max} bytes, got ${b.length} bytes`);
  }
  return b;
}

function intOption(opts: StoreOptions, name: keyof StoreOptions, def: number, min: number): number {
  const v = opts[name] ?? def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(
      `Expected \`${name}\` to be an integer from ${min} and up, got ${describe(v)}`,
    );
  }
  return v;
}

export function boolOption(opts: object, name: string, def: boolean): boolean {
  const v = (opts as Record<string, unknown>)[name] ?? def;
  if (typeof v !== 'boolean')
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describe(v)}`);
  return v;
}

export function objectArg(v: unknown, what = 'options'): void {
  if (typeof v !== 'object' || v === null) {
    throw new TypeError(`Expected \`${what}\` to be an object, got ${describe(v)}`);
  }
}

/** The options a store runs with, validated and defaulted. */
export interface Resolved {
  sync: boolean;
  writeBufferSize: number;
  blockSize: number;
  bloomBitsPerKey: number;
  tableFileSize: number;
  l0CompactionTrigger: number;
  l0StopWritesTrigger: number;
  levelBaseBytes: number;
  blockCacheSize: number;
  compaction: 'worker' | 'inline';
}

export function resolveOptions(options: StoreOptions, customFs: boolean): Resolved {
  const o: Resolved = {
    sync: boolOption(options, 'sync', false),
    writeBufferSize: intOption(options, 'writeBufferSize', 4 * MiB, 1024),
    blockSize: intOption(options, 'blockSize', 4096, 64),
    bloomBitsPerKey: intOption(options, 'bloomBitsPerKey', 10, 0),
    tableFileSize: intOption(options, 'tableFileSize', 2 * MiB, 1024),
    l0CompactionTrigger: intOption(options, 'l0CompactionTrigger', 4, 1),
    l0StopWritesTrigger: intOption(options, 'l0StopWritesTrigger', 12, 1),
    levelBaseBytes: intOption(options, 'levelBaseBytes', 10 * MiB, 1024),
    blockCacheSize: intOption(options, 'blockCacheSize', 32 * MiB, 0),
    compaction: 'worker',
  };
  if (o.bloomBitsPerKey > 64) {
    throw new RangeError(
      `Expected \`bloomBitsPerKey\` to be an integer from 0 to 64, got ${describe(o.bloomBitsPerKey)}`,
    );
  }
  if (o.l0StopWritesTrigger < o.l0CompactionTrigger) {
    throw new RangeError(
      `Expected \`l0StopWritesTrigger\` to be at least \`l0CompactionTrigger\` (${o.l0CompactionTrigger}), got ${describe(o.l0StopWritesTrigger)}`,
    );
  }
  const mode = options.compaction ?? (options.fs ? 'inline' : 'worker');
  if (mode !== 'worker' && mode !== 'inline') {
    throw new TypeError(
      `Expected \`compaction\` to be 'worker' or 'inline', got ${describe(mode)}`,
    );
  }
  if (mode === 'worker' && customFs) {
    throw new TypeError(
      "Expected `compaction` to be 'inline' with a custom `fs` (a worker cannot share it)",
    );
  }
  o.compaction = mode;
  return o;
}
