import { randomBytes } from 'node:crypto';
import { LIMITS } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../test-support/mcp-tool-env.js';
import {
  BIG_EVENTS,
  resultTokens,
  SUBJECTS,
  seedWorstCase,
  WORST_NOW,
} from '../../../../test-support/mcp-worst-case.js';
import { toStoredEvent } from '../store/events.js';
import {
  ANSWER_BYTES_MAX,
  ANSWER_TOKENS_MAX,
  answerBytes,
  CLIPPED_NOTE,
  clipToBudget,
  fitPrefix,
} from './budget.js';
import type { Tool, ToolAnswer } from './tool.js';
import { TOOLS } from './tools/index.js';

const tool = (name: string) => TOOLS.find((t) => t.name === name) as Tool;

/** The result as the MCP server sends it: the text with its suggested calls, and the structured content. */
const asSent = (answer: ToolAnswer<Record<string, unknown>>) => ({
  content: [{ type: 'text', text: `${answer.text}\n\nSuggested next:\n${JSON.stringify(answer.next)}` }],
  structuredContent: { ...answer.data, suggested_next: answer.next },
});

describe('the answer budget at the worst case', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv({ seed: seedWorstCase, now: WORST_NOW });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const run = (name: string, args: Record<string, unknown>) => runTool(tool(name), args, t.env);

  it.each([
    ['query_events', { limit: 100 }],
    ['query_events', { from: '-24h', subject: '*-production', limit: 100 }],
    ['get_environment_grid', { limit: 1000 }],
    ['get_environment_grid', { days: 3650 }],
    ['list_event_subjects', { limit: 1000 }],
    ['list_event_sources', {}],
    ['list_event_types', {}],
    ['what_changed', { time: '2026-11-14T12:00:00Z', window: '1d', limit: 50 }],
    ['get_event_summary', { from: '-24h', to: '2026-11-14T12:00:00Z' }],
    ['get_event', { id: 'busy-4999' }],
    ['get_organization_context', {}],
    ['get_promotion_path', { version: '1.0.0' }],
    ['get_dora_metrics', {}],
    ['list_guardrail_violations', { limit: 100 }],
  ])('%s %j stays under 20,000 tokens', async (name, args) => {
    const answer = await run(name, args);
    expect(answerBytes(answer)).toBeLessThanOrEqual(ANSWER_BYTES_MAX);
    expect(resultTokens(asSent(answer))).toBeLessThanOrEqual(ANSWER_TOKENS_MAX);
  });

  it('query_events leads with counts by type, source and subject when its page would not fit', async () => {
    const raw = await t.env.store.events.list(t.env.orgId, {}, BIG_EVENTS);
    // What the tool answered before the budget: the whole page, far past any client's limit.
    expect(resultTokens(raw.rows.map(toStoredEvent))).toBeGreaterThan(100_000);
    const answer = await run('query_events', { limit: 100 });
    const data = answer.data as {
      summarized: boolean;
      summary: {
        counted: number;
        complete: boolean;
        bySubject: { value: string; count: number }[];
        notListed: { subjects: number };
      };
      events: { id: string; data: Record<string, unknown> }[];
      nextCursor: string | null;
    };
    expect(data.summarized).toBe(true);
    expect(answer.text).toMatch(/^Summarized to fit the answer budget: more than 2000 events match/);
    expect(data.summary.complete).toBe(false);
    expect(data.summary.counted).toBe(2_000);
    expect(data.summary.bySubject).toHaveLength(20);
    expect(data.summary.notListed.subjects).toBe(480);
    expect(data.events.length).toBeGreaterThan(10);
    expect(data.events.length).toBeLessThan(100);
    expect(data.events[0]?.id).toBe('busy-4999');
    // Data cut to short fields, saying where the rest is.
    expect(data.events[0]?.data['…']).toContain('get_event');
    expect(data.events[0]?.data.description).toContain('Deploy 4999');
    expect(data.nextCursor).not.toBeNull();
  });

  it('pages a pattern by nextCursor, every event once, newest first', async () => {
    const seen: string[] = [];
    const times: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const answer = await run('query_events', {
        from: '-24h',
        subject: 'tenant-00*-PRODUCTION',
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      const data = answer.data as {
        events: { id: string; subject: string; time: string }[];
        nextCursor: string | null;
        matched: { subjects: string[] };
      };
      expect(data.matched.subjects).toHaveLength(10);
      for (const e of data.events) {
        expect(e.subject).toMatch(/^TENANT-00\d-PRODUCTION$/);
        seen.push(e.id);
        times.push(Date.parse(e.time));
      }
      if (data.nextCursor === null) break;
      cursor = data.nextCursor;
    }
    // 10 ladders x 10 sources: one deployment each.
    expect(new Set(seen).size).toBe(100);
    expect(seen).toHaveLength(100);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('list_event_subjects pages 500 subjects to the end', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const answer = await run('list_event_subjects', { limit: 1000, ...(cursor ? { cursor } : {}) });
      const data = answer.data as { total: number; values: { name: string }[]; nextCursor: string | null };
      expect(data.total).toBe(500);
      names.push(...data.values.map((v) => v.name));
      if (data.nextCursor === null) break;
      cursor = data.nextCursor;
    }
    expect([...names].sort()).toEqual([...SUBJECTS].sort());
  });

  it('get_environment_grid summarizes 5,000 cells, drift first, and narrows by pattern', async () => {
    const answer = await run('get_environment_grid', {});
    const data = answer.data as {
      summarized: boolean;
      totals: { cells: number; subjects: number; drift: number };
      cells: unknown[];
      drift: unknown[];
      nextCursor: string | null;
    };
    expect(data.summarized).toBe(true);
    expect(data.totals).toMatchObject({ cells: 5_000, subjects: 500 });
    expect(data.totals.drift).toBeGreaterThan(0);
    expect(data.drift.length).toBeGreaterThan(0);
    expect(data.cells.length).toBeGreaterThan(0);
    expect(data.nextCursor).not.toBeNull();
    expect(answer.text).toMatch(/^Summarized to fit the answer budget: 5000 cells/);
    const production = (await run('get_environment_grid', { subject: '*-production', limit: 1000 })).data as {
      totals: { cells: number; subjects: number };
    };
    expect(production.totals).toMatchObject({ cells: 1_250, subjects: 125 });
  });

  it('get_organization_context stays under 20,000 tokens with the longest business context', async () => {
    const sentence =
      'PAYMENTS deploys go to STAGING first; BE and DB deployments are coupled; freeze on Fridays. ';
    const context = sentence.repeat(Math.floor(LIMITS.businessContextMax / sentence.length));
    await t.env.store.organizations.setContext(t.env.orgId, context);
    const answer = await run('get_organization_context', {});
    expect(resultTokens(asSent(answer))).toBeLessThanOrEqual(ANSWER_TOKENS_MAX);
    expect(JSON.stringify(answer.data)).toContain('BE and DB deployments are coupled');
  });

  it('rejects a cursor of another tool, naming the fix', async () => {
    const subjects = (await run('list_event_subjects', { limit: 1 })).data as { nextCursor: string };
    await expect(run('query_events', { cursor: subjects.nextCursor })).rejects.toThrow(
      /cursor: .* is not a cursor of query_events; pass the nextCursor/,
    );
  });
});

