import { describe, expect, it } from 'vitest';
import { hash64 } from '../src/index.js';
import { placement } from './support/placement.js';

// Placement is part of the public contract: processes (and versions) that must agree on where a
// key lives compute the same hash64. These values were recorded from the two-lane MurmurHash3
// before it moved to the shared implementation; a change to any of them moves keys in production.

const hex = (x: number) => `0x${x.toString(16).padStart(8, '0')}`;

/** [key, seed, high half (lane B), low half (lane A = MurmurHash3_x86_32)]. */
const strings: [string, number, number, number][] = [
  ['', 0, 0x92ca2f0e, 0x00000000],
  ['', 7, 0x582531c1, 0x18c9aec4],
  ['', 2538058380, 0xb8b34e99, 0xebb6c228],
  ['', -1, 0x3b66b2aa, 0x81f16f39],
  ['a', 0, 0x6c28bcc4, 0x3c2569b2],
  ['a', 7, 0x8cbe364f, 0xeddd7e27],
  ['a', 2538058380, 0x653f5399, 0x7fa09ea6],
  ['a', -1, 0x17f9f9dd, 0x2a684527],
  ['ab', 0, 0x49d40078, 0x9bbfd75f],
  ['ab', 7, 0x55703811, 0xfe2a26ff],
  ['ab', 2538058380, 0x7b973951, 0x74875592],
  ['ab', -1, 0x329e433a, 0xaf7dbde5],
  ['abc', 0, 0x7c3138bc, 0xb3dd93fa],
  ['abc', 7, 0x60debaf6, 0x381356a9],
  ['abc', 2538058380, 0x19659751, 0xc84a62dd],
  ['abc', -1, 0x8fec72f9, 0xfc80c2af],
  ['abcd', 0, 0x9ecf876c, 0x43ed676a],
  ['abcd', 7, 0x7aceded7, 0x54fcecbb],
  ['abcd', 2538058380, 0xe2a7f317, 0xf0478627],
  ['abcd', -1, 0xf817db6d, 0x2b7dc558],
  ['abcde', 0, 0x2edcd4cb, 0xe89b9af6],
  ['abcde', 7, 0xf0ed73fc, 0xb5138433],
  ['abcde', 2538058380, 0xbe3b8313, 0xe915b832],
  ['abcde', -1, 0xa71e81f0, 0x894c6b74],
  ['user:42:profile', 0, 0xf332adb4, 0xee8667fe],
  ['user:42:profile', 7, 0x472e938a, 0x72ea670b],
  ['user:42:profile', 2538058380, 0x942044a4, 0xff38d305],
  ['user:42:profile', -1, 0x94fafd7a, 0x941d9663],
  ['10.0.0.1:8080#159', 0, 0x3d686063, 0x40e299c4],
  ['10.0.0.1:8080#159', 7, 0xf609e712, 0x3ed955ac],
  ['10.0.0.1:8080#159', 2538058380, 0xf7e53d4c, 0x5d7825d5],
  ['10.0.0.1:8080#159', -1, 0xf7fc7ad2, 0x6b4b80d3],
  ['ключ', 0, 0x11901530, 0x9a592042],
  ['ключ', 7, 0x8f53a179, 0x221ef59e],
  ['ключ', 2538058380, 0xa84c681b, 0x072f4b90],
  ['ключ', -1, 0xe69843af, 0xbd8324e6],
  ['π😀', 0, 0x95cf99fe, 0xb7cd9d53],
  ['π😀', 7, 0xd902eb9f, 0x68bfa1fb],
  ['π😀', 2538058380, 0x174923e1, 0xe956148f],
  ['π😀', -1, 0xa1c70ac0, 0x9e96ff6a],
  ['\ud800x', 0, 0x923ae167, 0x431ac0a1],
  ['\ud800x', 7, 0x3b0b93e2, 0xe66d4ee3],
  ['\ud800x', 2538058380, 0xf9cdf21f, 0xe2c3c202],
  ['\ud800x', -1, 0x7a25ca44, 0x721e3e01],
  ['The quick brown fox jumps over the lazy dog', 0, 0x8705a84e, 0x2e4ff723],
  ['The quick brown fox jumps over the lazy dog', 7, 0x48295605, 0xa797d561],
  ['The quick brown fox jumps over the lazy dog', 2538058380, 0xefc8b81f, 0x2fa826cd],
  ['The quick brown fox jumps over the lazy dog', -1, 0x8eddb4ea, 0x23347cbe],
];

/** [length of a prefix of BYTES, high half, low half], seed 3. */
const BYTES = Uint8Array.from({ length: 19 }, (_, i) => i * 37 + 1);
const bytes: [number, number, number][] = [
  [0, 0x96a0f96b, 0x85f0b427],
  [3, 0x45e36084, 0x11df8468],
  [6, 0x62511e49, 0x8f181028],
  [9, 0xc892020b, 0xbc711d66],
  [12, 0x77128226, 0x1843445d],
  [15, 0xa333eb82, 0x71ca5c03],
  [18, 0xe03c0c05, 0xe8a32636],
];

/** FNV-1a over the chosen ids (comma-separated), to pin 2,000 placements in one number. */
function fnv(ids: string[]): string {
  let h = 0x811c9dc5;
  for (const id of ids) {
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0x2c, 0x01000193) >>> 0;
  }
  return hex(h);
}

describe('hash64 and placements are pinned', () => {
  it.each(strings)('hash64(%j, %i)', (key, seed, high, low) => {
    const [h, l] = hash64(key, seed);
    expect([hex(h!), hex(l!)]).toEqual([hex(high), hex(low)]);
  });

  it.each(bytes)('hash64(bytes[0..%i], 3)', (n, high, low) => {
    const [h, l] = hash64(BYTES.subarray(0, n), 3);
    expect([hex(h!), hex(l!)]).toEqual([hex(high), hex(low)]);
  });

  it('every key-based strategy places 2,000 keys where it did', () => {
    const digests = Object.fromEntries(
      Object.entries(placement(false)).map(([name, ids]) => [name, fnv(ids)]),
    );
    expect(digests).toEqual({
      ring: '0xbaad5a7d',
      maglev: '0x0c1bf416',
      jump: '0x193fa7ae',
      rendezvous: '0xa8f59c30',
      bounded: '0x62ca16ad',
      hash64: '0xeed5fde6',
    });
  });
});
