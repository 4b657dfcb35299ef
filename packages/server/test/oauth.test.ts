/**
 * OAuth for remote MCP clients over real HTTP, on both engines: the discovery documents, dynamic
 * registration, the code flow with PKCE through the consent API, token rotation, and every way a
 * request must be refused. (The official MCP client and the consent page in a browser are
 * driven in packages/console/test/oauth-connect.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { loadConfig, startServer } from '@opstrails/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { type ConsoleClient, setupOwner } from '../../../test-support/console-client.js';
import {
  approve,
  authorize,
  consentRequestId,
  MCP_PATH,
  mcpInitialize,
  pkcePair,
  registerClient,
  tokenRequest,
} from '../../../test-support/oauth-steps.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const CALLBACK = 'http://127.0.0.1/callback';

describe.each(ENGINES)('OAuth for MCP clients (%s)', (engine) => {
  let server: TestServer;
  let owner: ConsoleClient;
  let orgId: string;
  let clientId: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    owner = await setupOwner(server);
    orgId = server.defaultOrg.id;
    clientId = await registerClient(server, [CALLBACK, 'https://assistant.example/oauth/callback']);
  });
  afterAll(async () => {
    await server?.close();
  });

  const resource = () => `${server.url}${MCP_PATH}`;

  /** Runs the flow up to the callback; returns the code and what the client needs to redeem it. */
  async function getCode(redirectUri = 'http://127.0.0.1:43123/callback', state = 'st-1', org = orgId) {
    const { verifier, challenge } = pkcePair();
    const res = await authorize(server, {
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: resource(),
      state,
    });
    const callback = await approve(owner, consentRequestId(res), org);
    return { code: callback.searchParams.get('code') as string, callback, verifier, redirectUri };
  }

  async function connect(org = orgId) {
    const { code, verifier, redirectUri } = await getCode(undefined, undefined, org);
    const res = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      client_id: clientId,
      resource: resource(),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
      scope: string;
    };
  }

  const refresh = (refreshToken: string) =>
    tokenRequest(server, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });

  it('publishes RFC 9728 and RFC 8414 metadata, and names it in the MCP 401', async () => {
    const unauthenticated = await mcpInitialize(server);
    expect(unauthenticated.status).toBe(401);
    const challenge = unauthenticated.headers.get('www-authenticate') ?? '';
    const metadataUrl = `${server.url}/.well-known/oauth-protected-resource${MCP_PATH}`;
    expect(challenge).toContain(`resource_metadata="${metadataUrl}"`);
    const prm = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    expect(prm).toMatchObject({ resource: resource(), authorization_servers: [server.url] });
    expect(await (await fetch(`${server.url}/.well-known/oauth-protected-resource`)).json()).toEqual(prm);
    const as = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(as).toMatchObject({
      issuer: server.url,
      authorization_endpoint: `${server.url}/oauth/authorize`,
      token_endpoint: `${server.url}/oauth/token`,
      registration_endpoint: `${server.url}/oauth/register`,
      revocation_endpoint: `${server.url}/oauth/revoke`,
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
    // Browser-based clients read these across origins (with a preflight for their headers).
    const preflight = await fetch(`${server.url}/oauth/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const discovery = await fetch(metadataUrl, { method: 'OPTIONS' });
    expect(discovery.headers.get('access-control-allow-headers')).toContain('mcp-protocol-version');
  });

  it('registers public clients and refuses redirect URIs that are neither https nor loopback', async () => {
    const ok = await fetch(`${server.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Editor',
        redirect_uris: ['http://localhost:33418/cb'],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ client_name: 'Editor', token_endpoint_auth_method: 'none' });
    expect(body.client_secret).toBeUndefined();
    for (const uri of ['http://evil.example/cb', 'javascript:alert(1)', 'https://x.example/cb#frag']) {
      const bad = await fetch(`${server.url}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Bad', redirect_uris: [uri] }),
      });
      expect(bad.status, uri).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_redirect_uri' });
    }
    const nameless = await fetch(`${server.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [CALLBACK] }),
    });
    expect(await nameless.json()).toMatchObject({
      error: 'invalid_client_metadata',
      error_description: expect.stringContaining('client_name'),
    });
  });

  it('runs the code flow: consent shows the client, the callback has code, state and iss, tokens act as the READ_ONLY key', async () => {
    const { verifier, challenge } = pkcePair();
    const res = await authorize(server, {
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1:50000/callback',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: resource(),
      state: 'abc',
    });
    const requestId = consentRequestId(res);
    const view = await owner.json<Record<string, unknown>>(`/api/v1/oauth/requests/${requestId}`);
    expect(view).toMatchObject({
      client: { name: 'Test Assistant', kind: 'registered', documentHost: null },
      redirectHost: '127.0.0.1:50000',
      redirectIsLocal: true,
      keyName: 'MCP — Test Assistant',
      organizations: [{ id: orgId, role: 'OWNER' }],
    });
    const callback = await approve(owner, requestId, orgId);
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1:50000/callback');
    expect(callback.searchParams.get('state')).toBe('abc');
    expect(callback.searchParams.get('iss')).toBe(server.url);
    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') as string,
      code_verifier: verifier,
      redirect_uri: 'http://127.0.0.1:50000/callback',
      client_id: clientId,
      resource: resource(),
    });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    const tokens = (await token.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'opstrails:read' });
    const mcp = await mcpInitialize(server, tokens.access_token as string);
    expect(mcp.status).toBe(200);
    const keys = await server.store.apiKeys.list(orgId);
    expect(keys.filter((k) => k.name === 'MCP — Test Assistant')).toMatchObject([{ scope: 'READ_ONLY' }]);
    // The token is the READ_ONLY key: reading is fine, sending events is not, and it only opens MCP.
    const events = await server.api('/api/v1/events', { key: tokens.access_token as string });
    expect(events.status).toBe(401);
  });

  it('counts tool calls made with a token against the organization’s MCP quota, as its key', async () => {
    const free = await server.store.organizations.create(`free-${engine}`, 'Free org', 'free');
    const user = await server.store.users.byEmail('owner@example.com');
    await server.store.memberships.add(user?.id as string, free.id, 'OWNER');
    const tokens = await connect(free.id);
    const client = new Client({ name: 'oauth-quota', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(resource()), {
        authProvider: { token: async () => tokens.access_token },
      }),
    );
    try {
      expect((await client.callTool({ name: 'list_event_types', arguments: {} })).isError).toBeFalsy();
      expect((await server.store.usage.get(free.id, 'mcp_calls', Date.now())).month).toBe(1);
      await server.store.usage.add(free.id, 'mcp_calls', 99, Date.now());
      const refused = await client.callTool({ name: 'list_event_types', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('monthly MCP tool call limit reached');
      // The connection's key is one of the free plan's two keys: a third connection must wait for a free one.
      expect((await server.store.apiKeys.list(free.id)).map((k) => k.name)).toEqual(['MCP — Test Assistant']);
      await server.key('READ_ONLY', free.id);
      const other = await registerClient(server, [CALLBACK], 'Another Assistant');
      const requestId = consentRequestId(
        await authorize(server, {
          client_id: other,
          redirect_uri: CALLBACK,
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
          resource: resource(),
        }),
      );
      const full = await owner.call(`/api/v1/oauth/requests/${requestId}/approve`, {
        method: 'POST',
        body: { organizationId: free.id },
      });
      expect(full.status).toBe(403);
      expect(((await full.json()) as { error: string }).error).toMatch(/free plan of Free org allows 2/);
      expect((await owner.call(`/api/v1/oauth/requests/${requestId}`)).status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it('rotates refresh tokens; replaying a used one revokes the connection and its key', async () => {
    const first = await connect();
    const rotated = await refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await mcpInitialize(server, second.access_token)).status).toBe(200);
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant', error_description: /already used/ });
    expect((await mcpInitialize(server, second.access_token)).status).toBe(401);
    expect((await refresh(second.refresh_token)).status).toBe(400);
  });

  it('refuses a missing or plain PKCE, a wrong redirect URI and a resource of another server', async () => {
    const { challenge } = pkcePair();
    const base = { client_id: clientId, redirect_uri: CALLBACK, resource: resource(), state: 's' };
    const errorOf = (res: Response) => {
      expect(res.status).toBe(302);
      const url = new URL(res.headers.get('location') ?? '');
      expect(url.origin + url.pathname).toBe(CALLBACK);
      expect(url.searchParams.get('iss')).toBe(server.url);
      expect(url.searchParams.get('state')).toBe('s');
      return { error: url.searchParams.get('error'), description: url.searchParams.get('error_description') };
    };
    expect(errorOf(await authorize(server, base))).toEqual({
      error: 'invalid_request',
      description: 'code_challenge: is required; this server needs PKCE with S256',
    });
    const plain = errorOf(
      await authorize(server, { ...base, code_challenge: challenge, code_challenge_method: 'plain' }),
    );
    expect(plain).toMatchObject({
      error: 'invalid_request',
      description: expect.stringContaining('must be S256'),
    });
    const noMethod = errorOf(await authorize(server, { ...base, code_challenge: challenge }));
    expect(noMethod.description).toContain('plain, is not accepted');
    const other = errorOf(
      await authorize(server, {
        ...base,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: 'https://other.example/mcp',
      }),
    );
    expect(other.error).toBe('invalid_target');
    const noResource = errorOf(
      await authorize(server, {
        ...base,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: '',
      }),
    );
    expect(noResource.description).toContain('resource: is required');
    // A redirect URI the client never registered is not redirected to at all.
    const wrong = await authorize(server, {
      ...base,
      redirect_uri: 'https://attacker.example/callback',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('location')).toBeNull();
    expect(await wrong.json()).toMatchObject({ error: 'invalid_request', error_description: /redirect_uri/ });
    const unknown = await authorize(server, { ...base, client_id: 'otc_nope', code_challenge: challenge });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a reused code (revoking what it gave), a wrong verifier, another redirect URI or resource at the token endpoint', async () => {
    const used = await getCode();
    const redeem = (over: Record<string, string> = {}, got = used) =>
      tokenRequest(server, {
        grant_type: 'authorization_code',
        code: got.code,
        code_verifier: got.verifier,
        redirect_uri: got.redirectUri,
        client_id: clientId,
        ...over,
      });
    const first = await redeem();
    expect(first.status).toBe(200);
    const { access_token } = (await first.json()) as { access_token: string };
    const again = await redeem();
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant', error_description: /already used/ });
    expect((await mcpInitialize(server, access_token)).status).toBe(401);

    const wrongVerifier = await redeem({ code_verifier: pkcePair().verifier }, await getCode());
    expect(await wrongVerifier.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: /code_verifier/,
    });
    const wrongRedirect = await redeem({ redirect_uri: 'http://127.0.0.1:1/other' }, await getCode());
    expect(await wrongRedirect.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: /redirect_uri/,
    });
    const wrongResource = await redeem({ resource: 'https://other.example/mcp' }, await getCode());
    expect(await wrongResource.json()).toMatchObject({ error: 'invalid_target' });
    const missingVerifier = await redeem({ code_verifier: '' }, await getCode());
    expect(await missingVerifier.json()).toMatchObject({
      error: 'invalid_request',
      error_description: /code_verifier/,
    });
  });

  it('refuses an expired, revoked or refresh token at the MCP endpoint', async () => {
    const expired = await connect();
    await server.store.db
      .updateTable('oauth_tokens')
      .set({ expires_at: Date.now() - 1 })
      .where('kind', '=', 'access')
      .execute();
    const res = await mcpInitialize(server, expired.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The refresh token still works: a client with an expired access token refreshes.
    expect((await refresh(expired.refresh_token)).status).toBe(200);

    const revoked = await connect();
    const rev = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: revoked.access_token, client_id: clientId }),
    });
    expect(rev.status).toBe(200);
    expect((await mcpInitialize(server, revoked.access_token)).status).toBe(401);
    expect((await mcpInitialize(server, revoked.refresh_token)).status).toBe(401);
    const unknown = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'ota_unknown' }),
    });
    expect(unknown.status).toBe(200);
  });

  it('ends the client within a second when its key is deleted in the console', async () => {
    const tokens = await connect();
    expect((await mcpInitialize(server, tokens.access_token)).status).toBe(200);
    const keys = await owner.json<{ id: string; name: string }[]>('/api/v1/keys');
    const key = keys.find((k) => k.name === 'MCP — Test Assistant');
    const deleted = await owner.call(`/api/v1/keys/${key?.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const started = Date.now();
    await expect
      .poll(async () => (await mcpInitialize(server, tokens.access_token)).status, { timeout: 1000 })
      .toBe(401);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await refresh(tokens.refresh_token)).status).toBe(400);
    // Connecting again makes a new key.
    const fresh = await connect();
    expect((await mcpInitialize(server, fresh.access_token)).status).toBe(200);
  });

  it('ends the client within a second when `opstrails keys revoke` revokes its key', async () => {
    const tokens = await connect();
    const key = (await server.store.apiKeys.list(orgId)).find((k) => k.name === 'MCP — Test Assistant');
    const revoked = await runCli(['keys', 'revoke', key?.id as string], server.storeEnv);
    expect(revoked.code, revoked.stderr).toBe(0);
    await expect
      .poll(async () => (await mcpInitialize(server, tokens.access_token)).status, { timeout: 1000 })
      .toBe(401);
  });

  it('sends a denial back as access_denied, and approves only for the user’s own organizations', async () => {
    const { challenge } = pkcePair();
    const params = {
      client_id: clientId,
      redirect_uri: CALLBACK,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: resource(),
      state: 'q',
    };
    const other = await server.store.organizations.create(`other-${engine}`, 'Other');
    const foreign = await owner.call(
      `/api/v1/oauth/requests/${consentRequestId(await authorize(server, params))}/approve`,
      {
        method: 'POST',
        body: { organizationId: other.id },
      },
    );
    expect(foreign.status).toBe(403);
    const requestId = consentRequestId(await authorize(server, params));
    const { redirectTo } = await owner.json<{ redirectTo: string }>(
      `/api/v1/oauth/requests/${requestId}/deny`,
      {
        method: 'POST',
        body: {},
      },
    );
    const url = new URL(redirectTo);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('q');
    const gone = await owner.call(`/api/v1/oauth/requests/${requestId}`);
    expect(gone.status).toBe(404);
  });

  it('refuses a token issued for another resource: a server at another public URL on the same store', async () => {
    const tokens = await connect();
    const config = loadConfig(
      {
        ...server.storeEnv,
        OPSTRAILS_LOG_LEVEL: 'silent',
        OPSTRAILS_PUBLIC_URL: 'https://elsewhere.example',
      },
      { host: '127.0.0.1', port: 0 },
    );
    const second = await startServer(config, { poolSize: 2 });
    try {
      const res = await fetch(`${second.url}${MCP_PATH}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.access_token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: '{}',
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toContain(
        'not for https://elsewhere.example/api/mcp/mcp',
      );
      expect(res.headers.get('www-authenticate')).toContain(
        'resource_metadata="https://elsewhere.example/.well-known/oauth-protected-resource/api/mcp/mcp"',
      );
    } finally {
      await second.close();
    }
  });
});

