/** The MCP endpoint's gate: API-key auth with a WWW-Authenticate challenge, every HTTP method routed, the monthly MCP quota. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

describe.each(ENGINES)('MCP auth and quota (%s)', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (headers: Record<string, string>, body: unknown = INITIALIZE) =>
    fetch(`${server.url}/api/mcp/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it('answers 401 with a Bearer challenge when the key is missing', async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="opstrails", resource_metadata="${server.url}/.well-known/oauth-protected-resource/api/mcp/mcp", scope="opstrails:read"`,
    );
    expect(await res.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
  });

  it('answers 401 with error="invalid_token" for an unknown or revoked key', async () => {
    const unknown = await post({ authorization: 'Bearer ot_not_a_real_key' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="opstrails", resource_metadata="[^"]+", scope="opstrails:read", error="invalid_token"/,
    );
    const key = await server.key('READ_ONLY');
    const [info] = await server.store.apiKeys.list(server.defaultOrg.id);
    await server.store.apiKeys.revoke(server.defaultOrg.id, info?.id as string);
    const revoked = await post({ authorization: `Bearer ${key}` });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('authenticates every HTTP method before the MCP handler, and hands them all to it', async () => {
    for (const method of ['GET', 'DELETE', 'PUT', 'PATCH']) {
      const res = await fetch(`${server.url}/api/mcp/mcp`, { method });
      expect(res.status, method).toBe(401);
    }
    const key = await server.key('READ_ONLY');
    const get = await fetch(`${server.url}/api/mcp/mcp`, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    });
    // Stateless serving has no standalone stream: the SDK itself answers 405, not our 404.
    expect(get.status).toBe(405);
    const ok = await post({ authorization: `Bearer ${key}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('"serverInfo"');
  });

  it('accepts READ_WRITE keys too', async () => {
    const res = await post({ authorization: `Bearer ${await server.key('READ_WRITE')}` });
    expect(res.status).toBe(200);
  });

  it('counts tool calls and refuses them past the plan limit, naming the limit and the reset date', async () => {
    const org = await server.store.organizations.create(`quota-${engine}`, 'Quota', 'free');
    const now = Date.now();
    await server.store.usage.add(org.id, 'mcp_calls', 99, now);
    const client = new Client({ name: 'quota', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await server.key('READ_ONLY', org.id)}` } },
      }),
    );
    try {
      const last = await client.callTool({ name: 'list_event_types', arguments: {} });
      expect(last.isError).not.toBe(true);
      expect((await server.store.usage.get(org.id, 'mcp_calls', Date.now())).month).toBe(100);
      const refused = await client.callTool({ name: 'list_event_types', arguments: {} });
      expect(refused.isError).toBe(true);
      const text = (refused.content as { text: string }[])[0]?.text ?? '';
      const d = new Date(now);
      const reset = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
      expect(text).toContain('100 of 100');
      expect(text).toContain(reset);
      expect((await server.store.usage.get(org.id, 'mcp_calls', Date.now())).month).toBe(100);
    } finally {
      await client.close();
    }
  });
});
