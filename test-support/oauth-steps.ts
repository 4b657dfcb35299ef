/**
 * The OAuth steps an MCP client takes, written out by hand for tests that need to get one step
 * wrong on purpose (the official client never would): PKCE pairs, the authorization request, the
 * consent answered through the console API, the token request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleClient } from './console-client.js';
import type { TestServer } from './test-server.js';

export const MCP_PATH = '/api/mcp/mcp';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function registerClient(
  server: TestServer,
  redirectUris: string[],
  name = 'Test Assistant',
): Promise<string> {
  const res = await fetch(`${server.url}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: name,
      redirect_uris: redirectUris,
      token_endpoint_auth_method: 'none',
    }),
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { client_id: string }).client_id;
}

export interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  code_challenge?: string;
  code_challenge_method?: string;
  resource?: string;
  state?: string;
  response_type?: string;
}

/** GET /oauth/authorize without following the redirect. */
export function authorize(server: TestServer, params: AuthorizeParams): Promise<Response> {
  const query = new URLSearchParams({ response_type: 'code', ...params } as Record<string, string>);
  return fetch(`${server.url}/oauth/authorize?${query}`, { redirect: 'manual' });
}

/** The consent page's request id from the authorize answer's Location. */
export function consentRequestId(response: Response): string {
  const location = response.headers.get('location') ?? '';
  const id = new URL(location).searchParams.get('request');
  if (response.status !== 302 || !new URL(location).pathname.endsWith('/oauth/consent') || !id) {
    throw new Error(`expected a redirect to the consent page, got ${response.status} ${location}`);
  }
  return id;
}

/** Answers the consent as `user` would in the console; returns the client's callback URL. */
export async function approve(user: ConsoleClient, requestId: string, organizationId: string): Promise<URL> {
  const { redirectTo } = await user.json<{ redirectTo: string }>(
    `/api/v1/oauth/requests/${requestId}/approve`,
    {
      method: 'POST',
      body: { organizationId },
    },
  );
  return new URL(redirectTo);
}

export async function tokenRequest(server: TestServer, params: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
}

/** An MCP initialize over plain HTTP with a bearer: the status tells whether the token works. */
export function mcpInitialize(server: TestServer, bearer?: string): Promise<Response> {
  return fetch(`${server.url}${MCP_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    }),
  });
}
