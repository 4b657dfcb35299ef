import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { getPromotionPath } from './get-promotion-path.js';

describe('get_promotion_path', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('follows a version through the ladder', async () => {
    const answer = await runTool(getPromotionPath, { version: '3.0.0' }, t.env);
    expect((answer.data.steps as { subject: string }[]).map((s) => s.subject)).toEqual([
      'STAGING',
      'PRODUCTION',
    ]);
    expect(answer.data.skipped).toEqual([]);
    expect(answer.text).toContain('No rung of the environment ladder was skipped.');
  });

  it('takes the source in any case', async () => {
    const exact = await runTool(getPromotionPath, { version: '2.5.0', source: 'BE' }, t.env);
    const lower = await runTool(getPromotionPath, { version: '2.5.0', source: 'be' }, t.env);
    expect((exact.data.steps as unknown[]).length).toBeGreaterThan(0);
    expect(lower.data.steps).toEqual(exact.data.steps);
  });

  it('says when a version is unknown', async () => {
    await expect(runTool(getPromotionPath, { version: '2.5.0', source: 'FE' }, t.env)).rejects.toThrow(
      'from source "FE"',
    );
  });
});
