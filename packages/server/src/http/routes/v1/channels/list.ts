/** GET /api/v1/channels: the organization's channels, secrets masked. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerListChannels(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/channels', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const { channels } = channelServices(ctx.store, ctx.config);
    const rows = await channels.repo.list(request.grant?.orgId as string);
    return ok({ channels: rows.map((r) => channels.view(r)) });
  });
}