describe('fitPrefix and clipToBudget', () => {
  it('finds the most items that fit', () => {
    const build = (n: number) => ({ data: { items: Array(n).fill('x'.repeat(98)) }, text: '', next: [] });
    const { shown, answer } = fitPrefix(1_000, build, 10_000);
    expect(shown).toBe(98);
    expect(answerBytes(answer)).toBeLessThanOrEqual(10_000);
    expect(answerBytes(build(shown + 1))).toBeGreaterThan(10_000);
    expect(fitPrefix(5, build, 10_000).shown).toBe(5);
  });

  it('clips a hostile answer (dense base64 everywhere) under the budget and says so', () => {
    const blob = () => randomBytes(30_000).toString('base64');
    const hostile = {
      data: {
        event: { specversion: '1.0', id: 'x', data: { description: blob(), payload: blob() } },
        notes: [blob(), blob()],
      },
      text: blob(),
      next: [],
    };
    expect(resultTokens(hostile)).toBeGreaterThan(50_000);
    const clipped = clipToBudget(hostile);
    expect(answerBytes(clipped)).toBeLessThanOrEqual(ANSWER_BYTES_MAX);
    expect(resultTokens({ text: clipped.text, data: clipped.data })).toBeLessThanOrEqual(ANSWER_TOKENS_MAX);
    expect(clipped.text.startsWith(CLIPPED_NOTE)).toBe(true);
    expect((clipped.data.event.data as Record<string, unknown>)['…']).toContain('get_event');
  });
});
