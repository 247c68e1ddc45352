// Maglev table builds at 65,537 entries: a full build against the incremental update when one
// node joins or one leaves, the first version's build as a reference row, and how many keys
// move against the ideal (only the joining or leaving node's share, 1/n).
import { murmur3Pair } from '@perf/internal';
import { Bench, benchOptionsFromEnv, markdownTable, toMarkdown } from '@perf/monitor/bench';
import { Maglev } from '../src/index.js';

const M = 65_537;

/**
 * The fill of src/maglev.ts for equal weights, with a log of every claim (entry, probes) per
 * node: what an exact incremental update could reuse. Checked against `Maglev.shares()` below.
 */
function fillLog(ids: string[]) {
  const sorted = [...ids].sort();
  const n = sorted.length;
  const next = new Float64Array(n);
  const skip = new Float64Array(n);
  const pair = new Uint32Array(2);
  sorted.forEach((id, i) => {
    murmur3Pair(id, 0, pair);
    next[i] = pair[0]! % M;
    skip[i] = (pair[1]! % (M - 1)) + 1;
  });
  const table = new Int32Array(M).fill(-1);
  const claims = sorted.map(() => [] as { entry: number; probes: number }[]);
  let filled = 0;
  let probes = 0;
  while (filled < M) {
    for (let i = 0; i < n && filled < M; i++) {
      let c = next[i]!;
      let p = 1;
      while (table[c] !== -1) {
        c += skip[i]!;
        if (c >= M) c -= M;
        p++;
      }
      table[c] = i;
      claims[i]!.push({ entry: c, probes: p });
      probes += p;
      c += skip[i]!;
      next[i] = c >= M ? c - M : c;
      filled++;
    }
  }
  return { sorted, claims, probes, table };
}

/**
 * Upper bound of the fill work an exact incremental update can skip when one node leaves: a
 * node's claims can be copied only up to its first claim that differs from the old build (after
 * that its cursor has diverged), so the rest must be probed again as in a full build.
 */
function reusable(ids: string[], victim: string): number {
  const old = fillLog(ids);
  const fresh = fillLog(ids.filter((id) => id !== victim));
  // The replica must agree with the real table, or the figure means nothing.
  const shares = new Maglev(ids.filter((id) => id !== victim)).shares();
  fresh.sorted.forEach((id, i) => {
    const owned = fresh.claims[i]!.length;
    if (Math.round(shares.get(id)! * M) !== owned) throw new Error(`replica differs for ${id}`);
  });
  let same = 0;
  fresh.sorted.forEach((id, j) => {
    const a = old.claims[old.sorted.indexOf(id)]!;
    const b = fresh.claims[j]!;
    for (let k = 0; k < b.length && k < a.length && a[k]!.entry === b[k]!.entry; k++) {
      same += b[k]!.probes;
    }
  });
  return same / fresh.probes;
}

/**
 * The first version's `rebuild` (0.1.0), kept verbatim for equal weights as a reference row:
 * a sort and a hash of every id per build, double cursors, a branch for the wrap-around.
 */
function firstVersionBuild(ids: string[]): Uint16Array {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : 1));
  const n = sorted.length;
  const table = new Uint16Array(M).fill(0xffff);
  const next = new Float64Array(n);
  const skip = new Float64Array(n);
  const turns = new Float64Array(n);
  const share = new Float64Array(n).fill(1);
  const pair = new Uint32Array(2);
  for (let i = 0; i < n; i++) {
    murmur3Pair(sorted[i]!, 0, pair);
    next[i] = pair[0]! % M;
    skip[i] = (pair[1]! % (M - 1)) + 1;
  }
  let filled = 0;
  for (let round = 1; filled < M; round++) {
    for (let i = 0; i < n && filled < M; i++) {
      if (turns[i]! >= round * share[i]!) continue;
      let c = next[i]!;
      while (table[c] !== 0xffff) {
        c += skip[i]!;
        if (c >= M) c -= M;
      }
      table[c] = i;
      c += skip[i]!;
      next[i] = c >= M ? c - M : c;
      turns[i]!++;
      filled++;
    }
  }
  return table;
}

/**
 * A clock that advances only inside `time(f)`: the harness's samples then hold the CPU time
 * of the measured step alone (one join, or one leave), not of the untimed step that undoes it.
 */
function stopwatch() {
  let spent = 0;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  return {
    now: () => spent,
    time<T>(f: () => T): T {
      const t = cpu();
      const out = f();
      spent += cpu() - t;
      return out;
    },
  };
}

const KEYS = Array.from({ length: 200_000 }, (_, i) => `user:${i * 7919}:profile`);
const fixed = (x: number, digits = 3) => x.toFixed(digits);

export async function maglevUpdates(): Promise<string> {
  const out: string[] = [];
  const moves: (string | number)[][] = [];
  for (const n of [10, 100, 1000]) {
    const ids = Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
    const clock = stopwatch();
    const bench = new Bench(
      `Maglev, ${n} nodes, M = 65,537`,
      benchOptionsFromEnv({ time: 1000, now: clock.now }),
    );
    bench.add('full build (constructor)', () => clock.time(() => new Maglev(ids)));
    bench.add("_reference: the first version's full build (0.1.0)", () =>
      clock.time(() => firstVersionBuild(ids)),
    );
    const m = new Maglev(ids);
    let k = 0;
    bench.add('incremental: one node joins', () => {
      const id = `joining:${k++ & 7}`;
      clock.time(() => m.add(id));
      m.remove(id);
    });
    bench.add('incremental: one node leaves', () => {
      const id = ids[k++ % n]!;
      clock.time(() => m.remove(id));
      m.add(id);
    });
    bench.add('incremental: a drained node (weight 0) joins', () => {
      const id = `drained:${k++ & 7}`;
      clock.time(() => m.add({ id, weight: 0 }));
      m.remove(id);
    });
    out.push(`${n} nodes\n\n${toMarkdown(await bench.run())}`);
    const before = KEYS.map((k) => m.pick(k));
    m.add('joining:1');
    const joined = KEYS.map((k) => m.pick(k));
    const toNew = joined.filter((id) => id === 'joining:1').length;
    const movedJoin = joined.filter((id, i) => id !== before[i]).length;
    m.remove('joining:1');
    const victim = ids[n >> 1]!;
    const victimKeys = before.filter((id) => id === victim).length;
    m.remove(victim);
    const movedLeave = KEYS.filter((k, i) => m.pick(k) !== before[i]).length;
    m.add(victim);
    moves.push([
      n,
      `${(reusable(ids, victim) * 100).toFixed(1)} %`,
      fixed(movedJoin / toNew),
      fixed((movedJoin / KEYS.length) * (n + 1)),
      fixed(movedLeave / victimKeys),
      fixed((movedLeave / KEYS.length) * n),
    ]);
  }
  out.push(
    markdownTable(
      [
        'nodes',
        'leave: fill work an exact incremental update could reuse (at most)',
        'join: moved ÷ keys the new node takes',
        'join: moved ÷ ideal (1/(n+1))',
        'leave: moved ÷ keys the node had',
        'leave: moved ÷ ideal (1/n)',
      ],
      moves,
    ),
  );
  return out.join('\n\n');
}
