/** PATCH /api/v1/metrics/mappings/{id} (configuration): changes the fields given. */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerUpdateMapping(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { id: string } }>(
    '/api/v1/metrics/mappings/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const service = metricServices(ctx.store, ctx.config).integrations;
      return ok(await service.updateMapping(request.grant?.orgId as string, request.params.id, request.body));
    },
  );
}
