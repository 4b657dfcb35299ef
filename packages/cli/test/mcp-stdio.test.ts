/**
 * `opstrails mcp` as a real child process speaking MCP on stdio, forwarding to a real server:
 * the current SDK client (negotiating the 2026-07-28 protocol) and a 1.x client get the same
 * tools and the same answers as over HTTP.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as LegacyStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_RANKING, seedFixture } from '../../../test-support/mcp-fixture.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { TOOLS } from '../../server/src/mcp/tools/index.js';
import { buildCli, runCli } from './cli-process.js';

const BIN = fileURLToPath(
  new URL(`../../../test-artifacts/cli/opstrails-${process.pid}.mjs`, import.meta.url),
);

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

const rankingOf = (result: ToolResult) =>
  (result.structuredContent?.ranked as { event: { id: string } }[] | undefined)?.map((r) => r.event.id);

describe('opstrails mcp (stdio)', () => {
  let server: TestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer('sqlite');
    const key = await server.key('READ_WRITE');
    await seedFixture(server, key);
    env = {
      ...getDefaultEnvironment(),
      OPSTRAILS_URL: server.url,
      OPSTRAILS_API_KEY: await server.key('READ_ONLY'),
    };
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the current protocol with the same tools and answers as HTTP', async () => {
    const client = new Client({ name: 'stdio-test', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env }));
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(client.getInstructions()).toContain('BE and DB deployments are tightly coupled');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOLS.map((t) => t.name).sort());
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const ranked = (await client.callTool({
        name: 'what_changed',
        arguments: { eventId: 'inc-1' },
      })) as ToolResult;
      expect(rankingOf(ranked)).toEqual(EXPECTED_RANKING);
      const bad = (await client.callTool({
        name: 'what_changed',
        arguments: { eventID: 'inc-1' },
      })) as ToolResult;
      expect(bad.isError).toBe(true);
      expect(bad.content[0]?.text).toContain('"eventID"');
    } finally {
      await client.close();
    }
  });

  it('serves a 1.x client on the 2025 protocol', async () => {
    const client = new LegacyClient({ name: 'stdio-legacy', version: '1' });
    await client.connect(new LegacyStdio({ command: process.execPath, args: [BIN, 'mcp'], env }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('get_promotion_path');
      const path = (await client.callTool({
        name: 'get_promotion_path',
        arguments: { version: '2.5.0', source: 'BE' },
      })) as ToolResult;
      expect(path.structuredContent?.skipped).toEqual([
        expect.objectContaining({ subject: 'PRODUCTION', skipped: ['STAGING'] }),
      ]);
    } finally {
      await client.close();
    }
  });

  it('exits with the fix when the key is refused', async () => {
    const result = await runCli(['mcp'], { OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: 'ot_wrong' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused the API key (401)');
    expect(result.stdout).toBe('');
  });
});
