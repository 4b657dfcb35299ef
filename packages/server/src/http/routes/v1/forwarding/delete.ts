/** DELETE /api/v1/forwarding/:id. Configuration access. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { ruleNotFound } from './input.js';

export function registerDeleteForwarding(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/forwarding/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const { channels } = channelServices(ctx.store, ctx.config);
      if (!(await channels.repo.deleteRule(request.grant?.orgId as string, request.params.id)))
        throw ruleNotFound(request.params.id);
      return ok({ id: request.params.id, deleted: true });
    },
  );
}
