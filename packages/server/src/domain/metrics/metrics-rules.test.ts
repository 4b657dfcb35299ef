/** The pure rules of metrics: a pushed metric's default direction from its name, and series steps. */
import { describe, expect, it } from 'vitest';
import { defaultDirection } from './direction.js';
import { formatStep, parseStep } from './step.js';

describe('defaultDirection', () => {
  it.each([
    ['http.error_rate', 'lower-is-better'],
    ['checkout_latency', 'lower-is-better'],
    ['job_duration_seconds', 'lower-is-better'],
    ['api.p50', 'lower-is-better'],
    ['api_p95_ms', 'lower-is-better'],
    ['P99', 'lower-is-better'],
    ['app.crashes', 'lower-is-better'],
    ['crash_free_sessions', 'higher-is-better'],
    ['requests_throughput', 'higher-is-better'],
    ['page_views', 'higher-is-better'],
    ['login_success_ratio', 'higher-is-better'],
    ['checkout.conversion', 'higher-is-better'],
    ['apdex', 'higher-is-better'],
    ['queue_depth', 'either'],
    ['cpu', 'either'],
  ])('%s is %s', (name, direction) => {
    expect(defaultDirection(name)).toBe(direction);
  });
});

describe('steps', () => {
  it('reads 1s to 1d and refuses the rest, naming the forms', () => {
    expect(parseStep('30s')).toEqual({ ok: true, ms: 30_000 });
    expect(parseStep('1m')).toEqual({ ok: true, ms: 60_000 });
    expect(parseStep('5m')).toEqual({ ok: true, ms: 300_000 });
    expect(parseStep('1h')).toEqual({ ok: true, ms: 3_600_000 });
    expect(parseStep('1d')).toEqual({ ok: true, ms: 86_400_000 });
    for (const bad of ['0s', '2d', '1w', '1.5m', 'm', ''])
      expect(parseStep(bad)).toMatchObject({
        ok: false,
        message: expect.stringContaining('such as 30s, 1m, 5m or 1h'),
      });
  });

  it('writes a step in its largest whole unit', () => {
    expect([86_400_000, 7_200_000, 300_000, 90_000, 1_000].map(formatStep)).toEqual([
      '1d',
      '2h',
      '5m',
      '90s',
      '1s',
    ]);
  });
});
