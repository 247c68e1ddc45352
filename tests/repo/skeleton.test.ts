import { describe, expect, it } from 'vitest';
import { skeletonProblems } from '../../scripts/check-skeleton.mjs';
import { packages } from '../../scripts/lib.mjs';

describe('package skeleton (STYLE.md)', () => {
  for (const pkg of packages()) {
    it(`${pkg.name} has the skeleton`, () => {
      expect(skeletonProblems(pkg)).toEqual([]);
    });
  }
});
