import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimd } from '../src/index.js';
import { element, pair, RUNS } from './support/arbitraries.js';
import { CTOR, ELEMENTWISE, KINDS, sameValues } from './support/oracle.js';

const wasm = createSimd({ backend: 'wasm' });
const scalar = createSimd({ backend: 'scalar' });

// The contract suite checks each backend against the oracle; this checks the two backends
// against each other directly, bit for bit (Object.is), on the exact operations.
describe('wasm results are identical to the scalar backend', () => {
  for (const kind of KINDS) {
    it(`${kind}: add/sub/mul/minimum/maximum/scale/min/max/argmin/argmax`, () => {
      fc.assert(
        fc.property(pair(element(kind)), element(kind), ([x, y], k) => {
          const a = wasm.alloc(CTOR[kind], x.length);
          const b = wasm.alloc(CTOR[kind], y.length);
          a.set(x);
          b.set(y);
          const fa = CTOR[kind].from(x);
          const fb = CTOR[kind].from(y);
          try {
            for (const op of ELEMENTWISE) {
              expect(sameValues(wasm[op](a, b), scalar[op](fa, fb))).toBe(true);
            }
            expect(sameValues(wasm.scale(a, k), scalar.scale(fa, k))).toBe(true);
            for (const op of ['min', 'max', 'argmin', 'argmax'] as const) {
              expect(wasm[op](a)).toBe(scalar[op](fa));
            }
            if (kind === 'i32') {
              expect(wasm.sum(a)).toBe(scalar.sum(fa));
              expect(wasm.dot(a, b)).toBe(scalar.dot(fa, fb));
            }
          } finally {
            wasm.free(a);
            wasm.free(b);
          }
        }),
        { numRuns: RUNS * 2 },
      );
    });
  }
});
