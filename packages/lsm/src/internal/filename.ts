/**
 * The names of a store's files (LevelDB's `filename.cc`). Logs, tables and manifests share one
 * counter of file numbers, so a number names exactly one file for the store's lifetime.
 *
 * ```
 *  CURRENT            the name of the live manifest, replaced atomically
 *  MANIFEST-NNNNNN    version edits (see version.ts)
 *  NNNNNN.log         write-ahead log
 *  NNNNNN.sst         table
 *  LOCK               pid of the process that has the store open
 * ```
 */
export { tablePath } from './compaction.js';

export const pad = (n: number) => String(n).padStart(6, '0');
export const logName = (n: number) => `${pad(n)}.log`;
export const manifestName = (n: number) => `MANIFEST-${pad(n)}`;
/** A log or a table: number and kind. */
export const FILE_RE = /^(\d{6,})\.(log|sst)$/;
export const MANIFEST_RE = /^MANIFEST-(\d{6,})$/;
