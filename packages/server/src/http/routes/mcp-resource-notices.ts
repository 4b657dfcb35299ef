/**
 * Resource change notices for the MCP endpoint's listening clients: new events (from this
 * instance or, on PostgreSQL, any other, through the live bus) change the overview; a stored
 * business context (PUT /api/v1/context) changes both resources, and on PostgreSQL the other
 * instances hear of it through the relay.
 */
import type { ServerNotifier } from '@modelcontextprotocol/server';
import type { FastifyInstance } from 'fastify';
import type { OrgOverviews } from '../../mcp/org-overview.js';
import { ResourceChangeNotifier } from '../../mcp/resources/change-notifier.js';
import { PgContextRelay } from '../../mcp/resources/pg-context-relay.js';
import type { AppContext } from '../context.js';

/** Where the business context is stored (v1/context/put.ts); a success there is announced. */
const CONTEXT_PATH = '/api/v1/context';

export function announceResourceChanges(
  app: FastifyInstance,
  ctx: AppContext,
  notify: ServerNotifier,
  overviews: OrgOverviews,
): void {
  const notifier = new ResourceChangeNotifier(notify, overviews);
  const stopWatching = ctx.bus.subscribeAll((orgId) => notifier.eventsArrived(orgId));
  let relay: PgContextRelay | null = null;
  const databaseUrl = ctx.store.engine === 'postgres' ? ctx.config.databaseUrl : undefined;
  if (databaseUrl) {
    // Listening before the server answers its first request.
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
  });
}
