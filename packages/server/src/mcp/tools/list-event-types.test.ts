import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { listEventTypes } from './list-event-types.js';

describe('list_event_types', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts each type, most frequent first', async () => {
    const answer = await runTool(listEventTypes, {}, t.env);
    expect(
      (answer.data.values as { name: string; count: number }[]).map((v) => [v.name, v.count])[0],
    ).toEqual(['deployment', 7]);
    expect(answer.next[0]?.arguments).toEqual({ type: 'deployment', from: '-7d' });
  });
});
