/** DELETE /api/v1/metrics/mappings/{id} (configuration). */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerDeleteMapping(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/metrics/mappings/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      await metricServices(ctx.store, ctx.config).integrations.deleteMapping(
        request.grant?.orgId as string,
        request.params.id,
      );
      return ok({ deleted: true, id: request.params.id });
    },
  );
}
