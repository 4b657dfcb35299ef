/**
 * Clients of the 2025 revisions connect with OAuth too: the 1.x official SDK's OAuth support
 * (@modelcontextprotocol/sdk) discovers the server from the 401, registers, redeems the code with
 * PKCE and calls tools with the token. The consent is answered through the console API here; the
 * browser walk-through is in packages/console/test/oauth-connect.test.ts.
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOwner } from '../../../test-support/console-client.js';
import { approve, consentRequestId, MCP_PATH } from '../../../test-support/oauth-steps.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const REDIRECT = 'http://127.0.0.1:47001/callback';

class MemoryProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata: OAuthClientMetadata = {
    client_name: 'Legacy Assistant',
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

describe.each(ENGINES)('OAuth with the 1.x SDK (%s)', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('discovers, registers, redeems the code and calls tools with the token', async () => {
    const owner = await setupOwner(server);
    const mcpUrl = new URL(`${server.url}${MCP_PATH}`);
    const provider = new MemoryProvider();
    const transport = new LegacyTransport(mcpUrl, { authProvider: provider });
    await expect(new LegacyClient({ name: 'legacy', version: '1' }).connect(transport)).rejects.toThrow(
      /Unauthorized/,
    );
    expect(provider.client?.client_id).toMatch(/^otc_/);
    const authorizationUrl = provider.authorizationUrl as URL;
    expect(authorizationUrl.searchParams.get('resource')).toBe(mcpUrl.href);

    const res = await fetch(authorizationUrl, { redirect: 'manual' });
    const callback = await approve(owner, consentRequestId(res), server.defaultOrg.id);
    expect(callback.searchParams.get('iss')).toBe(server.url);
    await transport.finishAuth(callback.searchParams.get('code') as string);
    expect(provider.saved?.access_token).toMatch(/^ota_/);

    const client = new LegacyClient({ name: 'legacy', version: '1' });
    await client.connect(new LegacyTransport(mcpUrl, { authProvider: provider }));
    const context = await client.callTool({ name: 'get_organization_context', arguments: {} });
    expect(context.isError).toBeFalsy();
    await client.close();
  });
});
