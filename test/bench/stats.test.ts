/**
 * How the benchmark makes one figure of several runs (src/bench/stats.ts): a ratio pairs each run with
 * its own round's floor, and the median drops a disturbed round. No timing here.
 */
import { describe, expect, it } from '@jest/globals';
import { median, medianRun, pairedRatio } from '../../src/bench/stats.js';

describe('bench statistics', () => {
  it('takes the median of an odd and of an even number of values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('picks the run of median time, the faster of the middle two when even', () => {
    const runs = [
      { seconds: 3, id: 'a' },
      { seconds: 1, id: 'b' },
      { seconds: 2, id: 'c' },
      { seconds: 9, id: 'd' },
    ];
    expect(medianRun(runs).id).toBe('c');
    expect(medianRun(runs.slice(0, 3)).id).toBe('c');
  });

  it('pairs each run with the floor of its own round, so one lucky floor does not decide', () => {
    // Round 2's floor ran in a quiet moment: best against best would say 2.78.
    const sync = [2.6, 2.7, 2.5];
    const floor = [1.2, 0.9, 1.1];
    expect(Math.min(...sync) / Math.min(...floor)).toBeCloseTo(2.78);
    expect(pairedRatio(sync, floor)).toBeCloseTo(2.5 / 1.1); // ratios 2.17, 3.0, 2.27: the median
    // A floor measured once stands for every round.
    expect(pairedRatio([2, 4, 3], [1])).toBe(3);
  });
});
