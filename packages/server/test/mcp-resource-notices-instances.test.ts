/**
 * Two server instances on one PostgreSQL schema: a client listening on one instance hears of a
 * business context stored through the other, and of events sent to the other. (PostgreSQL only:
 * several instances need a shared database.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { loadConfig, type RunningServer, startServer } from '@opstrails/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const until = (check: () => boolean) =>
  new Promise<void>((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 20));
    poll();
  });

describe.runIf(PG_URL)('MCP resource notices across instances (postgres)', () => {
  let first: TestServer;
  let second: RunningServer;
  let secondDir: string;

  beforeAll(async () => {
    first = await startTestServer('postgres');
    secondDir = mkdtempSync(join(tmpdir(), 'opstrails-second-'));
    second = await startServer(
      loadConfig(
        { OPSTRAILS_LOG_LEVEL: 'silent' },
        { host: '127.0.0.1', port: 0, dataDir: secondDir, databaseUrl: first.storeEnv.DATABASE_URL },
      ),
      { poolSize: 2 },
    );
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    rmSync(secondDir, { recursive: true, force: true });
  });

  it('a context stored on one instance and an event sent to it reach a listener on the other', async () => {
    const org = await first.store.organizations.create('relay', 'Relay');
    const writer = await first.key('READ_WRITE', org.id);
    const client = new Client({ name: 'listener', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${second.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await first.key('READ_ONLY', org.id)}` } },
      }),
    );
    const notices: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => {
      notices.push(n.params.uri);
    });
    const contextUri = `opstrails://org/${org.id}/business-context`;
    const overviewUri = `opstrails://org/${org.id}/overview`;
    const subscription = await client.listen({ resourceSubscriptions: [contextUri, overviewUri] });
    try {
      // A fresh organization: its first event is announced at once, through the live bus's fan-out.
      const sent = await first.api('/api/v1/events', {
        key: writer,
        method: 'POST',
        body: JSON.stringify({
          specversion: '1.0',
          source: 'BE',
          subject: 'PRODUCTION',
          type: 'deployment',
          time: 'NOW',
        }),
      });
      expect(sent.status).toBe(201);
      await until(() => notices.includes(overviewUri));
      const put = await first.api('/api/v1/context', {
        key: writer,
        method: 'PUT',
        body: JSON.stringify({ context: 'Stored on the first instance.' }),
      });
      expect(put.status).toBe(200);
      await until(() => notices.includes(contextUri));
      const read = await client.readResource({ uri: contextUri });
      expect((read.contents[0] as { text?: string }).text).toBe('Stored on the first instance.');
    } finally {
      await subscription.close();
      await client.close();
    }
  });
});
