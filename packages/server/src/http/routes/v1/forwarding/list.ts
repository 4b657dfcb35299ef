/** GET /api/v1/forwarding: the organization's forwarding rules. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { ruleView } from './input.js';

export function registerListForwarding(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/forwarding', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const { channels } = channelServices(ctx.store, ctx.config);
    return ok({ rules: (await channels.repo.listRules(request.grant?.orgId as string)).map(ruleView) });
  });
}
