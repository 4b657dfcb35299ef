/**
 * The known answers of impact-method.md, on synthetic series whose truth the test planted.
 * Noise comes from a seeded generator, so every run sees the same series.
 */
import { describe, expect, it } from 'vitest';
import { judge, preliminary } from './judge.js';
import type { ImpactContext, MetricSamples, SeasonalBaseline } from './types.js';

/** mulberry32: a small seeded generator; Box-Muller for normal noise. */
function rng(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** n values around `mean` with relative noise `sd`; paired +e/-e so the mean is exactly `mean`. */
function around(mean: number, sd: number, n: number, normal: () => number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const e = normal() * sd * mean;
    out.push(mean + e, mean - e);
  }
  return out.slice(0, n);
}

const metric = (
  name: string,
  direction: string,
  unit: string | null,
  before: number[],
  after: number[],
): MetricSamples => ({
  metric: name,
  subject: 'PRODUCTION',
  source: null,
  provider: 'pushed',
  unit,
  direction,
  before,
  after,
});

const ctx: ImpactContext = { noun: 'the deploy', windowName: '2h', subject: 'PRODUCTION', overlapping: [] };

describe('impact judgement: the known answers', () => {
  it('a +50% step on 5% noise is regressed with p < 0.001', () => {
    const n = rng(1);
    const result = judge(
      [metric('error_rate', 'lower-is-better', '%', around(1, 0.05, 120, n), around(1.5, 0.05, 120, n))],
      [],
      ctx,
    );
    const [m] = result.metrics;
    expect(m?.verdict).toBe('regressed');
    expect(m?.test?.pValue).toBeLessThan(0.001);
    expect(m?.test?.shiftLow).toBeGreaterThan(0);
    expect(result.summary.verdict).toBe('regressed');
  });

  it('pure noise: no significant change in at least 97% of 200 seeds', () => {
    let quiet = 0;
    for (let seed = 100; seed < 300; seed++) {
      const n = rng(seed);
      const noise = () => Array.from({ length: 120 }, () => 200 * (1 + 0.05 * n()));
      const result = judge([metric('p95_latency', 'lower-is-better', 'ms', noise(), noise())], [], ctx);
      if (result.metrics[0]?.verdict === 'no_significant_change') quiet++;
    }
    expect(quiet).toBeGreaterThanOrEqual(194);
  });

  it("the hosted docs' worked example: regressed, regressed, no significant change", () => {
    const n = rng(7);
    const result = judge(
      [
        metric('error_rate', 'lower-is-better', '%', around(0.12, 0.15, 120, n), around(2.41, 0.1, 120, n)),
        metric('p95_latency', 'lower-is-better', 'ms', around(180, 0.05, 120, n), around(420, 0.05, 120, n)),
        metric(
          'throughput',
          'higher-is-better',
          'req/s',
          around(1200, 0.03, 120, n),
          around(1180, 0.03, 120, n),
        ),
      ],
      [],
      ctx,
    );
    expect(result.metrics.map((m) => m.verdict)).toEqual(['regressed', 'regressed', 'no_significant_change']);
    expect(result.metrics[0]?.reason).toBe(
      'error_rate rose from 0.12% to 2.41% (20x) in the 2 hours after the deploy; p < 0.001; nothing else changed on PRODUCTION in that time',
    );
    expect(result.metrics[1]?.reason).toContain('p95_latency rose from 180 ms to 420 ms (2.3x)');
    expect(result.metrics[2]?.reason).toContain('throughput went from 1,200 req/s to 1,180 req/s (-1.7%)');
    // Holm: three tests, each adjusted p at least the raw one.
    for (const m of result.metrics)
      expect(m.test?.pAdjusted).toBeGreaterThanOrEqual(m.test?.pValue as number);
    expect(result.summary.verdict).toBe('regressed');
    expect(result.summary.text).toMatch(
      /^Regressed in the 2 hours after the deploy: error_rate regressed \(0\.12% to 2\.41%/,
    );
    expect(result.summary.text).toContain('no significant change in throughput');
  });

  it('a daily cycle with the event on its rising edge is not blamed on the event when last week is known', () => {
    const day = 86_400_000;
    const n = rng(11);
    const at = 6 * 3_600_000; // 06:00, where sin(2π(t - 6h)/day) rises fastest
    const value = (t: number) => 200 * (1 + 0.25 * Math.sin((2 * Math.PI * (t - at)) / day) + 0.02 * n());
    const side = (from: number, to: number) => {
      const out: number[] = [];
      for (let t = from; t < to; t += 60_000) out.push(value(t));
      return out;
    };
    const before = (offset: number) => side(at - offset - 7_200_000, at - offset);
    const after = (offset: number) => side(at - offset + 300_000, at - offset + 7_500_000);
    const samples = [metric('p95_latency', 'lower-is-better', 'ms', before(0), after(0))];
    // Without history it would look like the deploy's doing: that is what the baseline must undo.
    const tests = preliminary(samples);
    expect(tests.changed).toEqual([0]);
    expect(judge(samples, [], ctx).metrics[0]?.verdict).toBe('regressed');
    // Judged from the preliminary tests, the answer is the same as from the samples.
    expect(judge(tests, [], ctx)).toEqual(judge(samples, [], ctx));

    const lastWeek: SeasonalBaseline = { offset: '7d', before: before(7 * day), after: after(7 * day) };
    const [m] = judge(samples, [lastWeek], ctx).metrics;
    expect(m?.verdict).toBe('no_significant_change');
    expect(m?.seasonality.baseline?.offset).toBe('7d');
    expect(m?.seasonality.explains).toMatch(/^the same hours a week earlier rose \+\d+% too/);
    expect(m?.reason).toContain('the usual pattern of the time of day');
  });

  it('a baseline that did not move leaves the regression standing', () => {
    const n = rng(5);
    const samples = [
      metric('error_rate', 'lower-is-better', '%', around(1, 0.05, 120, n), around(1.5, 0.05, 120, n)),
    ];
    const flat: SeasonalBaseline = {
      offset: '1d',
      before: around(1, 0.05, 120, n),
      after: around(1, 0.05, 120, n),
    };
    const [m] = judge(samples, [flat], ctx).metrics;
    expect(m?.verdict).toBe('regressed');
    expect(m?.seasonality.baseline?.change.relative).toBeCloseTo(0, 10);
    expect(m?.seasonality.explains).toBeNull();
  });

  it('a gap in the after-window is not_enough_data, not a guess', () => {
    const n = rng(3);
    const result = judge(
      [metric('error_rate', 'lower-is-better', '%', around(1, 0.05, 120, n), around(3, 0.05, 6, n))],
      [],
      ctx,
    );
    const [m] = result.metrics;
    expect(m?.verdict).toBe('not_enough_data');
    expect(m?.test).toBeNull();
    expect(m?.reason).toBe(
      'error_rate has 120 points before and 6 after the deploy (at least 10 on each side are needed): not enough data to judge',
    );
    expect(result.summary.verdict).toBe('not_enough_data');
  });

  it('names the other changes on the subject instead of blaming one event', () => {
    const n = rng(9);
    const other = {
      id: 'e2',
      source: '//github.com/acme/db',
      type: 'deployment',
      subject: 'PRODUCTION',
      version: 'v9',
      time: '2026-03-01T14:55:00.000Z',
    };
    const result = judge(
      [metric('error_rate', 'lower-is-better', '%', around(1, 0.05, 120, n), around(2, 0.05, 120, n))],
      [],
      { ...ctx, overlapping: [other] },
    );
    expect(result.metrics[0]?.reason).toContain(
      '1 other event on PRODUCTION in that time (deployment of //github.com/acme/db v9 at 14:55 UTC), so it may not be the deploy alone',
    );
    expect(result.summary.text).toContain('1 other event on PRODUCTION');
  });

  it('direction: a fall in a higher-is-better metric regresses, either only changes, and no metric is no_metrics', () => {
    const n = rng(13);
    const [down, either] = judge(
      [
        metric('throughput', 'higher-is-better', null, around(1000, 0.03, 120, n), around(600, 0.03, 120, n)),
        metric('queue_depth', 'either', null, around(50, 0.05, 120, n), around(80, 0.05, 120, n)),
      ],
      [],
      ctx,
    ).metrics;
    expect(down?.verdict).toBe('regressed');
    expect(down?.reason).toMatch(/^throughput fell from 1,000 to 600/);
    expect(either?.verdict).toBe('changed');
    const none = judge([], [], ctx);
    expect(none.summary.verdict).toBe('no_metrics');
    expect(none.summary.text).toMatch(/^No metric is mapped to PRODUCTION/);
  });

  it('a significant shift below the minimum effect does not count', () => {
    const n = rng(17);
    const [m] = judge(
      [
        {
          ...metric(
            'p50_latency',
            'lower-is-better',
            'ms',
            around(100, 0.01, 120, n),
            around(104, 0.01, 120, n),
          ),
        },
      ],
      [],
      ctx,
    ).metrics;
    expect(m?.test?.pAdjusted).toBeLessThan(0.001);
    expect(m?.verdict).toBe('no_significant_change');
    expect(m?.reason).toContain("too small to count (10% is this metric's minimum effect)");
  });
});
