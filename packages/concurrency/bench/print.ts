// A clock for the cross-thread cases (the tables themselves print through @perf/monitor/bench's
// printBench).

/**
 * A clock that advances only while a cross-thread transfer is being timed: the cases start
 * their workers and wait at a start line untimed, then add the transfer's own duration here.
 * Given to the harness as its `now`, so worker start-up never counts.
 */
export function transferClock(): { now: () => number; add: (ms: number) => void } {
  let elapsed = 0;
  return {
    now: () => elapsed,
    add: (ms) => {
      elapsed += ms;
    },
  };
}
