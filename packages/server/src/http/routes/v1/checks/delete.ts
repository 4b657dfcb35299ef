/**
 * DELETE /api/v1/checks/:id: the check stops and its history goes with it; its events stay. A check
 * deleted while down has its incident resolved (nothing else ever would). Configuration access.
 */
import type { FastifyInstance } from 'fastify';
import { resolveDeletedCheck } from '../../../../checks/events.js';
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
      const deleted = await repo.delete(request.grant?.orgId as string, request.params.id);
      if (!deleted) throw notFound(request.params.id);
      // A refused resolution (the plan's quota) does not undo the deletion: the incident stays open, as before.
      if (deleted.incident) {
        const refused = await resolveDeletedCheck(ctx, deleted);
        if (refused) request.log.warn({ check: deleted.id }, refused);
      }
      return ok({ id: request.params.id, deleted: true });
    },
  );
}
