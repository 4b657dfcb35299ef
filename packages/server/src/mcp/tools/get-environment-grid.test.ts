import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { getEnvironmentGrid } from './get-environment-grid.js';

describe('get_environment_grid', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fills each cell with its latest event and version', async () => {
    const answer = await runTool(getEnvironmentGrid, {}, t.env);
    expect(answer.data.sources).toEqual(['BE', 'CACHE', 'DB', 'FE']);
    expect(answer.data.cells).toHaveLength(7);
    expect(answer.text).toContain('FE: STAGING runs 3.1.0, PRODUCTION runs 3.0.0');
    expect(answer.next[0]).toMatchObject({
      tool: 'get_promotion_path',
      arguments: { version: '2.5.0', source: 'BE' },
    });
  });
});
