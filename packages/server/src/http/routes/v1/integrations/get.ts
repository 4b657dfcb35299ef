/** GET /api/v1/integrations/{id}: one integration, secrets masked. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerGetIntegration(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/integrations/:id',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const service = metricServices(ctx.store, ctx.config).integrations;
      return ok(service.answer(await service.get(request.grant?.orgId as string, request.params.id)));
    },
  );
}
