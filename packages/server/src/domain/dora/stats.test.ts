import { describe, expect, it } from 'vitest';
import { failureRateBand, frequencyBand, leadTimeBand, restoreBand } from './bands.js';
import { median, p90, periods } from './stats.js';
import { formatWindow, parseWindow } from './window.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('DORA statistics', () => {
  it('takes the median (mean of the middle two) and the nearest-rank p90', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
    expect(p90([5, 1, 24, 2])).toBe(24);
  });

  it('cuts a range into calendar periods (UTC days, Monday weeks, months), clipped to the range', () => {
    const from = Date.parse('2026-10-30T12:00:00Z');
    const to = Date.parse('2026-12-02T00:00:00Z');
    expect(periods(from, to, 'month').map(([s]) => iso(s))).toEqual([
      '2026-10-30T12:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
    expect(
      periods(from, to, 'week')
        .map(([s]) => iso(s))
        .slice(0, 2),
    ).toEqual(['2026-10-30T12:00:00.000Z', '2026-11-02T00:00:00.000Z']);
    expect(periods(from, to, 'day')).toHaveLength(33);
  });

  it('bands by the DORA 2023 thresholds, unknown below 5 deployments', () => {
    expect(frequencyBand(4, 10)).toBe('unknown');
    expect([1, 0.5, 0.1, 0.01].map((v) => frequencyBand(30, v))).toEqual(['elite', 'high', 'medium', 'low']);
    expect([23, 24, 200, 800].map((h) => leadTimeBand(5, h))).toEqual(['elite', 'high', 'medium', 'low']);
    expect([0.05, 0.1, 0.15, 0.16].map((r) => failureRateBand(5, r))).toEqual([
      'elite',
      'high',
      'medium',
      'low',
    ]);
    expect([0.5, 23, 100, 200].map((h) => restoreBand(5, h))).toEqual(['elite', 'high', 'medium', 'low']);
    expect(restoreBand(5, null)).toBe('unknown');
  });

  it('reads and writes failure windows', () => {
    expect(parseWindow('4h')).toEqual({ ok: true, ms: 4 * 3_600_000 });
    expect(parseWindow('90m')).toEqual({ ok: true, ms: 90 * 60_000 });
    expect(parseWindow('1m')).toMatchObject({ ok: false });
    expect(parseWindow('4 hours')).toMatchObject({ ok: false });
    expect(
      [parseWindow('1d'), parseWindow('6h'), parseWindow('90m')].map((r) => (r.ok ? formatWindow(r.ms) : r)),
    ).toEqual(['1d', '6h', '90m']);
  });
});
