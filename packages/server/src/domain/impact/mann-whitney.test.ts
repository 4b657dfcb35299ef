/**
 * Fixtures from independent implementations, never from this module:
 * - statistic, pValue, confLow, confHigh: R 4.2.2 (Debian's r-base-core),
 *   `wilcox.test(x, y, exact = FALSE, correct = TRUE, conf.int = TRUE, conf.level = 0.98)`,
 *   printed with sprintf("%.10g"). The p-values also agree with SciPy 1.17's
 *   `mannwhitneyu(x, y, use_continuity=True, method='asymptotic')` to all printed digits.
 *   R finds the interval with uniroot(tol = 1e-4), so bounds are compared to 2e-4.
 * - estimate (Hodges-Lehmann): NumPy's `np.median(np.subtract.outer(x, y))`. R's normal-
 *   approximation "estimate" is instead a root of the uncorrected statistic, which with tied
 *   data may land anywhere on a flat stretch (small_shift_n120: R 1.999, the median 1.5).
 * - holm: R's `p.adjust(c(0.01, 0.04, 0.003, 0.2, 0.0001), "holm")`.
 * The samples: R's own ?wilcox.test example, a hand-written tied integer pair, and Python
 * `random.seed(7)` Gaussian draws rounded to 1 or 0 decimals (to plant ties), written out here.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { describe, expect, it } from 'vitest';
import { holm } from './holm.js';
import { mannWhitney } from './mann-whitney.js';

const samples: Record<string, { x: number[]; y: number[] }> = {
  r_help_example: {
    x: [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3],
    y: [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29],
  },
  integer_ties: { x: [3, 4, 4, 5, 5, 5, 6, 7, 7, 8, 9, 9], y: [1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 6] },
  noise_n40_n35: {
    x: [
      98.7, 102.6, 98.9, 98.4, 95.3, 98.9, 105.6, 102.1, 105.2, 101.2, 102.0, 100.9, 91.7, 104.3, 102.5,
      102.5, 91.5, 91.3, 95.6, 97.7, 101.5, 99.8, 102.6, 96.8, 101.5, 102.0, 96.7, 108.6, 102.8, 106.0, 96.9,
      96.3, 98.3, 99.5, 103.2, 101.2, 97.8, 95.2, 97.4, 106.1,
    ],
    y: [
      96.0, 101.2, 102.1, 92.6, 100.2, 106.5, 89.9, 98.4, 99.5, 95.9, 102.5, 99.7, 92.7, 104.1, 103.3, 104.7,
      107.2, 101.8, 100.6, 93.5, 103.1, 96.9, 97.7, 93.7, 95.2, 97.3, 106.4, 89.8, 92.7, 101.2, 107.2, 102.9,
      90.5, 87.4, 101.8,
    ],
  },
  shift_n60: {
    x: [
      125.6, 123.3, 135.9, 136.6, 130.9, 131.5, 132.6, 139.6, 133.7, 133.1, 133.3, 120.6, 137.7, 135.7, 133.2,
      118.2, 126.2, 135.1, 119.1, 128.9, 136.1, 122.1, 139.7, 133.3, 129.1, 131.9, 133.9, 130.7, 136.9, 126.0,
      127.5, 136.3, 130.2, 124.7, 135.7, 138.8, 127.3, 121.7, 129.2, 129.1, 128.2, 138.4, 123.8, 137.6, 122.4,
      125.3, 133.8, 136.8, 135.2, 132.1, 130.9, 130.9, 133.5, 128.9, 131.7, 133.4, 130.0, 134.6, 133.4, 142.1,
    ],
    y: [
      101.9, 97.4, 97.8, 99.9, 105.5, 98.0, 102.3, 111.0, 84.6, 93.3, 101.5, 102.4, 101.4, 97.4, 103.9, 101.7,
      96.9, 114.6, 102.1, 96.7, 99.4, 98.6, 99.6, 83.6, 97.1, 106.1, 93.0, 99.6, 105.7, 105.1, 108.9, 89.8,
      97.9, 98.0, 103.7, 106.6, 83.9, 106.5, 91.3, 104.1, 91.0, 101.1, 107.2, 99.1, 101.1, 104.8, 100.8, 99.5,
      109.2, 106.3, 98.2, 116.5, 93.1, 105.5, 98.4, 100.8, 104.2, 101.3, 103.8, 90.8,
    ],
  },
  small_shift_n120: {
    x: [
      94.0, 105.0, 97.0, 97.0, 95.0, 108.0, 106.0, 109.0, 97.0, 102.0, 96.0, 106.0, 110.0, 98.0, 110.0, 107.0,
      101.0, 92.0, 109.0, 102.0, 99.0, 104.0, 104.0, 109.0, 97.0, 108.0, 109.0, 109.0, 101.0, 98.0, 107.0,
      103.0, 103.0, 109.0, 101.0, 91.0, 100.0, 93.0, 106.0, 104.0, 99.0, 102.0, 106.0, 102.0, 109.0, 102.0,
      107.0, 109.0, 110.0, 99.0, 106.0, 93.0, 97.0, 92.0, 107.0, 96.0, 102.0, 101.0, 102.0, 99.0, 103.0,
      111.0, 102.0, 105.0, 107.0, 101.0, 96.0, 99.0, 107.0, 94.0, 99.0, 107.0, 106.0, 102.0, 106.0, 103.0,
      96.0, 94.0, 99.0, 107.0, 99.0, 97.0, 98.0, 94.0, 101.0, 96.0, 104.0, 90.0, 104.0, 99.0, 92.0, 106.0,
      101.0, 91.0, 98.0, 103.0, 100.0, 106.0, 106.0, 105.0, 104.0, 109.0, 105.0, 104.0, 92.0, 106.0, 109.0,
      101.0, 100.0, 112.0, 93.0, 104.0, 114.0, 97.0, 105.0, 111.0, 101.0, 105.0, 107.0, 97.0,
    ],
    y: [
      100.0, 101.0, 104.0, 100.0, 99.0, 95.0, 98.0, 104.0, 101.0, 96.0, 96.0, 113.0, 106.0, 103.0, 87.0,
      103.0, 102.0, 108.0, 102.0, 100.0, 103.0, 90.0, 105.0, 102.0, 96.0, 107.0, 109.0, 93.0, 97.0, 101.0,
      101.0, 98.0, 95.0, 111.0, 105.0, 94.0, 93.0, 109.0, 105.0, 109.0, 104.0, 96.0, 101.0, 89.0, 96.0, 100.0,
      103.0, 96.0, 99.0, 102.0, 102.0, 103.0, 101.0, 98.0, 104.0, 100.0, 96.0, 97.0, 100.0, 99.0, 101.0,
      100.0, 101.0, 99.0, 94.0, 102.0, 105.0, 102.0, 99.0, 102.0, 95.0, 91.0, 100.0, 95.0, 104.0, 95.0, 87.0,
      95.0, 108.0, 98.0, 93.0, 96.0, 103.0, 102.0, 101.0, 107.0, 104.0, 100.0, 103.0, 108.0, 105.0, 105.0,
      95.0, 99.0, 104.0, 99.0, 105.0, 103.0, 105.0, 99.0, 113.0, 106.0, 99.0, 100.0, 113.0, 98.0, 104.0,
      105.0, 100.0, 94.0, 101.0, 102.0, 106.0, 104.0, 100.0, 104.0, 103.0, 101.0, 100.0, 99.0,
    ],
  },
};

// [W, p, confLow, confHigh] from R; HL from NumPy.
const expected: Record<string, { w: number; p: number; low: number; high: number; hl: number }> = {
  r_help_example: { w: 58, p: 0.1329194582, low: -0.5599516953, high: 1.232960408, hl: 0.56 },
  integer_ties: { w: 107.5, p: 0.01079306013, low: 2.481885476e-5, high: 4.999953196, hl: 2 },
  noise_n40_n35: { w: 771, p: 0.4539502104, low: -1.700028886, high: 3.900044753, hl: 0.9 },
  shift_n60: { w: 3600, p: 3.548226884e-21, low: 28.39998056, high: 33.4999426, hl: 31 },
  small_shift_n120: { w: 8321.5, p: 0.03677668315, low: -3.146094389e-5, high: 3.000052103, hl: 1.5 },
};

describe('mannWhitney against R wilcox.test', () => {
  for (const [name, { x, y }] of Object.entries(samples)) {
    it(name, () => {
      const want = expected[name] as (typeof expected)[string] & object;
      const got = mannWhitney(x, y, 0.98);
      expect(got.statistic).toBe(want.w);
      expect(Math.abs(got.pValue - want.p) / want.p).toBeLessThan(1e-8);
      expect(Math.abs(got.confLow - want.low)).toBeLessThan(2e-4);
      expect(Math.abs(got.confHigh - want.high)).toBeLessThan(2e-4);
      expect(got.estimate).toBeCloseTo(want.hl, 9);
      expect(got.effectSize).toBeCloseTo(want.w / (x.length * y.length), 12);
    });
  }

  it('the estimate is the median of every pairwise difference written out and sorted', () => {
    // Seeded integers and tenths: ties within and across the samples, odd and even pair counts.
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    // [nx, ny, values per unit, spread]
    const cases = [
      [1, 1, 1, 8],
      [3, 7, 1, 8],
      [144, 143, 10, 8],
      [150, 144, 1, 8],
      [60, 200, 100, 8],
    ];
    for (let i = 0; i < 200; i++)
      cases.push([2 + Math.floor(next() * 40), 2 + Math.floor(next() * 40), 1, 1 + Math.floor(next() * 30)]);
    for (const [nx, ny, scale, spread] of cases as [number, number, number, number][]) {
      const draw = (n: number, shift: number) =>
        Array.from({ length: n }, () => Math.round((100 + shift + spread * next()) * scale) / scale);
      const x = draw(nx, 3);
      const y = draw(ny, 0);
      const diffs = x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b);
      const m = diffs.length >> 1;
      const median = diffs.length % 2 ? diffs[m] : ((diffs[m - 1] as number) + (diffs[m] as number)) / 2;
      expect(mannWhitney(x, y).estimate).toBe(median);
    }
  });

  it('the interval is exactly where plain bisection of the rank statistic lands', () => {
    // The statistic by brute force (midranks of the pooled, shifted sample), bisected step by
    // step: the module's shortcut must take the same steps to the same bits.
    const z = (x: number[], y: number[], d: number) => {
      const pooled = [...x.map((v) => ({ v: v - d, fromX: true })), ...y.map((v) => ({ v, fromX: false }))];
      pooled.sort((a, b) => a.v - b.v);
      let rankSum = 0;
      let tieTerm = 0;
      for (let i = 0; i < pooled.length; ) {
        let j = i;
        while (j < pooled.length && pooled[j]?.v === pooled[i]?.v) j++;
        for (let k = i; k < j; k++) if (pooled[k]?.fromX) rankSum += (i + 1 + j) / 2;
        tieTerm += (j - i) ** 3 - (j - i);
        i = j;
      }
      const [nx, ny, n] = [x.length, y.length, x.length + y.length];
      const dz = rankSum - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
      const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
      return sigma === 0 ? 0 : (dz - Math.sign(dz) * 0.5) / sigma;
    };
    const bisect = (x: number[], y: number[], zq: number) => {
      const f = (d: number) => z(x, y, d) - zq;
      const lo = Math.min(...x) - Math.max(...y);
      const hi = Math.max(...x) - Math.min(...y);
      if (f(lo) <= 0) return lo;
      if (f(hi) >= 0) return hi;
      let [a, b] = [lo, hi];
      const width = Math.max(Math.abs(lo), Math.abs(hi), 1e-300) * 1e-12;
      for (let i = 0; i < 200 && b - a > width; i++) {
        const mid = (a + b) / 2;
        if (f(mid) > 0) a = mid;
        else b = mid;
      }
      return (a + b) / 2;
    };
    const alpha = 1 - 0.98;
    let seed = 3;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const draws: [string, (shift: number) => number][] = [
      ['continuous', (shift) => 100 + shift + 10 * next()],
      ['tenths', (shift) => Math.round((100 + shift + 10 * next()) * 10) / 10],
      ['integers', (shift) => Math.round(100 + shift + 10 * next())],
      ['near the precision limit', (shift) => 1e15 + Math.round(shift + 40 * next())],
    ];
    for (const [, draw] of draws)
      for (const [nx, ny, shift] of [
        [144, 144, 2],
        [120, 100, 0],
        [30, 40, 5],
        [3, 31, 1],
        [10, 4, 0],
        [5, 10, 5],
        [2, 120, 0],
      ] as const) {
        const x = Array.from({ length: nx }, () => draw(shift));
        const y = Array.from({ length: ny }, () => draw(0));
        const got = mannWhitney(x, y, 0.98);
        expect(got.confLow).toBe(bisect(x, y, normalQuantile(1 - alpha / 2, 0, 1)));
        expect(got.confHigh).toBe(bisect(x, y, normalQuantile(alpha / 2, 0, 1)));
      }
  });

  it('all values tied: no evidence of a shift (R answers NaN)', () => {
    const got = mannWhitney([5, 5, 5, 5], [5, 5, 5]);
    expect(got.pValue).toBe(1);
    expect([got.estimate, got.confLow, got.confHigh]).toEqual([0, 0, 0]);
  });
});

describe('holm against R p.adjust', () => {
  it('adjusts in input order', () => {
    const got = holm([0.01, 0.04, 0.003, 0.2, 0.0001]);
    for (const [i, want] of [0.03, 0.08, 0.012, 0.2, 0.0005].entries()) expect(got[i]).toBeCloseTo(want, 12);
  });
});
