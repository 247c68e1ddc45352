/**
 * The corruption matrix: every kind of file a store keeps — a table (head, middle, tail), the
 * newest log, an older log, the manifest and CURRENT — damaged by a flipped byte and by
 * truncation at several places. Each case must end in a typed PERF_LSM_CORRUPTION error or in
 * exactly the acknowledged data: all of it, except that the newest log may lose a suffix of
 * whole batches (the write in flight when the process died). Never a wrong value, never a gap.
 */
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LsmError, LsmStore } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

const value = (i: number) => `v${i}-${'x'.repeat(90)}`;
/** Batches in write order: [from, to) key ranges. */
const TABLE = [0, 500] as const; // flushed to a table
const OLDER = [500, 3500] as const; // the older live log
const NEWEST = [
  [3500, 3700],
  [3700, 3900],
  [3900, 4100],
] as const; // the newest live log, three batches
const N = 4100;

async function buildStore(): Promise<string> {
  const dir = tempDir();
  const db = await LsmStore.open(dir, { compaction: 'inline', writeBufferSize: 256 * 1024 });
  const batch = ([from, to]: readonly [number, number]) =>
    db.batch(
      Array.from({ length: to - from }, (_, j) => ({
        type: 'put' as const,
        key: key(from + j),
        value: value(from + j),
      })),
    );
  await batch(TABLE);
  await db.flush();
  await batch(OLDER); // fills the memtable: the next write rotates the log
  for (const b of NEWEST) await batch(b);
  await db.close(); // cuts the flush of OLDER short: two live logs
  return dir;
}

type Kind = 'table' | 'newest log' | 'older log' | 'manifest' | 'CURRENT';

function target(dir: string, kind: Kind): string {
  const names = readdirSync(dir).sort();
  const logs = names.filter((n) => n.endsWith('.log'));
  const pick = {
    table: names.find((n) => n.endsWith('.sst')),
    'newest log': logs[logs.length - 1],
    'older log': logs.length > 1 ? logs[0] : undefined,
    manifest: names.find((n) => n.startsWith('MANIFEST-')),
    CURRENT: 'CURRENT',
  }[kind];
  if (pick === undefined) throw new Error(`no ${kind} in ${names.join(' ')}`);
  return join(dir, pick);
}

/** Opens and reads everything; returns the keys present, checking every value. */
async function readBack(dir: string): Promise<Set<number>> {
  const db = await LsmStore.open(dir);
  try {
    const present = new Set<number>();
    for (let i = 0; i < N; i++) {
      const v = db.getSync(key(i));
      if (v === undefined) continue;
      expect(v.toString()).toBe(value(i));
      present.add(i);
    }
    const all = db.iterator().nextvSync(N + 1);
    expect(all.length).toBe(present.size);
    for (const [k, v] of all) {
      const i = Number(k.toString().slice(1));
      expect(present.has(i)).toBe(true);
      expect(v.toString()).toBe(value(i));
    }
    return present;
  } finally {
    await db.close();
  }
}

/** The outcomes recovery may give: all acknowledged data, or less only in the newest log. */
function allowed(kind: Kind): Set<number>[] {
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => from + j);
  const base = [...range(...TABLE), ...range(...OLDER)];
  const out: Set<number>[] = [];
  for (let k = NEWEST.length; k >= 0; k--) {
    if (k < NEWEST.length && kind !== 'newest log') break;
    out.push(new Set([...base, ...NEWEST.slice(0, k).flatMap(([f, t]) => range(f, t))]));
  }
  return out;
}

const sameSet = (a: Set<number>, b: Set<number>) =>
  a.size === b.size && [...a].every((x) => b.has(x));

const KINDS: Kind[] = ['table', 'newest log', 'older log', 'manifest', 'CURRENT'];
/** Places in a file, as fractions of its size: head, middle, tail. */
const PLACES = [0, 0.02, 0.5, 0.98, 1];

describe('corruption matrix: a typed error or exactly the acknowledged data', () => {
  // One store is built, then copied for each case (tempDir() dirs are removed after each test).
  const pristine = mkdtempSync(join(tmpdir(), 'perf-lsm-matrix-'));
  beforeAll(async () => {
    cpSync(await buildStore(), pristine, { recursive: true });
  });
  afterAll(() => rmSync(pristine, { recursive: true, force: true }));
  const copy = async () => {
    const d = tempDir();
    cpSync(pristine, d, { recursive: true });
    return d;
  };

  it('the fixture has every file kind, and reads back whole', async () => {
    const dir = await copy();
    for (const k of KINDS) expect(statSync(target(dir, k)).size).toBeGreaterThan(0);
    expect(sameSet(await readBack(dir), allowed('table')[0]!)).toBe(true);
  });

  for (const kind of KINDS) {
    for (const op of ['flip', 'truncate'] as const) {
      it(`${op} ${kind} at head, middle and tail`, async () => {
        const outcomes: string[] = [];
        for (const place of PLACES) {
          const dir = await copy();
          const file = target(dir, kind);
          const size = statSync(file).size;
          const at = Math.min(size - 1, Math.floor(size * place));
          if (op === 'flip') {
            const b = readFileSync(file);
            b[at]! ^= 0x41;
            writeFileSync(file, b);
          } else truncateSync(file, at);
          try {
            const got = await readBack(dir);
            const ok = allowed(kind).some((a) => sameSet(a, got));
            expect(ok, `${op} ${kind} at ${at}/${size}: ${got.size} keys`).toBe(true);
            outcomes.push(`${at}: ${got.size} keys`);
          } catch (err) {
            if (!LsmError.is(err)) throw err;
            expect(err.code).toBe('PERF_LSM_CORRUPTION');
            expect(err).toMatchObject({ file: expect.any(String), offset: expect.any(Number) });
            outcomes.push(`${at}: ${err.code}`);
          }
        }
        expect(outcomes).toHaveLength(PLACES.length);
      });
    }
  }
});
