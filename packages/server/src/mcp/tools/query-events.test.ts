import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { queryEvents } from './query-events.js';

describe('query_events', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('filters and pages newest first', async () => {
    const answer = await runTool(queryEvents, { subject: 'PRODUCTION', limit: 2 }, t.env);
    expect((answer.data.events as { id: string }[]).map((e) => e.id)).toEqual(['inc-1', 'cache-purge-1']);
    expect(answer.data.hasMore).toBe(true);
    expect(answer.next.map((n) => n.tool)).toEqual(['what_changed', 'get_event', 'query_events']);
  });

  it('reads relative times against now and checks them', async () => {
    const answer = await runTool(queryEvents, { from: '-1h' }, t.env);
    expect((answer.data.events as { id: string }[]).map((e) => e.id)).toEqual(['inc-1', 'cache-purge-1']);
    await expect(runTool(queryEvents, { from: '-1h', to: '-2h' }, t.env)).rejects.toThrow('swap them');
    await expect(runTool(queryEvents, { severity: 'HUGE' }, t.env)).rejects.toThrow(
      'LOW, MINOR, MAJOR, CRITICAL',
    );
    await expect(runTool(queryEvents, { limit: 101 }, t.env)).rejects.toThrow();
  });

  it('matches type, source and subject in any case', async () => {
    const ids = async (args: Record<string, unknown>) =>
      ((await runTool(queryEvents, { ...args, limit: 100 }, t.env)).data.events as { id: string }[]).map(
        (e) => e.id,
      );
    const exact = await ids({ subject: 'PRODUCTION', source: 'BE' });
    expect(exact.length).toBeGreaterThan(0);
    expect(await ids({ subject: 'production', source: 'be' })).toEqual(exact);
    expect(await ids({ type: 'DEPLOYMENT' })).toEqual(await ids({ type: 'deployment' }));
  });
});
