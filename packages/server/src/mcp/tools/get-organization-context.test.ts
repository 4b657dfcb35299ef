import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
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

  it('takes no arguments', async () => {
    await expect(runTool(getOrganizationContext, { verbose: true }, t.env)).rejects.toThrow(
      'takes no arguments',
    );
  });
});
