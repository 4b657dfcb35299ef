import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { getMetricsAroundEvent } from './get-metrics-around-event.js';

describe('get_metrics_around_event', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
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
      window: { duration: '1h', after: { from: '2026-11-14T02:00:00.000Z', to: '2026-11-14T03:00:00.000Z' } },
    });
    expect(answer.data.message).toContain('No metric is mapped for subject STAGING');
    expect(answer.data.message).toContain('analytics provider');
  });

  it('explains bad windows and unknown events', async () => {
    await expect(
      runTool(getMetricsAroundEvent, { eventId: 'inc-1', window: 'two hours' }, t.env),
    ).rejects.toThrow('window: "two hours"');
    await expect(runTool(getMetricsAroundEvent, { eventId: 'nope' }, t.env)).rejects.toThrow('not found');
  });
});
