/**
 * The two-sample Wilcoxon-Mann-Whitney test as R's `wilcox.test(x, y, exact = FALSE,
 * correct = TRUE, conf.int = TRUE)` computes it: the normal approximation with the tie
 * correction of the variance and the continuity correction, and the confidence interval for
 * the location shift (x minus y) found by inverting the same statistic. The point estimate is
 * the Hodges-Lehmann estimator: the median of all pairwise differences x_i - y_j.
 *
 * The normal distribution comes from stdlib (a well-kept numerical library); the rest is not
 * offered by any maintained JavaScript package with ties, continuity and the interval together.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { rankWithTies } from './ranks.js';

export interface MannWhitneyResult {
  /** R's W: the rank sum of x less nx(nx+1)/2 (the number of pairs with x above y, ties half). */
  statistic: number;
  /** Two-sided. 1 when every value is tied (no evidence of any shift). */
  pValue: number;
  /** Hodges-Lehmann shift of x relative to y. */
  estimate: number;
  confLow: number;
  confHigh: number;
  /** The common-language effect size: P(x > y) + P(x = y) / 2, i.e. W / (nx * ny). */
  effectSize: number;
}

const phi = (z: number) => normalCdf(z, 0, 1);

/** (W - nx ny / 2 - correction) / sigma for x shifted by -d; null when every value is tied. */
function standardised(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  d: number,
  correct: boolean,
): number | null {
  const nx = x.length;
  const ny = y.length;
  const all = new Float64Array(nx + ny);
  for (let i = 0; i < nx; i++) all[i] = x[i] - d;
  for (let j = 0; j < ny; j++) all[nx + j] = y[j];
  const { ranks, tieTerm } = rankWithTies(all);
  let rankSum = 0;
  for (let i = 0; i < nx; i++) rankSum += ranks[i];
  const dz = rankSum - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const n = nx + ny;
  const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return null;
  return (dz - (correct ? Math.sign(dz) * 0.5 : 0)) / sigma;
}

/**
 * The shift d where the standardised statistic crosses zq (it falls as d grows), by bisection
 * inside [lo, hi] down to a width far below R's uniroot tolerance (1e-4), so the two agree to it.
 */
function invert(x: ArrayLike<number>, y: ArrayLike<number>, zq: number, lo: number, hi: number): number {
  const f = (d: number) => (standardised(x, y, d, true) ?? 0) - zq;
  if (f(lo) <= 0) return lo;
  if (f(hi) >= 0) return hi;
  let a = lo;
  let b = hi;
  const width = Math.max(Math.abs(lo), Math.abs(hi), 1) * 1e-12;
  for (let i = 0; i < 200 && b - a > width; i++) {
    const mid = (a + b) / 2;
    if (f(mid) > 0) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

function median(sorted: Float64Array): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** x and y must each hold at least one finite value (the caller drops missing points). */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>, confLevel = 0.98): MannWhitneyResult {
  const nx = x.length;
  const ny = y.length;
  const diffs = new Float64Array(nx * ny);
  let k = 0;
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) diffs[k++] = x[i] - y[j];
  diffs.sort();
  const estimate = median(diffs);

  const all = new Float64Array(nx + ny);
  for (let i = 0; i < nx; i++) all[i] = x[i];
  for (let j = 0; j < ny; j++) all[nx + j] = y[j];
  const { ranks } = rankWithTies(all);
  let rankSum = 0;
  for (let i = 0; i < nx; i++) rankSum += ranks[i];
  const statistic = rankSum - (nx * (nx + 1)) / 2;
  const effectSize = statistic / (nx * ny);

  const z = standardised(x, y, 0, true);
  if (z === null)
    return { statistic, pValue: 1, estimate, confLow: estimate, confHigh: estimate, effectSize };
  const pValue = Math.min(1, 2 * phi(-Math.abs(z)));
  const alpha = 1 - confLevel;
  const lo = diffs[0];
  const hi = diffs[diffs.length - 1];
  const confLow = invert(x, y, normalQuantile(1 - alpha / 2, 0, 1), lo, hi);
  const confHigh = invert(x, y, normalQuantile(alpha / 2, 0, 1), lo, hi);
  return { statistic, pValue, estimate, confLow, confHigh, effectSize };
}