describe('OAuth client metadata documents', () => {
  let docServer: Server;
  let docUrl: string;
  let fetched = 0;
  let document: Record<string, unknown> = {};

  beforeAll(async () => {
    docServer = createServer((_req, res) => {
      fetched++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(document));
    });
    await new Promise<void>((resolve) => docServer.listen(0, '127.0.0.1', resolve));
    docUrl = `http://127.0.0.1:${(docServer.address() as AddressInfo).port}/client.json`;
    document = {
      client_id: docUrl,
      client_name: 'Doc Client',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
    };
  });
  afterAll(async () => {
    await new Promise((resolve) => docServer.close(resolve));
  });

  const params = () => ({
    client_id: docUrl,
    redirect_uri: 'http://127.0.0.1:40000/callback',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  });

  it('refuses a metadata document on 127.0.0.1 while the address policy is on, before connecting', async () => {
    const server = await startTestServer('sqlite', { OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS: '1' });
    try {
      const before = fetched;
      const res = await authorize(server, { ...params(), resource: `${server.url}${MCP_PATH}` });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toBe('invalid_client');
      expect(body.error_description).toContain('127.0.0.1 is a loopback address');
      expect(body.error_description).toContain('OPSTRAILS_ALLOW_PRIVATE_TARGETS');
      expect(fetched).toBe(before);
    } finally {
      await server.close();
    }
  });

  it('refuses an http client_id unless local development allows it', async () => {
    const server = await startTestServer('sqlite', { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    try {
      const res = await authorize(server, { ...params(), resource: `${server.url}${MCP_PATH}` });
      expect(await res.json()).toMatchObject({
        error: 'invalid_client',
        error_description: expect.stringContaining('OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS'),
      });
    } finally {
      await server.close();
    }
  });

  it('fetches, validates and caches an allowed document; the consent page names its host', async () => {
    const server = await startTestServer('sqlite', {
      OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS: '1',
      OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
    });
    try {
      const owner = await setupOwner(server);
      const resource = `${server.url}${MCP_PATH}`;
      document = { ...document, client_id: `${docUrl}?other` };
      const mismatched = await authorize(server, { ...params(), resource });
      expect(await mismatched.json()).toMatchObject({
        error: 'invalid_client',
        error_description: expect.stringContaining('client_id must be exactly its own URL'),
      });
      document = { ...document, client_id: docUrl };
      const { verifier, challenge } = pkcePair();
      const res = await authorize(server, { ...params(), code_challenge: challenge, resource });
      const requestId = consentRequestId(res);
      const view = await owner.json<Record<string, unknown>>(`/api/v1/oauth/requests/${requestId}`);
      expect(view).toMatchObject({
        client: { name: 'Doc Client', kind: 'metadata-document', documentHost: new URL(docUrl).host },
      });
      const fetchedOnce = fetched;
      const callback = await approve(owner, requestId, server.defaultOrg.id);
      const token = await tokenRequest(server, {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') as string,
        code_verifier: verifier,
        redirect_uri: 'http://127.0.0.1:40000/callback',
        client_id: docUrl,
        resource,
      });
      expect(token.status).toBe(200);
      // A second authorization within the cache lifetime does not fetch the document again.
      consentRequestId(await authorize(server, { ...params(), resource }));
      expect(fetched).toBe(fetchedOnce);
    } finally {
      await server.close();
    }
  });
});
