import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { loadConfig } from '../../config.js';
import { metricServices } from '../../integrations/services.js';
import { metricRepository } from '../../store/metrics.js';
import { getMetricsAroundEvent } from './get-metrics-around-event.js';

// be-prd-240 in the fixture: a BE deployment to PRODUCTION at this moment.
const DEPLOY = Date.parse('2026-11-13T12:00:00Z');
const MIN = 60_000;

describe('get_metrics_around_event', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
    const config = loadConfig(
      { OPSTRAILS_LOG_LEVEL: 'silent' },
      { dataDir: dirname(t.env.store.location), host: '127.0.0.1', port: 0 },
    );
    t.env.metrics = metricServices(t.env.store, config);
    // error_rate jumps tenfold at the deploy; latency stays put (deterministic +-3% wobble).
    const points = [];
    for (let i = -120; i < 125; i++) {
      const wobble = 1 + 0.03 * Math.sin(i * 1.7);
      points.push(
        {
          metric: 'error_rate',
          subject: 'PRODUCTION',
          source: null,
          time: DEPLOY + i * MIN,
          value: (i < 0 ? 0.2 : 2) * wobble,
        },
        {
          metric: 'p95_latency',
          subject: 'PRODUCTION',
          source: null,
          time: DEPLOY + i * MIN,
          value: 180 * wobble,
        },
      );
    }
    await metricRepository(t.env.store).ingest(t.env.orgId, points);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('judges the metrics around a deploy and sends a regression to what_changed', async () => {
    const answer = await runTool(getMetricsAroundEvent, { eventId: 'be-prd-240' }, t.env);
    expect(answer.data.metricsMapped).toBe(true);
    expect(answer.data.window).toEqual({
      duration: '2h',
      before: { from: '2026-11-13T10:00:00.000Z', to: '2026-11-13T12:00:00.000Z' },
      after: { from: '2026-11-13T12:05:00.000Z', to: '2026-11-13T14:05:00.000Z' },
    });
    const data = answer.data as {
      metrics: { metric: string; verdict: string }[];
      summary: { verdict: string };
    };
    const verdicts = Object.fromEntries(data.metrics.map((m) => [m.metric, m.verdict]));
    expect(verdicts).toEqual({ error_rate: 'regressed', p95_latency: 'no_significant_change' });
    expect(data.summary.verdict).toBe('regressed');
    expect(answer.text).toMatch(
      /^Regressed in the 2 hours after the deploy: error_rate regressed \(0\.2 to 2, 10x, p < 0\.001\)/,
    );
    expect(answer.next[0]).toMatchObject({
      tool: 'what_changed',
      arguments: { time: '2026-11-13T12:00:00.000Z', window: '2h', subject: 'PRODUCTION' },
    });
  });

  it('states that no metric is mapped, with the windows it would compare', async () => {
    const answer = await runTool(
      getMetricsAroundEvent,
      { time: '2026-11-14T02:00:00Z', subject: 'STAGING', window: '1h' },
      t.env,
    );
    expect(answer.data).toMatchObject({
      metricsMapped: false,
      metrics: [],
      summary: { verdict: 'no_metrics' },
      window: { duration: '1h', after: { from: '2026-11-14T02:05:00.000Z', to: '2026-11-14T03:05:00.000Z' } },
    });
    expect(answer.data.message).toContain('No metric is mapped for subject STAGING');
    expect(answer.data.message).toContain('POST /api/v1/metrics/webhook');
  });

  it('explains bad windows, a missing subject and unknown events', async () => {
    await expect(
      runTool(getMetricsAroundEvent, { eventId: 'inc-1', window: 'two hours' }, t.env),
    ).rejects.toThrow('window: "two hours" is not one of 1h, 2h, 4h, 6h, 12h, 24h');
    await expect(runTool(getMetricsAroundEvent, { time: '-1h' }, t.env)).rejects.toThrow('subject: give');
    await expect(runTool(getMetricsAroundEvent, { eventId: 'nope' }, t.env)).rejects.toThrow('not found');
  });
});
