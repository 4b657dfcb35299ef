/**
 * Answers that fit and search that forgives, through the official MCP clients over real HTTP:
 * the current line (2.x, protocol 2026-07-28) and the 1.x line on the 2025 protocol, against the
 * answer budget's worst case (test-support/mcp-worst-case.ts). Tokens are counted on the whole
 * tool result as received, with gpt-tokenizer.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultTokens, SUBJECTS, seedWorstCase } from '../../../test-support/mcp-worst-case.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

type Call = (name: string, args: Record<string, unknown>) => Promise<ToolResult>;

/** The worst case's busy day, written out: the store holds it in November 2026 whenever the test runs. */
const DAY = { from: '2026-11-13T12:00:00Z', to: '2026-11-14T12:00:00Z' };
const TOKENS_MAX = 20_000;

describe.each(ENGINES)('MCP answers that fit (%s)', (engine) => {
  let server: TestServer;
  let key: string;
  let client: Client;
  let legacy: LegacyClient;
  let legacyTransport: LegacyTransport;

  const modern: Call = async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult;
  const old: Call = async (name, args) => (await legacy.callTool({ name, arguments: args })) as ToolResult;

  beforeAll(async () => {
    server = await startTestServer(engine);
    await seedWorstCase(server.store, server.defaultOrg.id);
    key = await server.key('READ_ONLY');
    const url = new URL(`${server.url}/api/mcp/mcp`);
    const requestInit = { headers: { authorization: `Bearer ${key}` } };
    client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit }));
    legacy = new LegacyClient({ name: 'legacy', version: '1.0.0' });
    legacyTransport = new LegacyTransport(url, { requestInit });
    await legacy.connect(legacyTransport);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await legacy?.close();
    await server?.close();
  });

  it('speaks both protocol eras', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(legacyTransport.protocolVersion).toMatch(/^2025-/);
  });

  describe.each([
    ['current client', () => modern],
    ['2025 client', () => old],
  ])('%s', (_era, callOf) => {
    it('keeps the biggest answers under 20,000 tokens, summarized first', async () => {
      const call = callOf();
      for (const [name, args] of [
        ['query_events', { limit: 100 }],
        ['query_events', { ...DAY, limit: 100 }],
        ['get_environment_grid', { days: 3650, limit: 1000 }],
        ['list_event_subjects', { limit: 1000 }],
        ['what_changed', { time: DAY.to, window: '1d', limit: 50 }],
        ['get_event_summary', DAY],
      ] as const) {
        const result = await call(name, args);
        expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).not.toBe(true);
        expect(resultTokens(result), name).toBeLessThanOrEqual(TOKENS_MAX);
      }
      const events = await call('query_events', { limit: 100 });
      expect(events.structuredContent?.summarized).toBe(true);
      expect(events.content[0]?.text).toMatch(
        /^Summarized to fit the answer budget: more than 2000 events match/,
      );
      expect(events.content[0]?.text).toContain('By subject: ');
      expect(events.structuredContent?.nextCursor).toEqual(expect.any(String));
      const grid = await call('get_environment_grid', { days: 3650 });
      expect(grid.structuredContent?.totals).toMatchObject({ cells: 5_000, subjects: 500 });
      expect(grid.content[0]?.text).toMatch(/^Summarized to fit the answer budget: 5000 cells/);
    });

    it('pages by nextCursor: a pattern in any case, every event once', async () => {
      const call = callOf();
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ToolResult = await call('query_events', {
          ...DAY,
          subject: 'tenant-01*-PRODUCTION',
          source: 'fe',
          limit: 4,
          ...(cursor ? { cursor } : {}),
        });
        const data = page.structuredContent as {
          events: { id: string; subject: string; source: string }[];
          nextCursor: string | null;
          matched: { subjects: string[] };
        };
        expect(data.matched.subjects).toHaveLength(10);
        for (const e of data.events) {
          expect(e.subject).toMatch(/^TENANT-01\d-PRODUCTION$/);
          expect(e.source).toBe('FE');
          ids.push(e.id);
        }
        cursor = data.nextCursor;
      } while (cursor);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      const subjects: string[] = [];
      let next: string | null = null;
      do {
        const page: ToolResult = await call('list_event_subjects', {
          limit: 200,
          ...(next ? { cursor: next } : {}),
        });
        const data = page.structuredContent as { values: { name: string }[]; nextCursor: string | null };
        subjects.push(...data.values.map((v) => v.name));
        next = data.nextCursor;
      } while (next);
      expect(subjects.sort()).toEqual([...SUBJECTS].sort());
    });

    it('answers a near miss with the names that exist', async () => {
      const call = callOf();
      const miss = await call('query_events', { ...DAY, subject: 'tenant-007-prod' });
      expect(miss.isError).not.toBe(true);
      expect(miss.structuredContent?.events).toEqual([]);
      expect(miss.content[0]?.text).toMatch(
        /^no events for subject "tenant-007-prod"; subjects seen: TENANT-007-PRODUCTION/,
      );
      const changed = await call('what_changed', { time: DAY.to, subject: 'TENANT-007-PRD', window: '1h' });
      expect(changed.structuredContent?.note).toMatch(
        /^no events for subject "TENANT-007-PRD"; subjects seen: TENANT-007-PRODUCTION/,
      );
      const ranked = await call('what_changed', {
        time: DAY.to,
        subject: '*-production',
        window: '30m',
        limit: 5,
      });
      const top = (
        ranked.structuredContent as { ranked: { event: { subject: string }; reasons: string[] }[] }
      ).ranked[0];
      expect(top?.event.subject).toMatch(/-PRODUCTION$/);
      expect(top?.reasons.join(' ')).toContain('same subject');
    });
  });
});
