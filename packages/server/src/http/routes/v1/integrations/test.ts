/**
 * POST /api/v1/integrations/{id}/test (configuration): asks the provider now -> 200
 * `{ok, message, latencyMs}`, the message saying what it answered when not ok; the outcome
 * becomes the integration's status and lastError.
 */
import type { FastifyInstance } from 'fastify';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerTestIntegration(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { id: string } }>(
    '/api/v1/integrations/:id/test',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const service = metricServices(ctx.store, ctx.config).integrations;
      return ok(await service.test(request.grant?.orgId as string, request.params.id));
    },
  );
}
