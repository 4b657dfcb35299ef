/** GET /api/v1/forwarding/:id: one forwarding rule. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { ruleNotFound, ruleView } from './input.js';

export function registerGetForwarding(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/forwarding/:id',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const { channels } = channelServices(ctx.store, ctx.config);
      const rule = await channels.repo.getRule(request.grant?.orgId as string, request.params.id);
      if (!rule) throw ruleNotFound(request.params.id);
      return ok(ruleView(rule));
    },
  );
}
