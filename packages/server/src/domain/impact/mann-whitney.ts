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

/**
 * Rank sum of x shifted by -d among x and y, and the tie term, from both samples sorted
 * ascending: one merge, no sort, since the interval is found by evaluating this many times.
 */
function rankSumShifted(xs: Float64Array, ys: Float64Array, d: number): { rankSum: number; tieTerm: number } {
  const nx = xs.length;
  const ny = ys.length;
  let i = 0;
  let j = 0;
  let position = 0;
  let rankSum = 0;
  let tieTerm = 0;
  // The next value of each side, Infinity past its end (the counts below stop at the ends).
  let x = nx > 0 ? xs[0]! - d : Infinity;
  let y = ny > 0 ? ys[0]! : Infinity;
  while (i < nx || j < ny) {
    const value = x < y ? x : y;
    let fromX = 0;
    let t = 0;
    while (i < nx && x === value) {
      i++;
      fromX++;
      x = i < nx ? xs[i]! - d : Infinity;
    }
    while (j < ny && y === value) {
      j++;
      t++;
      y = j < ny ? ys[j]! : Infinity;
    }
    t += fromX;
    rankSum += fromX * (position + (t + 1) / 2);
    tieTerm += t * t * t - t;
    position += t;
  }
  return { rankSum, tieTerm };
}

/** (W - nx ny / 2 - correction) / sigma for x shifted by -d; null when every value is tied. */
function standardised(xs: Float64Array, ys: Float64Array, d: number, correct: boolean): number | null {
  const nx = xs.length;
  const ny = ys.length;
  const { rankSum, tieTerm } = rankSumShifted(xs, ys, d);
  const dz = rankSum - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const n = nx + ny;
  const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return null;
  return (dz - (correct ? Math.sign(dz) * 0.5 : 0)) / sigma;
}

/** -1, 0 or 1 as xs[i] shifted by -d falls below, on or above ys[j], computed as the merge computes it. */
const side = (xs: Float64Array, ys: Float64Array, i: number, j: number, d: number) => {
  const x = xs[i]! - d;
  return x < ys[j]! ? -1 : x > ys[j]! ? 1 : 0;
};

/**
 * Whether no two x values can become equal or stop being equal once shifted by any d in
 * [lo, hi]: true when every gap between distinct x values exceeds the rounding of the shifted
 * values. Then the merge's result depends on d only through its x-y comparisons.
 */
function xTiesFixed(xs: Float64Array, lo: number, hi: number): boolean {
  const first = xs[0]!;
  const last = xs[xs.length - 1]!;
  const largest = Math.max(
    Math.abs(first - lo),
    Math.abs(first - hi),
    Math.abs(last - lo),
    Math.abs(last - hi),
  );
  const rounding = 4 * Math.max(largest * Number.EPSILON, Number.MIN_VALUE);
  if (!Number.isFinite(rounding)) return false;
  for (let i = 1; i < xs.length; i++) {
    const gap = xs[i]! - xs[i - 1]!;
    if (gap !== 0 && !(gap > rounding)) return false;
  }
  return true;
}

/**
 * The x-y pairs whose comparison differs between shifts a < b: how many, and one of them. Row i's
 * are the y values between xs[i] - b and xs[i] - a; both bounds rise with i, so one pass counts all.
 */
function pairsBetween(
  xs: Float64Array,
  ys: Float64Array,
  a: number,
  b: number,
): { count: number; i: number; j: number } {
  let count = 0;
  let found = { i: -1, j: -1 };
  let from = 0;
  let to = 0;
  for (let i = 0; i < xs.length; i++) {
    const high = xs[i]! - a;
    const low = xs[i]! - b;
    while (from < ys.length && ys[from]! < low) from++;
    if (to < from) to = from;
    while (to < ys.length && ys[to]! <= high) to++;
    if (high === low || to === from) continue;
    if (count === 0) found = { i, j: from };
    count += to - from;
  }
  return { count, ...found };
}

/**
 * The shift where the standardised statistic crosses zq (it falls as d grows), by bisection
 * within [lo, hi] down to a width far below R's uniroot tolerance (1e-4), so the two agree to it.
 * A step is one merge of the sorted samples, until the bracket's ends differ in one x-y comparison
 * only: from then on that comparison alone says which end a midpoint matches, and the bisection
 * goes on without merging (same steps, same answer, a third of the work).
 */
function invert(xs: Float64Array, ys: Float64Array, zq: number, lo: number, hi: number): number {
  const f = (d: number) => (standardised(xs, ys, d, true) ?? 0) - zq;
  if (f(lo) <= 0) return lo;
  if (f(hi) >= 0) return hi;
  let a = lo;
  let b = hi;
  const width = Math.max(Math.abs(lo), Math.abs(hi), 1e-300) * 1e-12;
  const checkable = xTiesFixed(xs, lo, hi);
  let nextCheck = Math.max(0, Math.floor(Math.log2(xs.length * ys.length)) - 3);
  // The one pair whose comparison separates a from b, and its comparison at each end.
  let pair: { i: number; j: number; atA: number; atB: number } | null = null;
  for (let step = 0; step < 200 && b - a > width; step++) {
    const mid = (a + b) / 2;
    if (pair) {
      const c = side(xs, ys, pair.i, pair.j, mid);
      const above = c === pair.atA ? true : c === pair.atB ? false : f(mid) > 0;
      if (above) {
        a = mid;
        pair.atA = c;
      } else {
        b = mid;
        pair.atB = c;
      }
      continue;
    }
    if (f(mid) > 0) a = mid;
    else b = mid;
    if (checkable && step >= nextCheck) {
      const between = pairsBetween(xs, ys, a, b);
      if (between.count === 1) {
        const { i, j } = between;
        pair = { i, j, atA: side(xs, ys, i, j, a), atB: side(xs, ys, i, j, b) };
      } else nextCheck = step + Math.max(1, Math.floor(Math.log2(between.count)) - 1);
    }
  }
  return (a + b) / 2;
}

