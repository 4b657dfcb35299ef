/** GET /api/v1/channels/:id: one channel, secrets masked. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { notFound } from './input.js';

export function registerGetChannel(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/channels/:id',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const { channels } = channelServices(ctx.store, ctx.config);
      const row = await channels.repo.get(request.grant?.orgId as string, request.params.id);
      if (!row) throw notFound(request.params.id);
      return ok(channels.view(row));
    },
  );
}
