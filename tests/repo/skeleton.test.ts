import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  missingFileRefs,
  privatePackages,
  privateProblems,
  skeletonProblems,
  TRACKER_REFS,
  trackerRefs,
} from '../../scripts/check-skeleton.mjs';
import { packages, root } from '../../scripts/lib.mjs';

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

describe('the skeleton check itself', () => {
  const dir = join(root, 'packages', 'monitor');
  const file = join(dir, 'src', 'bench.ts');

  it('flags repo files that do not exist, and only those', () => {
    const text = [
      '// see PEERS.md and pool/src/no-such-file.ts',
      '// see src/bench.ts, ./report.js (its .ts source), bench/index.ts, packages/pool/src/index.ts',
      "// LevelDB's db/log_format.md is another project's; dist/index.cjs is built output",
      '// https://example.org/src/x.ts is a URL',
    ].join('\n');
    expect(missingFileRefs(dir, file, text).sort()).toEqual([
      'PEERS.md',
      'pool/src/no-such-file.ts',
    ]);
  });

  it('no package speaks to the tracker (issue numbers, "the issue", "the source design")', () => {
    for (const pkg of packages()) expect(trackerRefs(pkg), pkg.name).toEqual([]);
  });

  it('recognises tracker references', () => {
    const hit = (s: string) => TRACKER_REFS.some((re: RegExp) => re.test(s));
    expect(hit('complete for issue #4')).toBe(true);
    expect(hit('the issue asks ≥ 1.8×')).toBe(true);
    expect(hit("the source design's bug")).toBe(true);
    expect(hit('measured against lru-cache 11.5.3 on the same run')).toBe(false);
    expect(hit('tissue')).toBe(false);
  });
});
