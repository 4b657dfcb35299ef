import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { getEvent } from './get-event.js';

describe('get_event', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('returns the event and suggests what to look at around it', async () => {
    const answer = await runTool(getEvent, { id: 'be-prd-250' }, t.env);
    expect(answer.data.event).toMatchObject({ id: 'be-prd-250', source: 'BE', version: '2.5.0' });
    expect(answer.next.map((n) => n.tool)).toEqual([
      'what_changed',
      'get_promotion_path',
      'get_metrics_around_event',
    ]);
  });

  it('needs an id', async () => {
    await expect(runTool(getEvent, {}, t.env)).rejects.toThrow();
  });
});
