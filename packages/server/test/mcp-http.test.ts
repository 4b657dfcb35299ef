/**
 * The MCP endpoint over real HTTP with the official clients: the current line (2.x) negotiating
 * the 2026-07-28 protocol, and the 1.x line on the 2025 protocol; every tool on the fixture.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_RANKING, seedFixture } from '../../../test-support/mcp-fixture.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const CONTRACT_TOOLS = [
  'get_organization_context',
  'query_events',
  'get_event_summary',
  'list_event_types',
  'list_event_sources',
  'list_event_subjects',
  'get_metrics_around_event',
];

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

describe.each(ENGINES)('MCP over HTTP (%s)', (engine) => {
  let server: TestServer;
  let client: Client;
  let key: string;

  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as ToolResult;
  const data = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await call(name, args);
    expect(result.isError, JSON.stringify(result.content)).not.toBe(true);
    return result.structuredContent as Record<string, unknown> & {
      suggested_next: { tool: string; arguments: Record<string, unknown>; reason: string }[];
    };
  };

  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
    await seedFixture(server, key);
    client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await server.key('READ_ONLY')}` } },
      }),
    );
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('negotiates the current protocol and lists every tool, read-only, with schemas', async () => {
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        ...CONTRACT_TOOLS,
        'get_event',
        'get_environment_grid',
        'what_changed',
        'get_promotion_path',
        'get_dora_metrics',
      ]),
    );
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect((tool.inputSchema as { additionalProperties?: unknown }).additionalProperties, tool.name).toBe(
        false,
      );
    }
  });

  it('gives the business context, limits and vocabulary in the instructions', () => {
    const instructions = client.getInstructions() ?? '';
    expect(instructions).toContain('BE and DB deployments are tightly coupled');
    expect(instructions).toMatch(/Subjects seen: PRODUCTION \(6\)/);
    expect(instructions).not.toContain('TEMPLATE');
  });

  it('get_organization_context', async () => {
    const ctx = await data('get_organization_context');
    expect((ctx.businessContext as { isTemplate: boolean; text: string }).isTemplate).toBe(false);
    expect((ctx.organization as { plan: string }).plan).toBe('unlimited');
    expect((ctx.seen as { sources: { name: string; count: number }[] }).sources[0]).toMatchObject({
      name: 'BE',
      count: 5,
    });
    expect((ctx.usage as { mcpCalls: number }).mcpCalls).toBeGreaterThanOrEqual(1);
    expect(ctx.fields).toHaveProperty('subject');
    expect(ctx.suggested_next.length).toBeGreaterThan(0);
  });

  it('query_events filters, newest first', async () => {
    const result = await data('query_events', {
      from: '2026-11-13T00:00:00Z',
      to: '2026-11-15T00:00:00Z',
      source: 'BE',
      subject: 'PRODUCTION',
    });
    expect((result.events as { id: string }[]).map((e) => e.id)).toEqual([
      'inc-1',
      'be-prd-250',
      'be-prd-240',
    ]);
    expect(result.hasMore).toBe(false);
    expect(result.suggested_next[0]).toMatchObject({ tool: 'what_changed', arguments: { eventId: 'inc-1' } });
    const critical = await data('query_events', { severity: 'critical', limit: 5 });
    expect((critical.events as { id: string }[]).map((e) => e.id)).toEqual(['inc-1']);
    const text = await call('query_events', { search: 'hotfix' });
    expect(text.content[0]?.text).toContain('be-prd-250');
  });

  it('get_event_summary counts by type and shows the recent events', async () => {
    const summary = await data('get_event_summary', {
      from: '2026-11-14T00:00:00Z',
      to: '2026-11-15T00:00:00Z',
    });
    expect(summary.total).toBe(5);
    expect(summary.byType).toEqual([
      { type: 'deployment', count: 2 },
      { type: 'cache-purge', count: 1 },
      { type: 'db-migration', count: 1 },
      { type: 'incident', count: 1 },
    ]);
    expect((summary.recent as { id: string }[])[0]?.id).toBe('inc-1');
  });

  it('list_event_types, list_event_sources, list_event_subjects', async () => {
    const types = await data('list_event_types');
    expect(types.values).toContainEqual(expect.objectContaining({ name: 'deployment', count: 7 }));
    const sources = await data('list_event_sources');
    expect((sources.values as { name: string; count: number }[]).map((v) => [v.name, v.count])).toEqual(
      [
        ['BE', 5],
        ['FE', 3],
        ['CACHE', 1],
        ['DB', 1],
      ].sort((a, b) => (b[1] as number) - (a[1] as number) || String(a[0]).localeCompare(String(b[0]))),
    );
    const subjects = await data('list_event_subjects');
    expect(subjects.values).toContainEqual(expect.objectContaining({ name: 'PRODUCTION', count: 6 }));
    expect(subjects.values).toContainEqual(expect.objectContaining({ name: 'STAGING', count: 3 }));
  });

  it('get_metrics_around_event says no metric is mapped and invents nothing', async () => {
    const metrics = await data('get_metrics_around_event', { eventId: 'be-prd-250' });
    expect(metrics.metricsMapped).toBe(false);
    expect(metrics.metrics).toEqual([]);
    expect(metrics.message).toContain('No metric is mapped for subject PRODUCTION');
    expect(metrics.window).toMatchObject({ duration: '2h', before: { from: '2026-11-13T23:30:00.000Z' } });
    const missing = await call('get_metrics_around_event', {});
    expect(missing.isError).toBe(true);
    expect(missing.content[0]?.text).toContain('give eventId');
  });

  it('refuses a misspelled argument, naming it and the right ones', async () => {
    const result = await call('query_events', { frm: '-2h' });
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain('"frm"');
    expect(result.content[0]?.text).toContain('from');
    const badTime = await call('query_events', { from: 'yesterday' });
    expect(badTime.isError).toBe(true);
    expect(badTime.content[0]?.text).toMatch(/from: .*yesterday/);
    const noArgs = await call('get_organization_context', { type: 'x' });
    expect(noArgs.isError).toBe(true);
    expect(noArgs.content[0]?.text).toContain('takes no arguments');
    const listArgs = await call('list_event_types', { type: 'x' });
    expect(listArgs.isError).toBe(true);
    expect(listArgs.content[0]?.text).toContain('this tool takes limit, cursor');
  });

  it('serves a 1.x client on the 2025 protocol with the same answers', async () => {
    const legacy = new LegacyClient({ name: 'legacy', version: '1.0.0' });
    const transport = new LegacyTransport(new URL(`${server.url}/api/mcp/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await legacy.connect(transport);
    try {
      expect(transport.protocolVersion).toMatch(/^2025-/);
      expect(legacy.getInstructions()).toContain('BE and DB deployments are tightly coupled');
      const { tools } = await legacy.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(CONTRACT_TOOLS));
      const result = (await legacy.callTool({
        name: 'query_events',
        arguments: { source: 'BE', subject: 'PRODUCTION', limit: 1 },
      })) as ToolResult;
      expect((result.structuredContent?.events as { id: string }[] | undefined)?.[0]?.id).toBe('inc-1');
      const bad = (await legacy.callTool({ name: 'query_events', arguments: { sourc: 'BE' } })) as ToolResult;
      expect(bad.isError).toBe(true);
      expect(bad.content[0]?.text).toContain('"sourc"');
    } finally {
      await legacy.close();
    }
  });

  it('keeps organizations apart', async () => {
    const other = await server.store.organizations.create(`other-${engine}`, 'Other');
    const otherClient = new Client(
      { name: 'other', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await otherClient.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await server.key('READ_ONLY', other.id)}` } },
      }),
    );
    try {
      const result = (await otherClient.callTool({ name: 'query_events', arguments: {} })) as ToolResult;
      expect(result.structuredContent?.count).toBe(0);
      const ctx = (await otherClient.callTool({
        name: 'get_organization_context',
        arguments: {},
      })) as ToolResult;
      expect(
        (ctx.structuredContent?.businessContext as { isTemplate: boolean } | undefined)?.isTemplate,
      ).toBe(true);
      expect(otherClient.getInstructions()).toContain('TEMPLATE');
    } finally {
      await otherClient.close();
    }
  });

  it('what_changed ranks the skipped-staging night deploy first, with its reasons', async () => {
    const result = await data('what_changed', { eventId: 'inc-1' });
    const ranked = result.ranked as { event: { id: string }; reasons: string[]; rank: number }[];
    expect(ranked.map((r) => r.event.id)).toEqual(EXPECTED_RANKING);
    const top = ranked[0]?.reasons.join('\n') ?? '';
    expect(top).toContain('same subject (PRODUCTION)');
    expect(top).toContain('no staging deploy of that version');
    expect(top).toContain('outside the deploy window (9:00–18:00 CET, weekdays)');
    expect(top).toContain('Sat 02:30');
    expect(ranked[1]?.reasons.join('\n')).toContain('coupled with BE per the business context');
    expect(result.rulesApplied).toHaveLength(3);
    expect(result.suggested_next).toContainEqual(
      expect.objectContaining({ tool: 'get_promotion_path', arguments: { version: '2.5.0', source: 'BE' } }),
    );
    const byTime = await data('what_changed', {
      time: '2026-11-14T02:15:00Z',
      subject: 'PRODUCTION',
      window: '30m',
    });
    expect((byTime.ranked as { event: { id: string } }[]).map((r) => r.event.id)).toEqual([
      'inc-1',
      'cache-purge-1',
      'fe-stg-310',
    ]);
  });

  it('get_environment_grid shows which version runs where and the drift', async () => {
    // The fixture lies in November 2026; a wide range keeps this test true in later years.
    const grid = await data('get_environment_grid', { days: 3650 });
    expect(grid.subjects).toEqual(['DEVELOPMENT', 'STAGING', 'PRODUCTION']);
    const cells = grid.cells as {
      source: string;
      subject: string;
      type: string;
      latestVersion: string | null;
    }[];
    expect(cells.find((c) => c.source === 'BE' && c.subject === 'PRODUCTION')).toMatchObject({
      type: 'incident',
      latestVersion: '2.5.0',
    });
    expect(cells.find((c) => c.source === 'FE' && c.subject === 'STAGING')?.latestVersion).toBe('3.1.0');
    const drift = grid.drift as { source: string; summary: string }[];
    expect(drift.map((d) => d.source)).toEqual(['BE', 'FE']);
    expect(drift[1]?.summary).toBe('FE: STAGING runs 3.1.0, PRODUCTION runs 3.0.0 (waiting for promotion)');
  });

  it('get_promotion_path lists the steps and the skipped staging rung', async () => {
    const path = await data('get_promotion_path', { version: '2.5.0', source: 'BE' });
    expect((path.steps as { subject: string }[]).map((s) => s.subject)).toEqual([
      'DEVELOPMENT',
      'PRODUCTION',
    ]);
    expect(path.skipped).toEqual([expect.objectContaining({ subject: 'PRODUCTION', skipped: ['STAGING'] })]);
    const clean = await data('get_promotion_path', { version: '2.4.0' });
    expect((clean.steps as { subject: string }[]).map((s) => s.subject)).toEqual(['STAGING', 'PRODUCTION']);
    expect(clean.skipped).toEqual([]);
    const unknown = await call('get_promotion_path', { version: '9.9.9' });
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]?.text).toContain('no event carries version "9.9.9"');
  });

  it('get_event returns the full event, and says how to find ids when unknown', async () => {
    const one = await data('get_event', { id: 'be-prd-250' });
    expect(one.event).toMatchObject({
      id: 'be-prd-250',
      version: '2.5.0',
      data: { description: 'hotfix for payments' },
    });
    const missing = await call('get_event', { id: 'nope' });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]?.text).toContain('query_events');
  });
});
