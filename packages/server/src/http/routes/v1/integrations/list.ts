/** GET /api/v1/integrations: the organization's analytics integrations, secrets masked. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerListIntegrations(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/integrations', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const service = metricServices(ctx.store, ctx.config).integrations;
    const rows = await service.rows.list(request.grant?.orgId as string);
    return ok({ integrations: rows.map((row) => service.answer(row)) });
  });
}
