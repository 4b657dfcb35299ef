/** PATCH /api/v1/forwarding/:id: changes a rule's name, channel, filters or enabled; fields left out keep their values. Configuration access. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { readRule, ruleNotFound, ruleView } from './input.js';

export function registerUpdateForwarding(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { id: string } }>(
    '/api/v1/forwarding/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const { channels } = channelServices(ctx.store, ctx.config);
      const rule = await channels.repo.getRule(orgId, request.params.id);
      if (!rule) throw ruleNotFound(request.params.id);
      const input = readRule(request.body, rule);
      if (input.channelId !== rule.channelId && !(await channels.repo.get(orgId, input.channelId)))
        throw badRequest(
          'channelId',
          `no channel "${input.channelId}" in this organization (GET /api/v1/channels lists them)`,
        );
      const updated = await channels.repo.updateRule(orgId, rule.id, input);
      if (!updated) throw ruleNotFound(request.params.id);
      return ok(ruleView(updated));
    },
  );
}
