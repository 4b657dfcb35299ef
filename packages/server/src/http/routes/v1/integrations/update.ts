/**
 * PATCH /api/v1/integrations/{id} (configuration): `{name?, config?}`. A config replaces the
 * stored one; a secret sent back masked ("••••abcd") keeps its stored value.
 */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerUpdateIntegration(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { id: string } }>(
    '/api/v1/integrations/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const service = metricServices(ctx.store, ctx.config).integrations;
      return ok(await service.update(request.grant?.orgId as string, request.params.id, request.body));
    },
  );
}
