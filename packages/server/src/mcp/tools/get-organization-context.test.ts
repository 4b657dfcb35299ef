import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { metricRepository } from '../../store/metrics.js';
import { getOrganizationContext } from './get-organization-context.js';

describe('get_organization_context', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives context, limits, vocabulary and where to go next', async () => {
    const answer = await runTool(getOrganizationContext, {}, t.env);
    expect(answer.data.businessContext).toMatchObject({ isTemplate: false });
    expect(answer.data.limits).toMatchObject({ mcpCallsPerMonth: null });
    expect(answer.text).toContain('Sources seen: BE (5)');
    expect(answer.next[0]).toEqual({
      tool: 'query_events',
      arguments: { from: '-24h', subject: 'PRODUCTION' },
      reason: 'what happened in PRODUCTION in the last day',
    });
  });

  it('lists the metrics each subject has, and says so when none has any', async () => {
    expect((await runTool(getOrganizationContext, {}, t.env)).data.metrics).toEqual([]);
    const point = { subject: 'PRODUCTION', source: null, time: Date.parse('2026-11-14T02:00:00Z'), value: 1 };
    await metricRepository(t.env.store).ingest(t.env.orgId, [
      { ...point, metric: 'error_rate' },
      { ...point, metric: 'throughput' },
    ]);
    const answer = await runTool(getOrganizationContext, {}, t.env);
    expect(answer.data.metrics).toEqual([
      {
        subject: 'PRODUCTION',
        metrics: [
          { name: 'error_rate', source: null, provider: 'pushed', direction: 'lower-is-better', unit: null },
          { name: 'throughput', source: null, provider: 'pushed', direction: 'higher-is-better', unit: null },
        ],
      },
    ]);
    expect(answer.text).toContain(
      '- PRODUCTION: error_rate (pushed, lower-is-better), throughput (pushed, higher-is-better)',
    );
  });

  it('takes no arguments', async () => {
    await expect(runTool(getOrganizationContext, { verbose: true }, t.env)).rejects.toThrow(
      'takes no arguments',
    );
  });
});
