/** Counters behind `LsmStore.stats()`, shared by the write path, flushes and compactions. */
export interface StoreCounters {
  writes: number;
  syncs: number;
  userBytes: number;
  logBytes: number;
  tableBytesWritten: number;
  flushes: number;
  compactions: number;
  stallMs: number;
  bloomNegatives: number;
}

export function newCounters(): StoreCounters {
  return {
    writes: 0,
    syncs: 0,
    userBytes: 0,
    logBytes: 0,
    tableBytesWritten: 0,
    flushes: 0,
    compactions: 0,
    stallMs: 0,
    bloomNegatives: 0,
  };
}
