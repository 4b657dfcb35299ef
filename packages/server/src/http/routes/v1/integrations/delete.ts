/** DELETE /api/v1/integrations/{id} (configuration): refused (409) while a mapping reads through it. */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerDeleteIntegration(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/integrations/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      await metricServices(ctx.store, ctx.config).integrations.delete(
        request.grant?.orgId as string,
        request.params.id,
      );
      return ok({ id: request.params.id, deleted: true });
    },
  );
}
