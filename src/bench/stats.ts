/**
 * How the benchmark makes one figure of several runs (src/bench/bench.ts).
 */

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The run of median time (of an even number, the faster of the middle two). */
export function medianRun<R extends { seconds: number }>(rs: R[]): R {
  return [...rs].sort((a, b) => a.seconds - b.seconds)[(rs.length - 1) >> 1];
}

/**
 * The ratio to a floor: each round's run against the floor measured minutes before it in the same
 * round, then the median of those. On a shared machine the load changes from minute to minute; a run
 * and its own round's floor see much the same machine, and the median drops the odd disturbed round
 * (the best run of each, compared, would pit one lucky moment against another).
 */
export function pairedRatio(runs: number[], floorRuns: number[]): number {
  return median(runs.map((s, i) => s / floorRuns[Math.min(i, floorRuns.length - 1)]));
}
