/**
 * POST /api/v1/integrations (configuration): `{provider, name, config}` -> 201 with the integration,
 * secrets masked. The provider need not answer yet (POST /{id}/test says whether it does); the
 * plan's analyticsIntegrations limit applies.
 */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerCreateIntegration(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/integrations',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const service = metricServices(ctx.store, ctx.config).integrations;
      return reply.code(201).send(ok(await service.create(request.grant?.orgId as string, request.body)));
    },
  );
}
