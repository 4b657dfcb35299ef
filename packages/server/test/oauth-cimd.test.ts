/**
 * The current MCP revision's preferred client identification, end to end with the official
 * client: its `client_id` is the https URL of its metadata document, which the server fetches
 * (through the outbound address policy, 127.0.0.1 allowed here, and a private CA trusted through
 * OPSTRAILS_OUTBOUND_CA_FILE), validates, and shows on the consent page by host. No registration.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  Client,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOwner } from '../../../test-support/console-client.js';
import { type LoopbackCert, loopbackCert } from '../../../test-support/loopback-tls.js';
import { approve, consentRequestId, MCP_PATH } from '../../../test-support/oauth-steps.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const REDIRECT = 'http://127.0.0.1:47002/callback';

class DocumentClientProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  discovery?: OAuthDiscoveryState;
  authorizationUrl?: URL;
  readonly redirectUrl = REDIRECT;

  constructor(readonly clientMetadataUrl: string) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Document Assistant',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
    };
  }
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
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

describe.each(ENGINES)('OAuth with a client metadata document (%s)', (engine) => {
  let tls: LoopbackCert;
  let docServer: Server;
  let docUrl: string;
  let fetches = 0;
  let server: TestServer;

  beforeAll(async () => {
    tls = loopbackCert();
    docServer = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      if (req.url !== '/assistant/client.json') return res.writeHead(404).end();
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'max-age=600');
      res.end(
        JSON.stringify({
          client_id: docUrl,
          client_name: 'Document Assistant',
          client_uri: 'https://assistant.example',
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        }),
      );
    });
    await new Promise<void>((resolve) => docServer.listen(0, '127.0.0.1', resolve));
    docUrl = `https://127.0.0.1:${(docServer.address() as AddressInfo).port}/assistant/client.json`;
    server = await startTestServer(engine, {
      OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
      OPSTRAILS_OUTBOUND_CA_FILE: tls.certFile,
    });
  });
  afterAll(async () => {
    await server?.close();
    docServer?.closeAllConnections();
    await new Promise((resolve) => docServer?.close(resolve));
    tls?.remove();
  });

  it('uses the document URL as client_id: fetched, shown by host on the consent page, then tools work', async () => {
    const owner = await setupOwner(server);
    const mcpUrl = new URL(`${server.url}${MCP_PATH}`);
    const provider = new DocumentClientProvider(docUrl);
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: 'doc', version: '1' }).connect(transport)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    expect(provider.client?.client_id).toBe(docUrl);
    const authorizationUrl = provider.authorizationUrl as URL;
    expect(authorizationUrl.searchParams.get('client_id')).toBe(docUrl);

    const requestId = consentRequestId(await fetch(authorizationUrl, { redirect: 'manual' }));
    expect(fetches).toBe(1);
    const view = await owner.json<Record<string, unknown>>(`/api/v1/oauth/requests/${requestId}`);
    expect(view).toMatchObject({
      client: {
        name: 'Document Assistant',
        kind: 'metadata-document',
        metadataDocument: docUrl,
        documentHost: new URL(docUrl).host,
        clientUri: 'https://assistant.example',
      },
      keyName: 'MCP — Document Assistant',
    });
    const callback = await approve(owner, requestId, server.defaultOrg.id);
    await transport.finishAuth(callback.searchParams);

    const client = new Client({ name: 'doc', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    const result = await client.callTool({ name: 'list_event_types', arguments: {} });
    expect(result.isError).toBeFalsy();
    await client.close();
    // No dynamic registration happened: the only client is the document.
    const clients = await server.store.db.selectFrom('oauth_clients').select(['id', 'kind']).execute();
    expect(clients).toEqual([{ id: docUrl, kind: 'metadata-document' }]);
  });
});
