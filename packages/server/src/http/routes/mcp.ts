/**
 * The MCP endpoint, `/api/mcp/mcp` (contract section 4): Streamable HTTP through the official
 * SDK's serving entry, which answers 2026-07-28 clients per request and 2025-era clients with
 * its stateless fallback. Every HTTP method reaches it. The API key is checked first, before
 * the body is read (a missing or bad key is a 401 with a WWW-Authenticate challenge); the SDK
 * then gets the raw Node request and response, with the body Fastify already parsed.
 */
import type { IncomingMessage } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler } from '@modelcontextprotocol/server';
import { ApiError, LIMITS } from '@opstrails/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { oauthBearerGrant } from '../../auth/oauth/mcp-bearer.js';
import { READ_SCOPE } from '../../auth/oauth/policy.js';
import { oauthServices } from '../../auth/oauth/services.js';
import { metricServices } from '../../integrations/services.js';
import { McpCallQuota } from '../../mcp/call-quota.js';
import { CompletionValues } from '../../mcp/completions.js';
import { renderInstructions } from '../../mcp/instructions.js';
import { OrgOverviews } from '../../mcp/org-overview.js';
import { listenRefusal } from '../../mcp/resources/org-resources.js';
import { createOrgMcpServer } from '../../mcp/server.js';
import type { KeyGrant } from '../../store/api-keys.js';
import type { AppContext } from '../context.js';
import { authenticate } from '../plugins/auth.js';
import { send } from '../plugins/errors.js';
import { checkJsonShape } from '../plugins/json-shape.js';
import { announceResourceChanges } from './mcp-resource-notices.js';

export const MCP_PATH = '/api/mcp/mcp';

/** What the route hands the per-request server factory through the SDK's pass-through authInfo. */
interface RequestFacts {
  grant: KeyGrant;
  /** Only a connecting client reads the instructions; other requests skip building them. */
  wantsInstructions: boolean;
  /** The JSON-RPC methods of the request body (the server registers only what they use). */
  methods: string[];
}

const CONNECTING = new Set(['initialize', 'server/discover']);

function methodsOf(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) =>
    typeof m === 'object' && m !== null && typeof (m as { method?: unknown }).method === 'string'
      ? [(m as { method: string }).method]
      : [],
  );
}

async function authenticateMcp(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
): Promise<KeyGrant | null> {
  const oauth = oauthServices(request.server, ctx);
  try {
    return (
      (await oauthBearerGrant(request.headers.authorization, oauth)) ??
      (await authenticate(request, ctx.keys))
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // RFC 9728 section 5.1: the challenge names the resource metadata, where OAuth clients start.
    const challenge = [
      'Bearer realm="opstrails"',
      `resource_metadata="${oauth.urls.resourceMetadata}"`,
      `scope="${READ_SCOPE}"`,
    ];
    if (request.headers.authorization) {
      challenge.push('error="invalid_token"', `error_description="${error.message.replace(/"/g, "'")}"`);
    }
    reply.header('WWW-Authenticate', challenge.join(', '));
    await send(reply, error);
    return null;
  }
}

export function registerMcp(app: FastifyInstance, ctx: AppContext): void {
  const overviews = new OrgOverviews(ctx.store);
  const deps = {
    quota: new McpCallQuota(ctx.store, ctx.quota),
    completions: new CompletionValues(ctx.store),
    onError: (error: unknown, tool: string) => app.log.error({ err: error, tool }, 'MCP tool failed'),
  };
  const handler = createMcpHandler(
    async ({ authInfo, era }) => {
      const facts = authInfo?.extra as RequestFacts | undefined;
      if (!facts) throw new Error('MCP request reached the handler without authentication');
      const env = {
        store: ctx.store,
        orgId: facts.grant.orgId,
        overviews,
        metrics: metricServices(ctx.store, ctx.config),
      };
      const instructions = facts.wantsInstructions
        ? renderInstructions(await overviews.get(facts.grant.orgId))
        : undefined;
      return createOrgMcpServer(env, deps, instructions, { era, methods: facts.methods });
    },
    { onerror: (error) => app.log.debug({ err: error }, 'MCP request rejected') },
  );
  const serve = toNodeHandler(handler, {
    onerror: (error) => app.log.error({ err: error }, 'MCP handler failed'),
  });
  announceResourceChanges(app, ctx, handler.notify, overviews);
  app.addHook('onClose', async () => handler.close());

  // The key is checked before the body is read: an unauthenticated upload costs nothing.
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const grant = await authenticateMcp(request, reply, ctx);
    if (!grant) return reply;
    request.grant = grant;
  };
  app.all(MCP_PATH, { onRequest }, async (request, reply) => {
    const grant = request.grant as KeyGrant;
    // The SDK serializes the body again; an absurdly deep one would overflow its stack (a 500).
    const tooDeep = Buffer.isBuffer(request.body)
      ? null
      : checkJsonShape(request.body, LIMITS.mcpBodyDepthMax);
    if (tooDeep) {
      return reply
        .code(400)
        .send({ jsonrpc: '2.0', error: { code: -32600, message: `Invalid Request: ${tooDeep}` }, id: null });
    }
    // The SDK's listen router filters notices by URI only: a client listens to its own organization's resources.
    const refusal = listenRefusal(request.body, grant.orgId);
    if (refusal) return reply.code(200).send(refusal);
    const methods = methodsOf(request.body);
    const facts: RequestFacts = { grant, wantsInstructions: methods.some((m) => CONNECTING.has(m)), methods };
    const raw = request.raw as IncomingMessage & { auth?: AuthInfo };
    raw.auth = { token: 'api-key', clientId: grant.keyId, scopes: [grant.scope], extra: { ...facts } };
    reply.hijack();
    await serve(raw, reply.raw, Buffer.isBuffer(request.body) ? undefined : request.body);
  });
}
