/**
 * POST /api/v1/metrics/mappings (configuration): `{metric, integrationId, query, subjects,
 * direction, source?, unit?, subjectValues?, step?}` -> 201 with the mapping.
 */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerCreateMapping(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/metrics/mappings',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const service = metricServices(ctx.store, ctx.config).integrations;
      return reply
        .code(201)
        .send(ok(await service.createMapping(request.grant?.orgId as string, request.body)));
    },
  );
}
