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
import { ResourceChangeNotifier } from '../../mcp/resources/change-notifier.js';
import { foreignSubscriptions } from '../../mcp/resources/org-resources.js';
import { PgContextRelay } from '../../mcp/resources/pg-context-relay.js';
import { createOrgMcpServer } from '../../mcp/server.js';
import type { KeyGrant } from '../../store/api-keys.js';
import type { AppContext } from '../context.js';
import { authenticate } from '../plugins/auth.js';
import { send } from '../plugins/errors.js';
import { checkJsonShape } from '../plugins/json-shape.js';

export const MCP_PATH = '/api/mcp/mcp';
/** Where the business context is stored (routes/v1/context/put.ts); a success there is announced to listeners. */
const CONTEXT_PATH = '/api/v1/context';

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
  // Resource change notices: new events (from this instance or, on PostgreSQL, any other, through
  // the live bus) change the overview; a stored business context changes both resources, and on
  // PostgreSQL the other instances hear of it through the relay.
  const notifier = new ResourceChangeNotifier(handler.notify, overviews);
  const stopWatching = ctx.bus.subscribeAll((orgId) => notifier.eventsArrived(orgId));
  let relay: PgContextRelay | null = null;
  const databaseUrl = ctx.store.engine === 'postgres' ? ctx.config.databaseUrl : undefined;
  if (databaseUrl) {
    app.addHook('onReady', async () => {
      relay = await PgContextRelay.start(
        databaseUrl,
        (orgId) => notifier.contextChanged(orgId),
        (err) => app.log.warn({ err }, 'MCP context relay'),
      );
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'PUT' || request.routeOptions.url !== CONTEXT_PATH || reply.statusCode !== 200)
      return;
    const orgId = request.grant?.orgId as string;
    notifier.contextChanged(orgId);
    relay?.announce(orgId);
  });
  app.addHook('onClose', async () => {
    stopWatching();
    notifier.close();
    await relay?.close();
    await handler.close();
  });

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
    const foreign = foreignSubscriptions(request.body, grant.orgId);
    if (foreign.length > 0) {
      return reply.code(200).send({
        jsonrpc: '2.0',
        error: {
          code: -32602,
          message: `Invalid params: resourceSubscriptions: ${foreign.map((u) => `"${u}"`).join(', ')} is not a resource of this organization; subscribe to the URIs resources/list gives`,
        },
        id: (Array.isArray(request.body) ? null : (request.body as { id?: unknown }).id) ?? null,
      });
    }
    const methods = methodsOf(request.body);
    const facts: RequestFacts = { grant, wantsInstructions: methods.some((m) => CONNECTING.has(m)), methods };
    const raw = request.raw as IncomingMessage & { auth?: AuthInfo };
    raw.auth = { token: 'api-key', clientId: grant.keyId, scopes: [grant.scope], extra: { ...facts } };
    reply.hijack();
    await serve(raw, reply.raw, Buffer.isBuffer(request.body) ? undefined : request.body);
  });
}
