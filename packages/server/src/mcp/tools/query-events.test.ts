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
  it('covers a rung with a pattern, in any case, and says what it matched', async () => {
    const ids = async (args: Record<string, unknown>) =>
      ((await runTool(queryEvents, { ...args, limit: 100 }, t.env)).data.events as { id: string }[]).map(
        (e) => e.id,
      );
    const production = await ids({ subject: 'PRODUCTION' });
    expect(await ids({ subject: '*-production' })).toEqual(production);
    expect(await ids({ source: 'b*', subject: 'prod*' })).toEqual(
      await ids({ source: 'BE', subject: 'PRODUCTION' }),
    );
    const answer = await runTool(queryEvents, { subject: '*-STAGING' }, t.env);
    expect(answer.data.matched).toEqual({ subjects: ['STAGING'] });
    expect(answer.text).toContain('subjects matched: STAGING');
    expect(answer.data.note).toBeNull();
  });

  it('answers an empty result with the close names that exist', async () => {
    const answer = await runTool(queryEvents, { subject: 'prod' }, t.env);
    expect(answer.data.events).toEqual([]);
    expect(answer.data.note).toBe('no events for subject "prod"; subjects seen: PRODUCTION');
    expect(answer.text.split('\n')[0]).toBe('no events for subject "prod"; subjects seen: PRODUCTION');
    const both = await runTool(queryEvents, { subject: 'STAGNG', type: 'deploymnt' }, t.env);
    expect(both.data.note).toBe(
      'no events for subject "STAGNG"; subjects seen: STAGING; no events for type "deploymnt"; types seen: deployment',
    );
    const pattern = await runTool(queryEvents, { subject: 'qa-*' }, t.env);
    expect(pattern.data.matched).toEqual({ subjects: [] });
    expect(pattern.data.note).toMatch(/^no events for subject "qa-\*"; subjects seen: /);
    // The name exists; the range holds none of its events: no near miss to report.
    const outside = await runTool(queryEvents, { subject: 'production', to: '2020-01-01T00:00:00Z' }, t.env);
    expect(outside.data.events).toEqual([]);
    expect(outside.data.note).toBeNull();
  });

  it('pages by nextCursor through every event once', async () => {
    const all = (await runTool(queryEvents, { limit: 100 }, t.env)).data.events as { id: string }[];
    const seen: string[] = [];
    let cursor: unknown;
    do {
      const page = await runTool(queryEvents, { limit: 3, ...(cursor ? { cursor } : {}) }, t.env);
      seen.push(...(page.data.events as { id: string }[]).map((e) => e.id));
      cursor = page.data.nextCursor;
      if (cursor)
        expect(page.next.at(-1)).toMatchObject({ tool: 'query_events', arguments: { limit: 3, cursor } });
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    await expect(runTool(queryEvents, { cursor: 'not-a-cursor' }, t.env)).rejects.toThrow('cursor: ');
  });
});
