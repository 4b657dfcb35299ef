import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { getEventSummary } from './get-event-summary.js';

describe('get_event_summary', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts by type within the range', async () => {
    const answer = await runTool(
      getEventSummary,
      { from: '2026-11-12T00:00:00Z', to: '2026-11-13T23:59:59Z' },
      t.env,
    );
    expect(answer.data.total).toBe(5);
    expect(answer.data.byType).toEqual([{ type: 'deployment', count: 5 }]);
  });

  it('needs both ends of the range', async () => {
    await expect(runTool(getEventSummary, { from: '-1d' }, t.env)).rejects.toThrow();
  });
});
