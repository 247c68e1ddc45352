/**
 * @packageDocumentation
 * Load balancing and consistent hashing: smooth weighted round robin, least connections, P2C, Peak EWMA, ring, Maglev, jump, rendezvous, bounded load.
 *
 * @module @perf/balance
 */

export { BalanceError } from './errors.js';
