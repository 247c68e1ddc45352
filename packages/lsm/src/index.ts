/**
 * @packageDocumentation
 * A durable embedded LSM-tree key-value store: WAL with group commit, SSTables with bloom filters, leveled compaction, snapshots, crash recovery.
 *
 * @module @perf/lsm
 */

export { LsmError } from './errors.js';
