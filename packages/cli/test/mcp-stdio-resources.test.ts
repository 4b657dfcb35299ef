/**
 * `opstrails mcp` forwards more than tools: resources (the business context, the overview, the
 * MCP Apps views), prompts, completion and resource change notices, to a current (2026-07-28,
 * `subscriptions/listen`) and a 1.x (2025, `resources/subscribe`) client on stdio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as LegacyStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig, type RunningServer, startServer } from '@opstrails/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTEXT, seedFixture } from '../../../test-support/mcp-fixture.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli } from './cli-process.js';

/** Each test starts the bridge as a child process (one restarts the server): room on a loaded machine. */
const STDIO_TEST_MS = 120_000;

const BIN = fileURLToPath(
  new URL(`../../../test-artifacts/cli/opstrails-${process.pid}.mjs`, import.meta.url),
);

/** Resolves once `uris` holds `uri` (waits on the condition, not a clock). */
function until(uris: string[], uri: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (uris.includes(uri) ? resolve() : setTimeout(check, 20));
    check();
  });
}

/** Whether `uris` holds `uri` within `ms` (a bounded wait inside a retry loop, not an assertion on time). */
function within(uris: string[], uri: string, ms: number): Promise<boolean> {
  return Promise.race([
    until(uris, uri).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe('opstrails mcp (stdio): resources, prompts, completion, notices', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let writer: string;
  let contextUri: string;

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer('sqlite');
    writer = await server.key('READ_WRITE');
    await seedFixture(server, writer);
    contextUri = `opstrails://org/${server.defaultOrg.id}/business-context`;
    env = {
      ...getDefaultEnvironment(),
      OPSTRAILS_URL: server.url,
      OPSTRAILS_API_KEY: await server.key('READ_ONLY'),
    };
  });
  afterAll(async () => {
    await server?.close();
  });

  const putContext = async (context: string) => {
    const put = await server.api('/api/v1/context', {
      key: writer,
      method: 'PUT',
      body: JSON.stringify({ context }),
    });
    expect(put.status).toBe(200);
  };

  it(
    'current protocol: views, resources, prompts, completion and a notice on a listen stream',
    async () => {
      const client = new Client(
        { name: 'stdio-test', version: '1' },
        { versionNegotiation: { mode: 'auto' } },
      );
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env }));
      const notices: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        notices.push(n.params.uri);
      });
      try {
        expect(client.getProtocolEra()).toBe('modern');
        const { tools } = await client.listTools();
        const grid = tools.find((t) => t.name === 'get_environment_grid');
        const view = (grid?._meta as { ui?: { resourceUri?: string } } | undefined)?.ui
          ?.resourceUri as string;
        expect(view).toBe('ui://opstrails/environment-grid.html');
        const page = await client.readResource({ uri: view });
        expect(page.contents[0]?.mimeType).toBe('text/html;profile=mcp-app');
        const { resources } = await client.listResources();
        expect(resources.map((r) => r.uri)).toContain(contextUri);
        expect((await client.readResource({ uri: contextUri })).contents[0]).toMatchObject({
          text: FIXTURE_CONTEXT,
        });
        const { prompts } = await client.listPrompts();
        expect(prompts.map((p) => p.name).sort()).toEqual([
          'incident-triage',
          'release-review',
          'weekly-change-report',
        ]);
        const prompt = await client.getPrompt({
          name: 'incident-triage',
          arguments: { subject: 'PRODUCTION' },
        });
        expect(prompt.messages[0]?.content).toMatchObject({ type: 'text' });
        const { completion } = await client.complete({
          ref: { type: 'ref/prompt', name: 'incident-triage' },
          argument: { name: 'subject', value: 'prod' },
        });
        expect(completion.values).toEqual(['PRODUCTION']);

        const subscription = await client.listen({ resourceSubscriptions: [contextUri] });
        try {
          await putContext('Stdio listeners hear this.');
          await until(notices, contextUri);
        } finally {
          await subscription.close();
        }
      } finally {
        await client.close();
      }
    },
    STDIO_TEST_MS,
  );

  it(
    'listens again after the server restarts: a context stored on the new process is heard',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-restart-'));
      const config = (port: number) =>
        loadConfig({ OPSTRAILS_LOG_LEVEL: 'silent' }, { host: '127.0.0.1', port, dataDir });
      let running: RunningServer = await startServer(config(0));
      const port = Number(new URL(running.url).port);
      const org = running.defaultOrg.id;
      const readKey = (await running.store.apiKeys.create(org, 'reader', 'READ_ONLY')).key;
      const writeKey = (await running.store.apiKeys.create(org, 'writer', 'READ_WRITE')).key;
      const client = new Client(
        { name: 'stdio-restart', version: '1' },
        { versionNegotiation: { mode: 'auto' } },
      );
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [BIN, 'mcp'],
          env: { ...env, OPSTRAILS_URL: running.url, OPSTRAILS_API_KEY: readKey },
        }),
      );
      const notices: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        notices.push(n.params.uri);
      });
      const uri = `opstrails://org/${org}/business-context`;
      const subscription = await client.listen({ resourceSubscriptions: [uri] });
      try {
        await running.close();
        running = await startServer(config(port));
        // The bridge listens again on its own; store until a notice comes through.
        for (let i = 0; ; i++) {
          const put = await fetch(`${running.url}/api/v1/context`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ context: `After the restart (${i}).` }),
          });
          expect(put.status).toBe(200);
          if (await within(notices, uri, 500)) break;
        }
      } finally {
        await subscription.close();
        await client.close();
        await running.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    STDIO_TEST_MS,
  );

  it(
    '2025 protocol (1.x client): resources/subscribe, then a notice after the context changes',
    async () => {
      const client = new LegacyClient({ name: 'stdio-legacy', version: '1' });
      await client.connect(new LegacyStdio({ command: process.execPath, args: [BIN, 'mcp'], env }));
      const notices: string[] = [];
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        notices.push(n.params.uri);
      });
      try {
        expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
        const { completion } = await client.complete({
          ref: { type: 'ref/prompt', name: 'release-review' },
          argument: { name: 'version', value: '2.5' },
        });
        expect(completion.values).toEqual(['2.5.0']);
        await client.subscribeResource({ uri: contextUri });
        await putContext('Stdio 2025 subscribers hear this too.');
        await until(notices, contextUri);
        const read = await client.readResource({ uri: contextUri });
        expect((read.contents[0] as { text?: string }).text).toBe('Stdio 2025 subscribers hear this too.');
        // Only what it subscribed to: the overview changed too (it carries the context) but was not asked for.
        expect(notices.every((uri) => uri === contextUri)).toBe(true);
      } finally {
        await client.close();
      }
    },
    STDIO_TEST_MS,
  );
});
