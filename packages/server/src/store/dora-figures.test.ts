/** The pure parts of the DORA sums: values read back from their text, and periods merged into a range. */
import { describe, expect, it } from 'vitest';
import { combine, type DoraNumbers } from '../domain/dora/metrics.js';
import { p50Sorted, p90Sorted } from '../domain/dora/stats.js';
import { sortedValues } from './dora-figures.js';

describe('sortedValues', () => {
  it('reads integers, negative ones, fractions and exponents, sorted', () => {
    expect([...sortedValues('30,-2,10,1.5,1e3,0,7')]).toEqual([-2, 0, 1.5, 7, 10, 30, 1000]);
    expect([...sortedValues('86400000')]).toEqual([86_400_000]);
    expect(sortedValues(null)).toHaveLength(0);
    expect(sortedValues('')).toHaveLength(0);
  });
});

describe('combine', () => {
  it('merges the periods into the range: counts summed, values in one sorted list, the same medians as all values sorted', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = (n: number) =>
      sortedValues(Array.from({ length: n }, () => Math.floor(random() * 1e6)).join(','));
    const parts: DoraNumbers[] = [0, 5, 1, 13, 2].map((n, i) => ({
      count: n * 2,
      failed: n,
      restored: i,
      rework: 1,
      lead: values(n),
      promotion: values(n * 3),
      restore: values(i),
    }));
    const all = combine(parts);
    expect([all.count, all.failed, all.restored, all.rework]).toEqual([42, 21, 10, 5]);
    for (const key of ['lead', 'promotion', 'restore'] as const) {
      const expected = parts.flatMap((p) => [...p[key]]).sort((a, b) => a - b);
      expect([...all[key]]).toEqual(expected);
      expect(p50Sorted(all[key])).toBe(p50Sorted(expected));
      expect(p90Sorted(all[key])).toBe(p90Sorted(expected));
    }
    expect(combine([]).lead).toHaveLength(0);
  });
});