/** The k-th smallest (0-based) of `values[0..length)`, reordering them (Hoare's selection, expected linear). */
function select(values: Float64Array, length: number, k: number): number {
  let left = 0;
  let right = length - 1;
  while (right > left) {
    const pivot = values[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}

/**
 * The k-th smallest (0-based) of the nx * ny differences xs[i] - ys[j] of two ascending samples,
 * without writing them all out: in row i the differences rise as j falls, so the ones below a
 * value form a staircase counted in one pass. Each pass keeps, per row, the columns still in
 * play around a pivot drawn from them; when few are left they are selected directly. The answer
 * is the very difference xs[i] - ys[j] a full sort would put at k.
 */
function kthDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  const nx = xs.length;
  const ny = ys.length;
  // Row i's candidates are columns c in [lo[i], hi[i]), column c meaning ys[ny - 1 - c]: ascending.
  const lo = new Int32Array(nx);
  const hi = new Int32Array(nx).fill(ny);
  const below = new Int32Array(nx);
  const atMost = new Int32Array(nx);
  let rank = k;
  let seed = 0x9e3779b9;
  for (;;) {
    let left = 0;
    for (let i = 0; i < nx; i++) left += hi[i]! - lo[i]!;
    if (left <= 2 * (nx + ny)) {
      const rest = new Float64Array(left);
      let n = 0;
      for (let i = 0; i < nx; i++) for (let c = lo[i]!; c < hi[i]!; c++) rest[n++] = xs[i]! - ys[ny - 1 - c]!;
      return select(rest, n, rank);
    }
    // A pivot drawn uniformly from the candidates (a fixed xorshift sequence: the same work every call).
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    let pick = (seed >>> 0) % left;
    let row = 0;
    for (; pick >= hi[row]! - lo[row]!; row++) pick -= hi[row]! - lo[row]!;
    const pivot = xs[row]! - ys[ny - 1 - (lo[row]! + pick)]!;
    // Per row, how many differences are below the pivot and how many at most it (both fall as i rises).
    let less = 0;
    let lessOrEqual = 0;
    let cLess = ny;
    let cAtMost = ny;
    for (let i = 0; i < nx; i++) {
      while (cLess > 0 && xs[i]! - ys[ny - cLess]! >= pivot) cLess--;
      while (cAtMost > 0 && xs[i]! - ys[ny - cAtMost]! > pivot) cAtMost--;
      below[i] = cLess;
      atMost[i] = cAtMost;
      less += cLess;
      lessOrEqual += cAtMost;
    }
    if (k < less) for (let i = 0; i < nx; i++) hi[i] = Math.min(hi[i]!, below[i]!);
    else if (k >= lessOrEqual) for (let i = 0; i < nx; i++) lo[i] = Math.max(lo[i]!, atMost[i]!);
    else return pivot;
    rank = k;
    for (let i = 0; i < nx; i++) rank -= lo[i]!;
  }
}

/** The median of all pairwise differences xs[i] - ys[j] (the Hodges-Lehmann estimate). */
function medianOfDifferences(xs: Float64Array, ys: Float64Array): number {
  const n = xs.length * ys.length;
  const m = n >> 1;
  const upper = kthDifference(xs, ys, m);
  if (n % 2 === 1) return upper;
  // The lower middle is `upper` again unless exactly m differences lie below it: then their largest.
  const ny = ys.length;
  let below = 0;
  let largest = Number.NEGATIVE_INFINITY;
  for (let i = 0, c = ny; i < xs.length; i++) {
    while (c > 0 && xs[i]! - ys[ny - c]! >= upper) c--;
    below += c;
    if (c > 0) largest = Math.max(largest, xs[i]! - ys[ny - c]!);
  }
  return ((below === m ? largest : upper) + upper) / 2;
}

/** x and y must each hold at least one finite value (the caller drops missing points). */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>, confLevel = 0.98): MannWhitneyResult {
  const xs = Float64Array.from(x).sort();
  const ys = Float64Array.from(y).sort();
  const nx = xs.length;
  const ny = ys.length;
  const estimate = medianOfDifferences(xs, ys);

  const statistic = rankSumShifted(xs, ys, 0).rankSum - (nx * (nx + 1)) / 2;
  const effectSize = statistic / (nx * ny);
  const z = standardised(xs, ys, 0, true);
  if (z === null)
    return { statistic, pValue: 1, estimate, confLow: estimate, confHigh: estimate, effectSize };
  const pValue = Math.min(1, 2 * phi(-Math.abs(z)));
  const alpha = 1 - confLevel;
  // The interval lies within the range of the pairwise differences.
  const lo = xs[0]! - ys[ny - 1]!;
  const hi = xs[nx - 1]! - ys[0]!;
  const confLow = invert(xs, ys, normalQuantile(1 - alpha / 2, 0, 1), lo, hi);
  const confHigh = invert(xs, ys, normalQuantile(alpha / 2, 0, 1), lo, hi);
  return { statistic, pValue, estimate, confLow, confHigh, effectSize };
}
