/** DELETE /api/v1/receivers/:id: the address stops taking deliveries at once (404 after). Configuration access. */
import type { FastifyInstance } from 'fastify';
import { receiverService } from '../../../../receivers/service.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { notFound } from './input.js';

export function registerDeleteReceiver(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/receivers/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      if (!(await receiverService(ctx).repo.delete(request.grant?.orgId as string, request.params.id)))
        throw notFound(request.params.id);
      return ok({ id: request.params.id, deleted: true });
    },
  );
}
