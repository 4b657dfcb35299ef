/** DELETE /api/v1/checks/:id: the check stops and its history goes with it; its events stay. Configuration access. */
import type { FastifyInstance } from 'fastify';
import { checkServices } from '../../../../checks/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { notFound } from './input.js';

export function registerDeleteCheck(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/checks/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const { repo } = checkServices(ctx.store, ctx.config);
      if (!(await repo.delete(request.grant?.orgId as string, request.params.id)))
        throw notFound(request.params.id);
      return ok({ id: request.params.id, deleted: true });
    },
  );
}
