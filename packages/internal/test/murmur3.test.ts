import { describe, expect, it } from 'vitest';
import { fmix32, murmur3, murmur3Pair } from '../src/index.js';

// Outputs of the two implementations this one replaced (@perf/balance's hash32/hash64 and
// @perf/lsm's bloom-filter hash), recorded before the move: persisted bloom filters and key
// placements depend on every bit of them.
const INPUTS: (string | Uint8Array)[] = [
  '',
  'a',
  'abc',
  'abcd',
  'abcde',
  'Hello, world!',
  'héllo wörld',
  '日本語のキー',
  '\ud800x',
  'key:12345678',
  new Uint8Array([]),
  new Uint8Array([0, 0, 0, 0]),
  new Uint8Array([255, 1, 2]),
  Uint8Array.from({ length: 37 }, (_, i) => (i * 37) & 255),
];
/** seed → per input [hash32, hash64 high (lane B), hash64 low (lane A)]. */
const RECORDED: Record<string, [number, number, number][]> = {
  '0': [
    [0, 2462723854, 0],
    [1009084850, 1814609092, 1009084850],
    [3017643002, 2083600572, 3017643002],
    [1139631978, 2664400748, 1139631978],
    [3902511862, 786224331, 3902511862],
    [3224780355, 515507388, 3224780355],
    [2549609076, 2495765928, 2549609076],
    [909276598, 3809435125, 909276598],
    [1125826721, 2453332327, 1125826721],
    [3665972859, 3536311508, 3665972859],
    [0, 2462723854, 0],
    [593689054, 3026550934, 593689054],
    [334538188, 2967081638, 334538188],
    [1305602569, 2007971763, 1305602569],
  ],
  '1': [
    [1364076727, 920564995, 1364076727],
    [1485495528, 2718923138, 1485495528],
    [2859854335, 1658561359, 2859854335],
    [2616542610, 1606365813, 2616542610],
    [4289507611, 666551252, 4289507611],
    [2858272859, 3726158316, 2858272859],
    [2639536094, 68165480, 2639536094],
    [2666781949, 3615991631, 2666781949],
    [4015245617, 3896464525, 4015245617],
    [1783017938, 3348777727, 1783017938],
    [1364076727, 920564995, 1364076727],
    [2028806445, 1387876066, 2028806445],
    [2562348034, 2721279630, 2562348034],
    [111136581, 1559526462, 111136581],
  ],
  '2538058380': [
    [3954623016, 3098758809, 3954623016],
    [2141232806, 1698648985, 2141232806],
    [3360318173, 426088273, 3360318173],
    [4031219239, 3802657559, 4031219239],
    [3910514738, 3191571219, 3910514738],
    [612912314, 539493883, 612912314],
    [3158794739, 804760034, 3158794739],
    [2777358022, 2954180965, 2777358022],
    [3804480002, 4191023647, 3804480002],
    [141064071, 1996778892, 141064071],
    [3954623016, 3098758809, 3954623016],
    [2741404029, 1478711436, 2741404029],
    [2878868930, 668991367, 2878868930],
    [4068691784, 419863770, 4068691784],
  ],
  '3164544308': [
    [1058500998, 1514008810, 1058500998],
    [1840933717, 3262112602, 1840933717],
    [876945470, 452053840, 876945470],
    [1006206208, 4251750068, 1006206208],
    [3262900278, 1214650641, 3262900278],
    [27126559, 1815270316, 27126559],
    [547736228, 1335415070, 547736228],
    [2311946946, 1208806672, 2311946946],
    [2522221543, 1611228910, 2522221543],
    [2399125897, 3535003578, 2399125897],
    [1058500998, 1514008810, 1058500998],
    [155494180, 3164325287, 155494180],
    [1093047452, 2761812918, 1093047452],
    [3144117399, 3731171147, 3144117399],
  ],
};

describe('murmur3', () => {
  it('matches the reference MurmurHash3_x86_32 vectors (SMHasher)', () => {
    expect(murmur3('', 0)).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('', 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(murmur3('aaaa', 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3('abc', 0)).toBe(0xb3dd93fa);
    expect(murmur3('Hello, world!', 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3('The quick brown fox jumps over the lazy dog', 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('gives exactly the outputs @perf/balance and @perf/lsm recorded', () => {
    for (const [seed, rows] of Object.entries(RECORDED)) {
      INPUTS.forEach((key, i) => {
        const [h32, high, low] = rows[i]!;
        expect(murmur3(key, Number(seed))).toBe(h32);
        const pair = murmur3Pair(key, Number(seed));
        expect([pair[1], pair[0]]).toEqual([high, low]);
      });
    }
  });

  it('hashes a string as its UTF-8 bytes, lone surrogates as U+FFFD like TextEncoder', () => {
    const enc = new TextEncoder();
    for (const s of ['abc', 'ü', 'aaaaé', '日本', '\ud83d\ude00', 'x\udc00y', 'abcd\ud800']) {
      expect(murmur3(s, 7)).toBe(murmur3(enc.encode(s), 7));
    }
  });

  it('lane B is lane A with seed ^ 0x9e3779b9; the pair fills a caller buffer', () => {
    const out = new Uint32Array(2);
    expect(murmur3Pair('key', 5, out)).toBe(out);
    expect(out[0]).toBe(murmur3('key', 5));
    expect(out[1]).toBe(murmur3('key', (5 ^ 0x9e3779b9) >>> 0));
  });

  it('rejects a non-key with a TypeError', () => {
    expect(() => murmur3(12 as never)).toThrow(TypeError);
    expect(() => murmur3Pair(null as never)).toThrow(/got `null` \(null\)/);
  });

  it('fmix32 is a bijection on a sample (no collisions)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(fmix32(i));
    expect(seen.size).toBe(10_000);
  });
});
