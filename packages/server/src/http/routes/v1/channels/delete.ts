/** DELETE /api/v1/channels/:id: the channel, its forwarding rules and its delivery log; queued deliveries to it end unsent. Configuration access. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { notFound } from './input.js';

export function registerDeleteChannel(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/channels/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const { channels } = channelServices(ctx.store, ctx.config);
      if (!(await channels.repo.delete(request.grant?.orgId as string, request.params.id)))
        throw notFound(request.params.id);
      return ok({ id: request.params.id, deleted: true });
    },
  );
}
