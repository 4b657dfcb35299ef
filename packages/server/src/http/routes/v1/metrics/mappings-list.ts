/** GET /api/v1/metrics/mappings: the organization's metric mappings. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerListMappings(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/metrics/mappings',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const service = metricServices(ctx.store, ctx.config).integrations;
      const integrations = await service.integrationsById(orgId);
      const mappings = await service.rows.mappings(orgId);
      return ok({ mappings: mappings.map((m) => service.mappingAnswer(m, integrations)) });
    },
  );
}
