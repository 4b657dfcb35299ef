import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { listEventSources } from './list-event-sources.js';

describe('list_event_sources', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts each source with when it was last seen', async () => {
    const answer = await runTool(listEventSources, {}, t.env);
    expect(answer.data.values).toContainEqual({ name: 'DB', count: 1, lastSeen: '2026-11-14T01:40:00.000Z' });
  });
});
