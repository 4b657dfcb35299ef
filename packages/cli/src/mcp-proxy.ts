/**
 * The stdio MCP server of `opstrails mcp`: a local front for the server's HTTP endpoint. It
 * connects once as an MCP client (the current SDK line, negotiating the newest protocol the
 * server offers) and forwards tools/list and tools/call, resources, prompts and completion
 * (mcp-proxy-resources.ts), so a local client gets the same tools, instructions, answers,
 * views and change notices as a remote one. Both protocol eras are served on stdio.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Server } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { ClientConfig } from './client-config.js';
import { forwardedCapabilities, forwardResourcesAndPrompts, listenUpstream } from './mcp-proxy-resources.js';

export const MCP_ENDPOINT = '/api/mcp/mcp';
const INFO = { name: 'opstrails', version: '0.1.0' };

/** Why connecting failed, in words that say what to fix. */
function explain(error: unknown, config: ClientConfig): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/401|unauthori[sz]ed|invalid_token/i.test(message))
    return new Error(
      `the server at ${config.url} refused the API key (401); check OPSTRAILS_API_KEY (opstrails keys create --scope READ_ONLY makes one)`,
    );
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|network/i.test(message))
    return new Error(
      `cannot reach ${config.url}${MCP_ENDPOINT}: is the server running there? set OPSTRAILS_URL`,
    );
  return new Error(`connecting to ${config.url}${MCP_ENDPOINT} failed: ${message}`);
}

export async function connectUpstream(config: ClientConfig): Promise<Client> {
  const client = new Client(
    { name: 'opstrails-cli', version: INFO.version },
    { versionNegotiation: { mode: 'auto' } },
  );
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${config.url}${MCP_ENDPOINT}`), {
        requestInit: { headers: { authorization: `Bearer ${config.apiKey}` } },
      }),
    );
  } catch (error) {
    throw explain(error, config);
  }
  return client;
}

/** Serves MCP on this process's stdin/stdout until the client closes stdin. */
export async function serveStdioProxy(config: ClientConfig, onError: (error: Error) => void): Promise<void> {
  const upstream = await connectUpstream(config);
  const instructions = upstream.getInstructions();
  const notices = await listenUpstream(upstream, onError);
  const handle = serveStdio(
    ({ era }) => {
      const server = new Server(INFO, {
        capabilities: { tools: {}, ...forwardedCapabilities(upstream) },
        ...(instructions ? { instructions } : {}),
      });
      forwardResourcesAndPrompts(server, upstream, notices, era);
      server.setRequestHandler('tools/list', async (request) => {
        const { tools, nextCursor } = await upstream.listTools(request.params);
        return nextCursor ? { tools, nextCursor } : { tools };
      });
      server.setRequestHandler('tools/call', async (request) => {
        const { content, structuredContent, isError } = await upstream.callTool(request.params);
        return {
          content,
          ...(structuredContent !== undefined ? { structuredContent } : {}),
          ...(isError ? { isError } : {}),
        };
      });
      return server;
    },
    { onerror: onError },
  );
  process.stdin.once('end', () => {
    void handle
      .close()
      .then(() => notices.close())
      .then(() => upstream.close());
  });
}
