import { describe, expect, it } from 'vitest';
import {
  privatePackages,
  privateProblems,
  skeletonProblems,
} from '../../scripts/check-skeleton.mjs';
import { packages } from '../../scripts/lib.mjs';

describe('package skeleton (STYLE.md)', () => {
  for (const pkg of packages()) {
    it(`${pkg.name} has the skeleton`, () => {
      expect(skeletonProblems(pkg)).toEqual([]);
    });
  }
  for (const pkg of privatePackages()) {
    it(`${pkg.name} (private) has the skeleton`, () => {
      expect(privateProblems(pkg)).toEqual([]);
    });
  }
});
